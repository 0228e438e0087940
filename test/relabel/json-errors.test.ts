import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "../../src/cli/commands/relabel-run.ts";
import { runCli } from "../helpers/cli.ts";

const CONFIG = `discovery.relabel "r" {\n  targets = []\n\n  rule {\n    source_labels = ["a"]\n    target_label  = "b"\n  }\n}\n`;

describe("where invalid JSON goes wrong", () => {
  it.each([
    [`{"a": 1,}`, 8],
    [`{"a" 1}`, 5],
    [`[1, 2`, 5],
    [`[1 2]`, 3],
    [`{"a": [true, nul]}`, 16],
    [`{"a": "b\\x"}`, 9],
    [`{"a": -}`, 6],
    [`[{"a": {}}, {"b": [[]]}] x`, 25],
    [`{"a": "b"}}`, 10],
    [`"\u0001"`, 1],
  ])("%s: offset %i", (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });
  it("is found without recursion in 100,000 nested brackets", () => {
    expect(jsonErrorOffset("[".repeat(100_000))).toBe(100_000);
    expect(jsonErrorOffset(`{"a":`.repeat(100_000) + "x")).toBe(500_000);
    expect(jsonErrorOffset("[".repeat(100_000) + "]".repeat(99_999) + ",")).toBe(200_000);
  });
  it("river relabel --targets on deeply nested malformed JSON is a positioned error, exit 1 (was a crash, exit 70)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-json-"));
    writeFileSync(join(dir, "r.alloy"), CONFIG);
    writeFileSync(join(dir, "deep.json"), "[".repeat(100_000));
    const r = await runCli(["relabel", "r.alloy", "--targets", "deep.json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^deep\.json:1:100001: invalid JSON: /);
  });
  it("a targets file may start with a byte order mark (JSON Lines or an array); columns count from after it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-json-"));
    writeFileSync(join(dir, "r.alloy"), CONFIG);
    writeFileSync(join(dir, "t.jsonl"), `\uFEFF{"a": "1"}\n{"a": "2"}\n`);
    writeFileSync(join(dir, "t.json"), `\uFEFF[{"a": "3"}]`);
    writeFileSync(join(dir, "bad.jsonl"), `\uFEFF{"a" "1"}\n`);
    expect(await runCli(["relabel", "r.alloy", "--targets", "t.jsonl"], { cwd: dir })).toMatchObject({ code: 0, out: `target 1: {a="1", b="1"}\ntarget 2: {a="2", b="2"}\n` });
    expect(await runCli(["relabel", "r.alloy", "--targets", "t.json"], { cwd: dir })).toMatchObject({ code: 0, out: `{a="3", b="3"}\n` });
    const bad = await runCli(["relabel", "r.alloy", "--targets", "bad.jsonl"], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^bad\.jsonl:1:6: invalid JSON: /);
  });
});
