import { describe, expect, test } from "vitest";
import { DEFAULT_OPTIONS, loadStackOptions } from "../../src/stack/options.ts";

const load = (text: string) => loadStackOptions({ filename: "stack.yaml", text });
const messages = (text: string) => load(text).diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);

describe("stack.yaml", () => {
  test("no file and an empty file both give the design's defaults", () => {
    expect(loadStackOptions().options).toBe(DEFAULT_OPTIONS);
    const { options, diagnostics } = load("# nothing set\n");
    expect(diagnostics).toEqual([]);
    expect(JSON.parse(JSON.stringify(options))).toEqual(JSON.parse(JSON.stringify(DEFAULT_OPTIONS)));
  });

  test("objects merge over the defaults; host names follow the domain unless set", () => {
    const { options, diagnostics } = load("domain: example.org\nstorage:\n  loki: 50Gi\nhostnames:\n  grafana: dash.example.org\n");
    expect(diagnostics).toEqual([]);
    expect(options.storage).toEqual({ prometheus: "10Gi", loki: "50Gi", grafana: "1Gi", alertmanager: "1Gi" });
    expect(options.hostnames).toEqual({ grafana: "dash.example.org", prometheus: "prometheus.example.org", alertmanager: "alertmanager.example.org", alloy: "alloy.example.org" });
  });

  test("alert lists take names or {alert, severity}", () => {
    const { options } = load("alerting:\n  critical: [TargetDown, {alert: KubeNodeNotReady, severity: warning}]\n");
    expect(options.alerting.critical).toEqual([{ alert: "TargetDown" }, { alert: "KubeNodeNotReady", severity: "warning" }]);
    expect(options.alerting.warning).toEqual(DEFAULT_OPTIONS.alerting.warning);
  });

  test("unknown keys: did you mean, at the key", () => {
    expect(messages("retention:\n  prometheus: 7d\n  lokii: 168h\n")).toEqual([
      '3:3: unknown key "lokii" in "retention"; did you mean "loki"?; known keys: prometheus, loki',
    ]);
  });

  test("values of the wrong form say what is expected", () => {
    expect(messages("storage:\n  grafana: lots\nscrapeInterval: 30 seconds\nnamespace: Monitoring\nsops:\n  ageRecipients: [age1nope]\n")).toEqual([
      '2:12: "storage.grafana" must be a Kubernetes quantity such as 10Gi or 512Mi, not "lots"',
      '3:17: "scrapeInterval" must be a duration such as 30s, 5m, 12h or 7d, not "30 seconds"',
      '4:12: "namespace" must be a Kubernetes name (lower-case letters, digits and \'-\', at most 63 characters), not "Monitoring"',
      '6:19: "sops.ageRecipients[0]" must be an age recipient (age1…), not "age1nope"',
    ]);
    expect(messages("alerting:\n  priorities:\n    critical: 3\n")).toEqual(['3:15: "alerting.priorities.critical" must be between -2 and 2, not 3']);
    expect(messages("storage: 10Gi\n")).toEqual(['1:10: "storage" must be a mapping of keys to values']);
    expect(messages("flux:\n  sourceRef:\n    kind: GitRepositry\n")).toEqual([
      '3:11: "flux.sourceRef.kind" must be one of "GitRepository", "OCIRepository", "Bucket", not "GitRepositry"; did you mean "GitRepository"?',
    ]);
  });

  test("an age recipient with a mistyped character fails its checksum", () => {
    const good = "age1kydetq2jc3narnk5049stkxz28kk5f8dy56jpffcdrkkd37kduesgtk8fg";
    expect(messages(`sops:\n  ageRecipients: [${good}]\n`)).toEqual([]);
    const typo = good.replace("kydetq", "kydetp");
    expect(messages(`sops:\n  ageRecipients: [${typo}]\n`)).toEqual([
      '2:19: "sops.ageRecipients[0]" must be an age recipient (age1…): wrong checksum (a character is mistyped)',
    ]);
  });

  test("numbers YAML reads as numbers are kept as written where a string is expected", () => {
    const { options, diagnostics } = load('charts:\n  alloy:\n    version: 1.11\n');
    expect(diagnostics).toEqual([]);
    expect(options.charts.alloy.version).toBe("1.11");
  });

  test("YAML errors and duplicate keys are diagnostics, not crashes", () => {
    expect(messages("storage: [\n")[0]).toMatch(/^\d+:\d+: YAML syntax error: /);
    expect(messages("domain: a.org\ndomain: b.org\n")[0]).toMatch(/^2:1: YAML syntax error: Map keys must be unique/);
  });

  test("YAML anchors and aliases stand for their node, in checked options and in chart values", () => {
    const { options, diagnostics } = load(
      "storage:\n  loki: &big 20Gi\n  prometheus: *big\nvalues:\n  loki:\n    a: &rule { source: x }\n    b: [*rule]\n",
    );
    expect(diagnostics).toEqual([]);
    expect(options.storage.prometheus).toBe("20Gi");
    expect(options.values.loki).toEqual({ a: { source: "x" }, b: [{ source: "x" }] });
  });

  test("a key without a value is reported", () => {
    expect(messages("gateway:\n  name:\n")).toEqual(['2:3: "gateway.name" has no value; give one or remove the key']);
  });

  test("__proto__ as a key is an unknown key, not a prototype change", () => {
    expect(messages("__proto__:\n  polluted: true\n")[0]).toContain('unknown key "__proto__"');
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
  });
});
