import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/cli/diff.ts";

/** Applies a unified diff produced by unifiedDiff to `old`. */
function applyPatch(old: string, patch: string): string {
  const oldLines = old.split(/(?<=\n)/).filter((l) => l !== "");
  const out: string[] = [];
  let next = 0;
  const lines = patch.split("\n");
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i] as string;
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (hunk) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      const from = count === 0 ? start : start - 1;
      while (next < from) out.push(oldLines[next++] as string);
      continue;
    }
    if (line === "\\ No newline at end of file") {
      const last = out.length - 1;
      if (lines[i - 1]?.startsWith("+") || lines[i - 1]?.startsWith(" ")) out[last] = (out[last] as string).replace(/\n$/, "");
      continue;
    }
    if (line.startsWith(" ")) {
      out.push(`${line.slice(1)}\n`);
      next++;
    } else if (line.startsWith("-")) next++;
    else if (line.startsWith("+")) out.push(`${line.slice(1)}\n`);
  }
  while (next < oldLines.length) out.push(oldLines[next++] as string);
  return out.join("");
}

describe("unifiedDiff", () => {
  it("prints diff -u style hunks with three lines of context", () => {
    const a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n";
    const b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
    expect(unifiedDiff(a, b, "a", "b")).toBe("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  });

  it("is empty for equal texts and marks a missing final newline", () => {
    expect(unifiedDiff("x\n", "x\n", "a", "b")).toBe("");
    expect(unifiedDiff("x", "x\n", "a", "b")).toBe("--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n");
  });

  it("reconstructs the new text when applied to the old one", () => {
    const text = fc.array(fc.constantFrom("a\n", "b\n", "c\n", "\n", "d\n"), { maxLength: 30 }).map((l) => l.join(""));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(applyPatch(a, unifiedDiff(a, b, "a", "b") || "\n\n")).toBe(b);
      }),
      { numRuns: 500 },
    );
  });
});
