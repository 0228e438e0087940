// Flags the docs mark required but Alloy v1.18.1 tags `,optional` (REQUIRED_OVERRIDES in scripts/gen-schema.mjs):
// leaving them out must not produce MISSING_* errors. Flags that are required in code must still be reported.
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.ts";

function missing(src: string): string[] {
  return check(src)
    .diagnostics.filter((d) => d.severity === "error" && d.code.startsWith("MISSING_"))
    .map((d) => `${d.code}: ${d.message}`);
}

const RW = `prometheus.remote_write "default" {\n  endpoint {\n    url = "http://mimir/api/v1/push"\n  }\n}\n`;
const OTLP = `otelcol.exporter.otlp "default" {\n  client {\n    endpoint = "tempo:4317"\n  }\n}\n`;

describe("docs-required flags that are optional in Alloy's struct tags", () => {
  it("prometheus.exporter.mysql and .postgres without a data source name", () => {
    expect(missing(`prometheus.exporter.mysql "db" {\n}\n`)).toEqual([]);
    expect(missing(`prometheus.exporter.postgres "db" {\n}\n`)).toEqual([]);
  });

  it("mimir.rules.kubernetes selector with match_expression only", () => {
    const src =
      `mimir.rules.kubernetes "rules" {\n  address = "http://mimir:8080"\n` +
      `  rule_selector {\n    match_expression {\n      key = "team"\n      operator = "Exists"\n    }\n  }\n}\n`;
    expect(missing(src)).toEqual([]);
  });

  it("otelcol.processor.attributes delete action with pattern instead of key", () => {
    const src =
      `otelcol.processor.attributes "a" {\n  action {\n    pattern = "^tmp\\\\."\n    action = "delete"\n  }\n` +
      `  output {\n    traces = [otelcol.exporter.otlp.default.input]\n  }\n}\n` +
      OTLP;
    expect(missing(src)).toEqual([]);
  });

  it("otelcol.auth.headers without header blocks, pyroscope.ebpf without targets", () => {
    expect(missing(`otelcol.auth.headers "h" {\n}\n`)).toEqual([]);
    const ebpf =
      `pyroscope.ebpf "e" {\n  forward_to = [pyroscope.write.w.receiver]\n}\n` +
      `pyroscope.write "w" {\n  endpoint {\n    url = "http://pyroscope:4040"\n  }\n}\n`;
    expect(missing(ebpf)).toEqual([]);
  });

  it("otelcol.exporter.awss3 resource_attrs_to_s3 without s3_bucket", () => {
    const src =
      `otelcol.exporter.awss3 "s3" {\n  s3_uploader {\n    s3_bucket = "logs"\n    s3_prefix = "alloy"\n  }\n` +
      `  resource_attrs_to_s3 {\n    s3_prefix = "service.name"\n  }\n}\n`;
    expect(missing(src)).toEqual([]);
  });
});

describe("flags that are required in code stay required", () => {
  it("otelcol.processor.attributes action without action (alloy:\"action,attr\")", () => {
    const src =
      `otelcol.processor.attributes "a" {\n  action {\n    key = "db.statement"\n  }\n` +
      `  output {\n    traces = [otelcol.exporter.otlp.default.input]\n  }\n}\n` +
      OTLP;
    const m = missing(src);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^MISSING_ATTRIBUTE: .*"action"/);
  });

  it("mimir.rules.kubernetes match_expression without operator, prometheus.scrape without forward_to", () => {
    const src =
      `mimir.rules.kubernetes "rules" {\n  address = "http://mimir:8080"\n` +
      `  rule_selector {\n    match_expression {\n      key = "team"\n    }\n  }\n}\n`;
    const m = missing(src);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^MISSING_ATTRIBUTE: .*operator/);
    expect(missing(`prometheus.scrape "s" {\n  targets = []\n}\n` + RW)).toEqual([
      expect.stringMatching(/^MISSING_ATTRIBUTE: .*forward_to/),
    ]);
  });
});
