// Enum arguments take only the values Alloy accepts (ENUM_ARGUMENTS in scripts/gen-schema.mjs, each checked against
// the Alloy v1.18.1 code that rejects other values). Snippets are checked in fragment mode, so that a missing required
// attribute elsewhere is only a warning and the error, if any, is the enum's.
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/index.ts";
import { componentSchema, configBlockSchema } from "../../src/schema/index.ts";

function errors(src: string, fragment = true) {
  return check(src, { fragment }).diagnostics.filter((d) => d.severity === "error");
}
function codes(src: string, fragment = true) {
  return errors(src, fragment).map((d) => d.code);
}

/** A component with one attribute set at `path` (blocks opened in order). */
function snippet(component: string, path: readonly string[], attr: string, value: string): string {
  let body = `${attr} = ${JSON.stringify(value)}`;
  for (const b of [...path].reverse()) body = `${b} {\n${body}\n}`;
  return component.includes(" ") || ["logging", "http"].includes(component) ? `${component} {\n${body}\n}\n` : `${component} "x" {\n${body}\n}\n`;
}

describe("enum arguments", () => {
  // [component, block path, argument, a value Alloy rejects, a value it accepts]
  const cases: readonly (readonly [string, readonly string[], string, string, string])[] = [
    ["discovery.dockerswarm", [], "role", "service", "services"],
    ["discovery.hetzner", [], "role", "cloud", "hcloud"],
    ["discovery.openstack", [], "role", "loadbalancer", "hypervisor"],
    ["discovery.openstack", [], "availability", "private", "admin"],
    ["discovery.aws", [], "role", "ec3", "elasticache"],
    ["discovery.ovhcloud", [], "service", "dedicated", "dedicated_server"],
    ["discovery.scaleway", [], "role", "Instance", "instance"],
    ["discovery.consul", ["tls_config"], "min_version", "TLS1.2", "TLS12"],
    ["loki.process", ["stage.timestamp"], "action_on_failure", "drop", "skip"],
    ["loki.process", ["stage.labels"], "source_type", "extracted_map", "structured_metadata"],
    ["loki.process", ["stage.metrics", "metric.counter"], "action", "set", "add"],
    ["loki.process", ["stage.geoip"], "db_type", "mmdb", "country"],
    ["loki.source.file", ["decompression"], "format", "gzip", "gz"],
    ["loki.source.file", [], "on_positions_file_error", "restart", "restart_from_end"],
    ["loki.source.syslog", ["listener"], "syslog_format", "rfc5425", "raw"],
    ["loki.source.syslog", ["listener"], "protocol", "TCP", "udp"],
    ["loki.source.cloudflare", [], "fields_type", "full", "all"],
    ["prometheus.remote_write", ["endpoint"], "protobuf_message", "v2", "io.prometheus.write.v2.Request"],
    ["prometheus.scrape", [], "metric_name_validation_scheme", "utf-8", "utf8"],
    ["prometheus.scrape", [], "metric_name_escaping_scheme", "underscore", "allow-utf-8"],
    ["otelcol.exporter.otlp", ["client"], "compression", "lz4", "zstd"],
    ["otelcol.exporter.otlphttp", ["client"], "compression", "GZIP", "none"],
    ["otelcol.receiver.syslog", [], "protocol", "rfc3339", "rfc3164"],
    ["otelcol.receiver.filelog", [], "start_at", "start", "beginning"],
    ["otelcol.processor.span", ["status"], "code", "OK", "Ok"],
    ["otelcol.connector.spanmetrics", [], "aggregation_temporality", "delta", "DELTA"],
    ["otelcol.processor.transform", [], "error_mode", "drop", "silent"],
    ["otelcol.processor.attributes", ["include", "log_severity"], "min", "info", "INFO"],
    ["logging", [], "destination", "stdout", "windows_event_log"],
    ["http", ["tls"], "client_auth_type", "RequireClientCert", "RequireAnyClientCert"],
  ];
  for (const [component, path, attr, bad, good] of cases) {
    const where = [component, ...path].join(" > ");
    it(`${where}: ${attr}`, () => {
      const e = errors(snippet(component, path, attr, bad));
      expect(e.map((d) => d.code)).toEqual(["INVALID_ENUM"]);
      expect(e[0]?.message).toContain(`${where}: ${attr} must be`);
      expect(e[0]?.message).toContain(`got ${JSON.stringify(bad)}`);
      expect(e[0]?.message).toContain(JSON.stringify(good));
      expect(codes(snippet(component, path, attr, good))).toEqual([]);
    });
  }

  it("points at the value and says what is allowed, with did-you-mean for a near miss", () => {
    const e = errors(`discovery.dockerswarm "x" {\n  host = "unix:///var/run/docker.sock"\n  role = "task"\n}\n`);
    expect(e).toHaveLength(1);
    expect(e[0]).toMatchObject({ code: "INVALID_ENUM", line: 3, column: 10 });
    expect(e[0]?.message).toBe(`discovery.dockerswarm: role must be one of "services", "nodes", "tasks", got "task"; did you mean "tasks"?`);
  });

  it("is case-insensitive exactly where Alloy is", () => {
    // strings.ToLower / ToUpper in Alloy: any case is fine.
    expect(codes(snippet("otelcol.processor.transform", [], "error_mode", "IGNORE"))).toEqual([]);
    expect(codes(snippet("otelcol.processor.transform", ["trace_statements"], "context", "Span"))).toEqual([]);
    expect(codes(snippet("discovery.dns", [], "type", "srv"))).toEqual([]);
    expect(codes(snippet("otelcol.exporter.debug", [], "verbosity", "Detailed"))).toEqual([]);
    expect(codes(snippet("otelcol.auth.headers", ["header"], "action", "UPSERT"))).toEqual([]);
    expect(codes(snippet("otelcol.exporter.debug", [], "verbosity", "verbose"))).toEqual(["INVALID_ENUM"]);
    // Exact comparison in Alloy: the case must match.
    expect(codes(snippet("otelcol.exporter.syslog", [], "protocol", "RFC5424"))).toEqual(["INVALID_ENUM"]);
    expect(codes(snippet("loki.source.kubernetes_events", [], "log_format", "JSON"))).toEqual(["INVALID_ENUM"]);
  });

  it("accepts an empty string only where Alloy does (it means the default there)", () => {
    expect(codes(snippet("logging", [], "level", ""))).toEqual([]);
    expect(codes(snippet("faro.receiver", [], "log_format", ""))).toEqual([]);
    expect(codes(snippet("otelcol.exporter.otlp", ["client"], "compression", ""))).toEqual([]);
    expect(codes(snippet("loki.process", ["stage.timestamp"], "action_on_failure", ""))).toEqual([]);
    expect(codes(snippet("discovery.kubernetes", [], "role", ""))).toEqual(["INVALID_ENUM"]);
    expect(codes(snippet("loki.process", ["stage.labels"], "source_type", ""))).toEqual(["INVALID_ENUM"]);
  });

  it("checks stages nested in stage.match and enums in whole configs", () => {
    const src = `loki.process "p" {\n  forward_to = []\n  stage.match {\n    selector = "{app=\\"a\\"}"\n    stage.timestamp {\n      source = "ts"\n      format = "RFC3339"\n      action_on_failure = "skipp"\n    }\n  }\n}\n`;
    const e = errors(src, false);
    expect(e.map((d) => d.code)).toEqual(["INVALID_ENUM"]);
    expect(e[0]).toMatchObject({ line: 8, column: 27 });
    expect(e[0]?.message).toContain(`did you mean "skip"?`);
    expect(codes(src.replace("skipp", "skip"), false)).toEqual([]);
  });

  it("leaves values it can't compute, and docs placeholders in fragments, alone", () => {
    expect(codes(`discovery.hetzner "x" {\n  role = sys.env("ROLE")\n}\n`)).toEqual([]);
    expect(codes(snippet("discovery.hetzner", [], "role", "<HETZNER_ROLE>"))).toEqual([]);
    expect(codes(snippet("discovery.hetzner", [], "role", "<HETZNER_ROLE>"), false)).toContain("INVALID_ENUM");
  });

  it("leaves free-text arguments alone", () => {
    // Encodings, kafka encodings and consul schemes are passed through; Alloy does not check them against a list.
    expect(codes(snippet("otelcol.receiver.filelog", [], "encoding", "utf-16le"))).toEqual([]);
    expect(codes(snippet("discovery.consul", [], "scheme", "sketchy"))).toEqual([]);
    expect(componentSchema("otelcol.receiver.filelog")?.arguments["encoding"]?.oneOf).toBeUndefined();
  });

  it("the schema carries the enum data", () => {
    expect(componentSchema("discovery.kubernetes")?.arguments["role"]?.oneOf).toEqual(["endpoints", "endpointslice", "pod", "service", "node", "ingress"]);
    expect(configBlockSchema("logging")?.arguments["level"]?.oneOf).toContain("");
    expect(componentSchema("otelcol.processor.filter")?.arguments["error_mode"]?.oneOfIgnoresCase).toBe(true);
  });
});
