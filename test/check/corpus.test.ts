import { describe, expect, it } from "vitest";
import { readFmtCorpus } from "../helpers/shared.ts";
import { check } from "../../src/check/index.ts";

/**
 * Corpus sources whose errors are real: Alloy itself would reject them when it runs them (alloy fmt, which produced
 * the corpus, only parses). Each entry names the source, the diagnostic code expected there, the line of every such
 * error (sorted, over the source's three cases: as written, flattened and messy), and why it is right. Pinning the
 * lines keeps an entry from also excusing a new error of the same code elsewhere in the source.
 */
const REALLY_WRONG: readonly { source: string; code: string; lines: readonly number[]; reason: string }[] = [
  // Converter test outputs: the converters pass invalid input through; the tests only compare text.
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_drop.alloy", code: "INVALID_STAGE", lines: [17, 17, 18, 26, 26, 28, 32, 32, 34, 45, 45, 49], reason: "stage.drop sets value with expression, or value without source: drop.go validateDropConfig rejects both" },
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_match_nested.alloy", code: "INVALID_SELECTOR", lines: [15, 15, 18, 20, 20, 24], reason: `selector = "foobar" is not LogQL: match.go rejects it (ErrSelectorSyntax)` },
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_match_nested.alloy", code: "INVALID_STAGE", lines: [17, 17, 20, 22, 22, 26], reason: `action = "drop" with nested stages: match.go ErrStagesWithDropLine` },
  { source: "internal/converter/internal/otelcolconvert/testdata/fileexporter.alloy", code: "MISSING_BLOCK", lines: [1, 1, 1, 5, 5, 5], reason: "filelog has no output block (alloy:\"output,block\" is required) and ordering_criteria has no sort_by (required block)" },
  { source: "internal/converter/internal/otelcolconvert/testdata/filelog.alloy", code: "MISSING_BLOCK", lines: [15, 15, 16], reason: "otelcol.receiver.filelog without its required output block" },
  { source: "internal/converter/internal/otelcolconvert/testdata/fluentforwarder.alloy", code: "MISSING_BLOCK", lines: [1, 1, 1], reason: "otelcol.receiver.fluentforward without its required output block" },
  { source: "internal/converter/internal/otelcolconvert/testdata/syslog.alloy", code: "MISSING_BLOCK", lines: [1, 1, 1], reason: "otelcol.receiver.syslog without its required output block" },
  { source: "internal/converter/internal/otelcolconvert/testdata/tcplog.alloy", code: "MISSING_BLOCK", lines: [1, 1, 1], reason: "otelcol.receiver.tcplog without its required output block" },
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_part2.alloy", code: "INVALID_ENUM", lines: [81, 81, 90], reason: `stage.geoip db_type = "mmdb": geoip.go validateGeoIPConfig accepts only "", asn, city or country (ErrEmptyDBTypeGeoIPStageConfig)` },
  // Docs examples that are wrong (schema-notes.md lists most of them).
  { source: "docs/design/1443-dynamic-pipelines.md#1", code: "UNKNOWN_BLOCK", lines: [13, 13, 15, 17, 17, 20, 27, 27, 31], reason: "design proposal: components directly in foreach, without the template block Alloy requires" },
  { source: "docs/design/1443-dynamic-pipelines.md#1", code: "MISSING_BLOCK", lines: [8, 8, 9], reason: "same proposal: foreach without template" },
  { source: "docs/developer/add-otel-component.md#0", code: "UNKNOWN_COMPONENT", lines: [8, 8, 9], reason: "otelcol.processor.example is a made-up component of the developer guide" },
  { source: "docs/sources/get-started/syntax.md#3", code: "UNKNOWN_BLOCK", lines: [11, 11, 11], reason: "prometheus.remote_write { queue_config } at the root; it belongs in endpoint (schema-notes)" },
  { source: "docs/sources/get-started/components/configure-components.md#3", code: "UNKNOWN_BLOCK", lines: [11, 11, 11], reason: "same queue_config mistake (schema-notes)" },
  { source: "docs/sources/reference/components/remote/remote.http.md#1", code: "UNKNOWN_BLOCK", lines: [11, 11, 11], reason: "prometheus.remote_write { client { url } } does not exist (schema-notes)" },
  { source: "docs/sources/get-started/components/build-pipelines.md#5", code: "INVALID_STAGE", lines: [18, 18, 18], reason: "stage.match with action keep and no nested stage: match.go ErrMatchRequiresStages" },
  { source: "docs/sources/get-started/components/component-controller.md#0", code: "CYCLE", lines: [2, 2, 2], reason: "the page shows a self-reference as an example of what is invalid" },
  { source: "docs/sources/get-started/components/component-controller.md#1", code: "CYCLE", lines: [2, 2, 2, 5, 5, 6], reason: "the page shows a cycle as an example of what is invalid" },
  { source: "docs/sources/get-started/components/configure-components.md#6", code: "CYCLE", lines: [2, 2, 2], reason: "example of an invalid self-reference" },
  { source: "docs/sources/get-started/components/configure-components.md#7", code: "CYCLE", lines: [2, 2, 3, 6, 6, 7], reason: "example of an invalid cycle" },
  { source: "docs/sources/reference/components/database_observability/database_observability.mysql.md#1", code: "UNKNOWN_EXPORT", lines: [46, 46, 47], reason: "discovery.relabel exports output, not targets" },
  { source: "docs/sources/reference/components/database_observability/database_observability.postgres.md#1", code: "UNKNOWN_EXPORT", lines: [50, 50, 55], reason: "discovery.relabel exports output, not targets" },
  { source: "docs/sources/reference/components/database_observability/database_observability.postgres.md#1", code: "UNKNOWN_ATTRIBUTE", lines: [10, 10, 12], reason: "prometheus.exporter.postgres takes data_source_names, not data_source_name (schema-notes)" },
  { source: "docs/sources/reference/components/discovery/discovery.docker.md#2", code: "UNKNOWN_EXPORT", lines: [6, 6, 7], reason: "discovery.docker.containers.example.targets: the label is containers, there is no export example" },
  { source: "docs/sources/reference/components/otelcol/otelcol.exporter.datadog.md#1", code: "UNKNOWN_ATTRIBUTE", lines: [23, 23, 25], reason: "resource_attributes_as_tags belongs in metrics > exporter (schema-notes)" },
  { source: "docs/sources/reference/components/otelcol/otelcol.receiver.awss3.md#1", code: "UNKNOWN_ATTRIBUTE", lines: [10, 10, 10], reason: "s3downloader has no s3_partition (schema-notes)" },
  { source: "docs/sources/reference/components/pyroscope/pyroscope.scrape.md#3", code: "TYPE_MISMATCH", lines: [7, 7, 8], reason: "targets = [discovery.http.x.targets] nests a list of targets in a list; Target.ConvertFrom rejects an array" },
];

const corpus = readFmtCorpus();

describe("corpus: no false alarms", () => {
  if (corpus === undefined) {
    it.skip(`../shared/conformance/fmt/alloy-corpus.jsonl is absent: corpus conformance skipped`, () => {});
    return;
  }
  const cases = corpus;
  const checked = cases.filter((c) => c.kind !== "syntax" && c.expect !== undefined);

  it("reports no error on accepted config and fragment cases, apart from the explained ones", () => {
    const unexpected: string[] = [];
    const found = REALLY_WRONG.map((): number[] => []);
    let falseAlarms = 0;
    for (const c of checked) {
      const { diagnostics } = check(c.in, { fragment: c.kind === "fragment", filename: c.name });
      for (const d of diagnostics) {
        if (d.severity !== "error") continue;
        const i = REALLY_WRONG.findIndex((w) => w.source === c.source && w.code === d.code);
        if (i >= 0) {
          found[i]?.push(d.line);
          continue;
        }
        falseAlarms++;
        unexpected.push(`${c.kind} ${c.name} (${c.source}) ${d.line}:${d.column} ${d.code}: ${d.message}`);
      }
    }
    expect(unexpected, `${falseAlarms} false alarms`).toEqual([]);
    const moved = REALLY_WRONG.flatMap((w, i) => {
      const lines = (found[i] ?? []).sort((a, b) => a - b);
      return lines.join() === w.lines.join() ? [] : [`${w.source} ${w.code}: lines [${w.lines.join(", ")}] expected, [${lines.join(", ")}] found`];
    });
    expect(moved, "allow-list entries whose errors moved, multiplied or went away").toEqual([]);
  });

  it("checks a meaningful number of cases", () => {
    expect(checked.filter((c) => c.kind === "config").length).toBeGreaterThan(500);
    expect(checked.filter((c) => c.kind === "fragment").length).toBeGreaterThan(1500);
  });
});
