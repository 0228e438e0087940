import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const dir = mkdtempSync(join(tmpdir(), "river-relabel-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runCli(["relabel", ...args], { cwd: dir });
  return { code, stdout: out, stderr: err };
}

write(
  "pods.alloy",
  `discovery.relabel "base" {
  targets = []

  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }
}

discovery.relabel "pods" {
  targets = discovery.relabel.base.output

  rule {
    source_labels = ["namespace"]
    regex         = "kube-.*"
    action        = "drop"
  }

  rule {
    regex  = "__meta_kubernetes_pod_label_(.+)"
    action = "labelmap"
  }
}
`,
);

describe("river relabel", () => {
  it("prints the resulting labels, sorted", async () => {
    const r = await run("pods.alloy", "--component", "discovery.relabel.pods", "--target", '{"__meta_kubernetes_pod_label_app":"web","__meta_kubernetes_namespace":"prod"}');
    expect(r).toEqual({
      code: 0,
      stderr: "",
      stdout: '{__meta_kubernetes_namespace="prod", __meta_kubernetes_pod_label_app="web", app="web", namespace="prod"}\n',
    });
  });

  it("says which rule dropped a target", async () => {
    const r = await run("pods.alloy", "-c", "discovery.relabel.pods", "--target", '{"__meta_kubernetes_namespace":"kube-system"}');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'dropped by rule 0 (action=drop, source_labels=["namespace"], regex="kube-.*") at pods.alloy:13:3 in discovery.relabel.pods\n',
    );
  });

  it("--trace shows each rule's effect as a diff", async () => {
    const r = await run("pods.alloy", "-c", "discovery.relabel.pods", "--trace", "--target", '{"__meta_kubernetes_namespace":"prod","__meta_kubernetes_pod_label_app":"web"}');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'target 1: {__meta_kubernetes_namespace="prod", __meta_kubernetes_pod_label_app="web"}',
        "  discovery.relabel.base",
        '    rule 0 (action=replace, source_labels=["__meta_kubernetes_namespace"]) at pods.alloy:4:3:',
        '      + namespace="prod"',
        "  discovery.relabel.pods",
        '    rule 0 (action=drop, source_labels=["namespace"], regex="kube-.*") at pods.alloy:13:3: no change',
        '    rule 1 (action=labelmap, regex="__meta_kubernetes_pod_label_(.+)") at pods.alloy:19:3:',
        '      + app="web"',
        '  => {__meta_kubernetes_namespace="prod", __meta_kubernetes_pod_label_app="web", app="web", namespace="prod"}',
        "",
      ].join("\n"),
    );
  });

  it("reads a targets file of 200,000 lines (no argument-list overflow)", async () => {
    write("many.jsonl", Array.from({ length: 200_000 }, (_, i) => `{"__meta_kubernetes_namespace":"n${i % 7}"}`).join("\n"));
    const r = await run("pods.alloy", "-c", "discovery.relabel.pods", "--targets", "many.jsonl", "--json");
    expect(r.stderr).toBe("");
    expect(r.stdout.trim().split("\n")).toHaveLength(200_000);
  });

  it("reads --targets as a JSON array or JSON Lines", async () => {
    write("t.json", '[{"__meta_kubernetes_namespace":"a"},{"__meta_kubernetes_namespace":"kube-x"}]');
    write("t.jsonl", '{"__meta_kubernetes_namespace":"a"}\n\n{"__meta_kubernetes_namespace":"b"}\n');
    const a = await run("pods.alloy", "-c", "discovery.relabel.pods", "--targets", "t.json");
    expect(a.stdout.split("\n")).toEqual([
      'target 1: {__meta_kubernetes_namespace="a", namespace="a"}',
      expect.stringMatching(/^target 2: dropped by rule 0 /),
      "",
    ]);
    const b = await run("pods.alloy", "-c", "discovery.relabel.pods", "--targets", "t.jsonl", "--json");
    expect(b.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual([
      { input: { __meta_kubernetes_namespace: "a" }, labels: { __meta_kubernetes_namespace: "a", namespace: "a" } },
      { input: { __meta_kubernetes_namespace: "b" }, labels: { __meta_kubernetes_namespace: "b", namespace: "b" } },
    ]);
  });

  it("bad JSON: a clear message with a position, exit 1, no stack trace", async () => {
    write("bad.jsonl", '{"a":"1"}\n{"a": }\n');
    const r = await run("pods.alloy", "-c", "discovery.relabel.pods", "--targets", "bad.jsonl");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^bad\.jsonl:2:7: invalid JSON: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const t = await run("pods.alloy", "-c", "discovery.relabel.pods", "--target", "{nope");
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/^--target:1:2: invalid JSON/);
    const t2 = await run("pods.alloy", "-c", "discovery.relabel.pods", "--target", "{}", "--target", '{"a":"b",}');
    expect(t2.stderr).toMatch(/^--target #2:1:10: invalid JSON/);
    const v = await run("pods.alloy", "-c", "discovery.relabel.pods", "--target", '{"a":1}');
    expect(v.stderr).toBe('--target: label "a" must have a string value, got 1\n');
  });

  it("unknown component", async () => {
    const r = await run("pods.alloy", "-c", "discovery.relabel.nope", "--target", "{}");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no component discovery\.relabel\.nope in the config \(relabel components: discovery\.relabel\.base, discovery\.relabel\.pods\)/);
  });

  it("an invalid rule is reported as file:line:col", async () => {
    write("invalid.alloy", 'discovery.relabel "x" {\n  targets = []\n  rule {\n    action = "keep"\n    regex  = "a(b"\n  }\n}\n');
    const r = await run("invalid.alloy", "--target", '{"a":"b"}');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("invalid.alloy:5:5: discovery.relabel.x: rule[0]: error parsing regexp: missing closing ): `^(?s:a(b)$`\n");
  });

  it("syntax errors and missing files", async () => {
    write("syntax.alloy", "discovery.relabel \"x\" {\n  targets = [\n}\n");
    const r = await run("syntax.alloy", "--target", "{}");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^syntax\.alloy:\d+:\d+: /);
    // Invalid UTF-8 is a syntax error at its byte, as in river fmt and alloy (not a silent U+FFFD).
    writeFileSync(join(dir, "bad8.alloy"), new Uint8Array([...new TextEncoder().encode('discovery.relabel "x" {\n  targets = ["'), 0xff, ...new TextEncoder().encode('"]\n}\n')]));
    const u = await run("bad8.alloy", "--target", "{}");
    expect(u).toMatchObject({ code: 1, stderr: "bad8.alloy:2:15: illegal UTF-8 encoding\n" });
    const m = await run("missing.alloy", "--target", "{}");
    expect(m).toMatchObject({ code: 2, stderr: "river relabel: missing.alloy: no such file or directory\n" });
  });

  it("several components need --component", async () => {
    const r = await run("pods.alloy", "--target", "{}");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/several relabel components; choose one with --component/);
  });
});

describe("river relabel warnings", () => {
  it("flags labelmap results Alloy may vary run to run on stderr", async () => {
    write("lm.alloy", 'discovery.relabel "x" {\n  targets = []\n  rule {\n    regex  = "__meta_kubernetes_pod_(?:label|annotation)_(.+)"\n    action = "labelmap"\n  }\n}\n');
    const r = await run("lm.alloy", "--target", '{"__meta_kubernetes_pod_label_app":"x","__meta_kubernetes_pod_annotation_app":"y"}');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/app="x"/);
    expect(r.stderr).toMatch(/^warning: target 1: discovery\.relabel\.x: rule 0 \(labelmap\): .* both map to "app"/);
  });
});
