/**
 * Type tests: every `@ts-expect-error` below must be an error for tsc (`npm test` type-checks before it runs vitest),
 * and every other line must compile. The functions are never called: they exist for the compiler. The runtime test
 * at the end makes sure the legal half also builds a clean config.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Config, annotate, op, raw, ref, std, type Capsule, type Expression } from "../../src/builder/index.ts";

export function references(c: Config): void {
  const relabel = c.discovery.relabel("r", { targets: [] });
  const write = c.loki.write("w", { endpoint: [{ url: "http://loki:3100/loki/api/v1/push" }] });
  const receiver: Expression<Capsule<"LogsReceiver">> = write.receiver;
  c.loki.source.file("ok", { targets: relabel.output, forward_to: [receiver] });
  // @ts-expect-error a list of targets is not a LogsReceiver
  c.loki.source.file("bad", { targets: relabel.output, forward_to: [relabel.output] });
  // @ts-expect-error relabel rules are not a LogsReceiver either
  c.loki.source.file("bad2", { targets: relabel.output, forward_to: [relabel.rules] });
  // @ts-expect-error a MetricsReceiver is not a LogsReceiver
  c.loki.source.file("bad3", { targets: [], forward_to: [c.prometheus.remote_write("m", {}).receiver] });
  // @ts-expect-error a receiver is not a list of targets
  c.local.file_match("bad4", { path_targets: write.receiver });
  // @ts-expect-error exports are typed by component: loki.write has no `output`
  void write.output;
  // An untyped reference (module arguments, other files) fits anywhere; the checker looks at it at build time.
  c.loki.source.file("untyped", { targets: ref("argument.targets.value"), forward_to: [ref("loki.write.other.receiver")] });
  c.loki.relabel("lr", { forward_to: [write.receiver], rule: [{ action: "labeldrop", regex: "tmp_.*" }] });
}

export function argumentsAndBlocks(c: Config): void {
  c.discovery.kubernetes("k", { role: "pod", namespaces: { names: ["default"], own_namespace: false } });
  // @ts-expect-error role is one of Alloy's roles
  c.discovery.kubernetes("k2", { role: "pods" });
  // A computed role still compiles (Alloy checks it at run time).
  c.discovery.kubernetes("k3", { role: std.sys.env("ROLE") });
  // @ts-expect-error role is required
  c.discovery.kubernetes("k4", {});
  // @ts-expect-error unknown attribute
  c.loki.write("w", { endpoint: [{ url: "http://x" }], max_stream: 10 });
  // @ts-expect-error endpoint is a repeatable block: an array
  c.loki.write("w2", { endpoint: { url: "http://x" } });
  // @ts-expect-error url is a string
  c.loki.write("w3", { endpoint: [{ url: 3100 }] });
  // @ts-expect-error wal is a block, at most one
  c.loki.write("w4", { wal: [{ enabled: true }] });
  c.loki.write("w5", { endpoint: [{ url: "http://x", tenant_id: "t", basic_auth: { username: "u", password: std.sys.env("P") } }], external_labels: { cluster: "home" } });
  // @ts-expect-error durations are strings
  c.loki.write("w6", { endpoint: [{ url: "http://x", batch_wait: 5 }] });
}

export function stages(c: Config): void {
  c.loki.process("p", {
    forward_to: [],
    stage: [
      { cri: {} },
      { json: { expressions: { level: "lvl" } } },
      { labels: { values: { level: "" } } },
      { static_labels: { values: { env: "prod" } } },
      { regex: { expression: raw(`^(?P<level>\w+)`) } },
      { match: { selector: `{app="x"}`, stage: [{ drop: { expression: ".*debug.*" } }] } },
      annotate({ drop: { older_than: "24h" } }, { comment: "old lines" }),
    ],
  });
}

export function badStages(c: Config): void {
  // @ts-expect-error no such stage
  c.loki.process("p2", { forward_to: [], stage: [{ crii: {} }] });
  // @ts-expect-error stage.regex needs its expression
  c.loki.process("p3", { forward_to: [], stage: [{ regex: { source: "x" } }] });
}

export function relabelRules(c: Config): void {
  c.discovery.relabel("ok", {
    targets: [],
    rule: [
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { action: "keep", source_labels: ["app"], regex: "web" },
      { action: "hashmod", source_labels: ["__address__"], target_label: "shard", modulus: 4 },
      { action: "labelmap", regex: "__meta_kubernetes_pod_label_(.+)" },
      annotate({ action: "labeldrop", regex: "__meta_.*" }, { comment: "metadata is not needed past this point" }),
      { action: "keepequal", source_labels: ["a"], target_label: "b" },
    ],
  });
  // @ts-expect-error replace (the default action) needs a target_label
  c.discovery.relabel("r1", { targets: [], rule: [{ source_labels: ["a"] }] });
  // @ts-expect-error labeldrop takes only a regex
  c.discovery.relabel("r2", { targets: [], rule: [{ action: "labeldrop", regex: "x", target_label: "y" }] });
  // @ts-expect-error hashmod needs a modulus
  c.discovery.relabel("r3", { targets: [], rule: [{ action: "hashmod", source_labels: ["a"], target_label: "b" }] });
  // @ts-expect-error no such action
  c.loki.relabel("r4", { forward_to: [], rule: [{ action: "labeldorp", regex: "x" }] });
}

export function expressions(): void {
  const s: Expression<string> = op.add("a", std.sys.env("B"));
  const n: Expression<number> = op.mul(2, op.add(1, 3));
  // @ts-expect-error strings and numbers do not add
  op.add("a", 1);
  // @ts-expect-error sys.env takes a string
  std.sys.env(1);
  // @ts-expect-error a comparison is a bool, not a string
  const t: Expression<string> = op.eq(s, n);
  void t;
  std.coalesce(std.sys.env("A"), "fallback");
}

describe("builder types", () => {
  it("the legal programs above build clean configs", () => {
    const c = new Config();
    const relabel = c.discovery.relabel("r", { targets: [] });
    const write = c.loki.write("w", { endpoint: [{ url: "http://loki:3100/loki/api/v1/push" }] });
    c.loki.source.file("ok", { targets: relabel.output, forward_to: [write.receiver] });
    stages(c);
    const { diagnostics, text } = c.build({ fragment: true });
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(text).toContain("stage.match {");
  });

  it("what tsc rejects, the build rejects too (for programs that get past tsc with `any`)", () => {
    const lines = (f: (c: Config) => void) => {
      const c = new Config();
      f(c);
      return c.build({ fragment: true }).diagnostics;
    };
    const bad = lines(badStages);
    expect(bad.map((d) => d.code)).toEqual(["BUILDER"]);
    expect(bad[0]?.message).toMatch(/expected one key naming a stage block .*got an object with keys \["crii"\]/);
    const withoutBuilderErrors = lines((c) => {
      // @ts-expect-error stage.regex needs its expression
      c.loki.process("p5", { forward_to: [], stage: [{ regex: { source: "x" } }] });
      // The schema has no list of match actions, so tsc lets this through; the checker does not.
      c.loki.process("p6", { forward_to: [], stage: [{ match: { selector: "{a=\"b\"}", action: "delete" } }] });
    });
    // Each diagnostic points at the builder call that made the statement.
    const source = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");
    const lineOf = (needle: string) => source.findIndex((l) => l.includes(needle)) + 1;
    expect(withoutBuilderErrors.map((d) => [d.code, d.line])).toEqual([
      ["MISSING_ATTRIBUTE", lineOf(`c.loki.process("p5"`)],
      ["INVALID_ENUM", lineOf(`c.loki.process("p6"`)],
    ]);
    expect(withoutBuilderErrors[0]?.message).toMatch(/missing required attribute "expression" in loki.process > stage.regex/);
    expect(withoutBuilderErrors[1]?.message).toMatch(/action must be "keep" or "drop", got "delete" \(at <builder>:\d+:\d+ in the River it builds\)$/);
    expect(withoutBuilderErrors[1]?.filename).toBe(fileURLToPath(import.meta.url));
  });
});
