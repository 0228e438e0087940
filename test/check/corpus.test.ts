import { describe, expect, it } from "vitest";
import { readFmtCorpus } from "../helpers/shared.ts";
import { check } from "../../src/check/index.ts";

/**
 * Corpus sources whose errors are real: Alloy itself would reject them when it runs them (alloy fmt, which produced
 * the corpus, only parses). Each entry names the source, the diagnostic code expected there and why it is right.
 */
const REALLY_WRONG: readonly { source: string; code: string; reason: string }[] = [
  // Converter test outputs: the converters pass invalid input through; the tests only compare text.
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_drop.alloy", code: "INVALID_STAGE", reason: "stage.drop sets value with expression, or value without source: drop.go validateDropConfig rejects both" },
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_match_nested.alloy", code: "INVALID_SELECTOR", reason: `selector = "foobar" is not LogQL: match.go rejects it (ErrSelectorSyntax)` },
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_match_nested.alloy", code: "INVALID_STAGE", reason: `action = "drop" with nested stages: match.go ErrStagesWithDropLine` },
  { source: "internal/converter/internal/otelcolconvert/testdata/fileexporter.alloy", code: "MISSING_BLOCK", reason: "filelog has no output block (alloy:\"output,block\" is required) and ordering_criteria has no sort_by (required block)" },
  { source: "internal/converter/internal/otelcolconvert/testdata/filelog.alloy", code: "MISSING_BLOCK", reason: "otelcol.receiver.filelog without its required output block" },
  { source: "internal/converter/internal/otelcolconvert/testdata/fluentforwarder.alloy", code: "MISSING_BLOCK", reason: "otelcol.receiver.fluentforward without its required output block" },
  { source: "internal/converter/internal/otelcolconvert/testdata/syslog.alloy", code: "MISSING_BLOCK", reason: "otelcol.receiver.syslog without its required output block" },
  { source: "internal/converter/internal/otelcolconvert/testdata/tcplog.alloy", code: "MISSING_BLOCK", reason: "otelcol.receiver.tcplog without its required output block" },
  { source: "internal/converter/internal/promtailconvert/testdata/pipeline_stages_part2.alloy", code: "INVALID_ENUM", reason: `stage.geoip db_type = "mmdb": geoip.go validateGeoIPConfig accepts only "", asn, city or country (ErrEmptyDBTypeGeoIPStageConfig)` },
  // Docs examples that are wrong (schema-notes.md lists most of them).
  { source: "docs/design/1443-dynamic-pipelines.md#1", code: "UNKNOWN_BLOCK", reason: "design proposal: components directly in foreach, without the template block Alloy requires" },
  { source: "docs/design/1443-dynamic-pipelines.md#1", code: "MISSING_BLOCK", reason: "same proposal: foreach without template" },
  { source: "docs/developer/add-otel-component.md#0", code: "UNKNOWN_COMPONENT", reason: "otelcol.processor.example is a made-up component of the developer guide" },
  { source: "docs/sources/get-started/syntax.md#3", code: "UNKNOWN_BLOCK", reason: "prometheus.remote_write { queue_config } at the root; it belongs in endpoint (schema-notes)" },
  { source: "docs/sources/get-started/components/configure-components.md#3", code: "UNKNOWN_BLOCK", reason: "same queue_config mistake (schema-notes)" },
  { source: "docs/sources/reference/components/remote/remote.http.md#1", code: "UNKNOWN_BLOCK", reason: "prometheus.remote_write { client { url } } does not exist (schema-notes)" },
  { source: "docs/sources/get-started/components/build-pipelines.md#5", code: "INVALID_STAGE", reason: "stage.match with action keep and no nested stage: match.go ErrMatchRequiresStages" },
  { source: "docs/sources/get-started/components/component-controller.md#0", code: "CYCLE", reason: "the page shows a self-reference as an example of what is invalid" },
  { source: "docs/sources/get-started/components/component-controller.md#1", code: "CYCLE", reason: "the page shows a cycle as an example of what is invalid" },
  { source: "docs/sources/get-started/components/configure-components.md#6", code: "CYCLE", reason: "example of an invalid self-reference" },
  { source: "docs/sources/get-started/components/configure-components.md#7", code: "CYCLE", reason: "example of an invalid cycle" },
  { source: "docs/sources/reference/components/database_observability/database_observability.mysql.md#1", code: "UNKNOWN_EXPORT", reason: "discovery.relabel exports output, not targets" },
  { source: "docs/sources/reference/components/database_observability/database_observability.postgres.md#1", code: "UNKNOWN_EXPORT", reason: "discovery.relabel exports output, not targets" },
  { source: "docs/sources/reference/components/database_observability/database_observability.postgres.md#1", code: "UNKNOWN_ATTRIBUTE", reason: "prometheus.exporter.postgres takes data_source_names, not data_source_name (schema-notes)" },
  { source: "docs/sources/reference/components/discovery/discovery.docker.md#2", code: "UNKNOWN_EXPORT", reason: "discovery.docker.containers.example.targets: the label is containers, there is no export example" },
  { source: "docs/sources/reference/components/otelcol/otelcol.exporter.datadog.md#1", code: "UNKNOWN_ATTRIBUTE", reason: "resource_attributes_as_tags belongs in metrics > exporter (schema-notes)" },
  { source: "docs/sources/reference/components/otelcol/otelcol.receiver.awss3.md#1", code: "UNKNOWN_ATTRIBUTE", reason: "s3downloader has no s3_partition (schema-notes)" },
  { source: "docs/sources/reference/components/pyroscope/pyroscope.scrape.md#3", code: "TYPE_MISMATCH", reason: "targets = [discovery.http.x.targets] nests a list of targets in a list; Target.ConvertFrom rejects an array" },
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
    const used = new Set<number>();
    let falseAlarms = 0;
    for (const c of checked) {
      const { diagnostics } = check(c.in, { fragment: c.kind === "fragment", filename: c.name });
      for (const d of diagnostics) {
        if (d.severity !== "error") continue;
        const i = REALLY_WRONG.findIndex((w) => w.source === c.source && w.code === d.code);
        if (i >= 0) {
          used.add(i);
          continue;
        }
        falseAlarms++;
        unexpected.push(`${c.kind} ${c.name} (${c.source}) ${d.line}:${d.column} ${d.code}: ${d.message}`);
      }
    }
    expect(unexpected, `${falseAlarms} false alarms`).toEqual([]);
    const stale = REALLY_WRONG.filter((_, i) => !used.has(i)).map((w) => `${w.source} ${w.code}`);
    expect(stale, "allow-list entries that no longer match anything").toEqual([]);
  });

  it("checks a meaningful number of cases", () => {
    expect(checked.filter((c) => c.kind === "config").length).toBeGreaterThan(500);
    expect(checked.filter((c) => c.kind === "fragment").length).toBeGreaterThan(1500);
  });
});
