/**
 * A label named `__proto__` is an ordinary label: results, targets read from a config and `--target` JSON keep it.
 * (Assigning `out[name] = value` on a plain object turns that name into a prototype change and silently loses it.)
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { diffLabels, relabel, rulesFromConfig, simulateComponent } from "../../src/relabel/index.ts";
import { parse } from "../../src/syntax/parse.ts";
import { runCli } from "../helpers/cli.ts";

const PROTO = JSON.parse(`{"__proto__": "p", "a": "1"}`) as Record<string, string>;

const CONFIG = `discovery.relabel "r" {
  targets = [{"__proto__" = "p", "a" = "1"}]

  rule {
    source_labels = ["a"]
    target_label  = "__proto__"
    replacement   = "from-a-$1"
  }
}
`;

describe("a label named __proto__", () => {
  it("survives relabel, in the result and in the trace", () => {
    const kept = relabel([], PROTO);
    expect(kept.dropped ? undefined : Object.entries(kept.labels)).toEqual([["__proto__", "p"], ["a", "1"]]);
    const set = relabel([{ source_labels: ["a"], target_label: "__proto__" }], { a: "1" }, { trace: true });
    expect(set.dropped ? undefined : Object.entries(set.labels)).toEqual([["__proto__", "1"], ["a", "1"]]);
    expect(set.dropped ? undefined : Object.getPrototypeOf(set.labels)).toBe(Object.prototype);
    const step = set.trace?.[0];
    expect(step === undefined || step.after === undefined ? undefined : diffLabels(step.before, step.after)).toEqual([{ kind: "added", name: "__proto__", value: "1" }]);
  });
  it("is kept in targets read from a config", () => {
    const [sim] = simulateComponent(parse(CONFIG).file, "discovery.relabel.r");
    expect(Object.entries(sim?.input ?? {})).toEqual([["__proto__", "p"], ["a", "1"]]);
    expect(sim === undefined || sim.result.dropped ? undefined : Object.entries(sim.result.labels)).toEqual([["__proto__", "from-a-1"], ["a", "1"]]);
  });
  it("is an unknown attribute when a rule sets it, not a silent no-op", () => {
    const [component] = rulesFromConfig(parse(`discovery.relabel "r" {\n  targets = []\n  rule {\n    __proto__ = "x"\n    action    = "drop"\n  }\n}\n`).file);
    expect(component?.problems.map((p) => p.message)).toEqual([`unrecognized attribute name "__proto__"`]);
  });
  it("is kept by river relabel --target and --targets", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-proto-"));
    writeFileSync(join(dir, "r.alloy"), CONFIG);
    writeFileSync(join(dir, "t.jsonl"), `{"__proto__": "q", "a": "2"}\n`);
    const one = await runCli(["relabel", "r.alloy", "--target", `{"__proto__": "q", "b": "2"}`, "--json"], { cwd: dir });
    expect(one.code).toBe(0);
    // source label a is missing: the replacement is "from-a-", not empty, so __proto__ is overwritten.
    expect(JSON.parse(one.out)).toEqual(JSON.parse(`{"input": {"__proto__": "q", "b": "2"}, "labels": {"__proto__": "from-a-", "b": "2"}}`));
    const file = await runCli(["relabel", "r.alloy", "--targets", "t.jsonl"], { cwd: dir });
    expect(file).toMatchObject({ code: 0, out: `{__proto__="from-a-2", a="2"}\n` });
    const fromConfig = await runCli(["relabel", "r.alloy"], { cwd: dir });
    expect(fromConfig).toMatchObject({ code: 0, out: `{__proto__="from-a-1", a="1"}\n` });
  });
});
