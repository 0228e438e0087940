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
});
