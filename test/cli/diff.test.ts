import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { unifiedDiff } from "../../src/cli/diff.ts";

/**
 * Applies a unified diff produced by unifiedDiff to `old`, strictly: every context and deleted line must be the old
 * text's line at that place, and each hunk must hold the number of lines its header announces.
 */
function applyPatch(old: string, patch: string): string {
  const oldLines = old.split(/(?<=\n)/).filter((l) => l !== "");
  const out: string[] = [];
  let next = 0;
  const lines = patch.split("\n");
  if (lines.at(-1) === "") lines.pop();
  let oldLeft = 0;
  let newLeft = 0;
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i] as string;
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@$/.exec(line);
    if (hunk) {
      expect([oldLeft, newLeft]).toEqual([0, 0]);
      const start = Number(hunk[1]);
      oldLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      newLeft = hunk[4] === undefined ? 1 : Number(hunk[4]);
      const from = oldLeft === 0 ? start : start - 1;
      expect(from).toBeGreaterThanOrEqual(next);
      while (next < from) out.push(oldLines[next++] as string);
      expect(newLeft === 0 ? Number(hunk[3]) : Number(hunk[3]) - 1).toBe(out.length);
      continue;
    }
    const noNewline = lines[i + 1] === "\\ No newline at end of file";
    const text = line.slice(1) + (noNewline ? "" : "\n");
    if (noNewline) i++;
    if (line.startsWith(" ") || line.startsWith("-")) {
      expect(oldLines[next]).toBe(text);
      next++;
      oldLeft--;
    }
    if (line.startsWith(" ") || line.startsWith("+")) {
      out.push(text);
      newLeft--;
    }
    if (!/^[ +-]/.test(line)) throw new Error(`not a diff line: ${JSON.stringify(line)}`);
  }
  expect([oldLeft, newLeft]).toEqual([0, 0]);
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

  it("is a correct patch for texts with and without a final newline, whatever the sizes", () => {
    const line = fc.oneof(fc.constantFrom("a", "b", "c", "", "\td"), fc.string({ maxLength: 3 }).filter((s) => !s.includes("\n")));
    const text = fc.tuple(fc.array(line, { maxLength: 60 }), fc.boolean()).map(([ls, end]) => ls.join("\n") + (end && ls.length > 0 ? "\n" : ""));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const patch = unifiedDiff(a, b, "a", "b");
        expect(patch === "").toBe(a === b);
        if (patch !== "") expect(applyPatch(a, patch)).toBe(b);
      }),
      { numRuns: 1000 },
    );
  });

  it("is minimal on small edits: one changed line costs one deletion and one insertion", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 200 }), fc.nat(), (nums, at) => {
        const a = nums.map((n) => `${n}\n`);
        const b = [...a];
        b[at % b.length] = "changed\n";
        const patch = unifiedDiff(a.join(""), b.join(""), "a", "b");
        const body = patch.split("\n").filter((l) => /^[+-](?![+-]{2} )/.test(l));
        expect(body.length).toBe(2);
      }),
    );
  });

  it("stays correct past its cost bound: thousands of equal lines in a different order", () => {
    // Small numbers repeat, so almost every line has partners in the other text and a minimal script is expensive.
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const a = Array.from({ length: 6000 }, () => `${random(50)}\n`);
    const b = [...a];
    for (let i = b.length - 1; i > 0; i--) {
      const j = random(i + 1);
      [b[i], b[j]] = [b[j] as string, b[i] as string];
    }
    const patch = unifiedDiff(a.join(""), b.join(""), "a", "b");
    expect(applyPatch(a.join(""), patch)).toBe(b.join(""));
  });

  it("deletes and inserts every line of a fully re-indented text, blank lines staying as context", () => {
    const a = Array.from({ length: 20_000 }, (_, i) => (i % 10 === 9 ? "\n" : `  x${i} = ${i}\n`)).join("");
    const b = Array.from({ length: 20_000 }, (_, i) => (i % 10 === 9 ? "\n" : `\tx${i} = ${i}\n`)).join("");
    const patch = unifiedDiff(a, b, "a", "b");
    expect(patch.split("\n").filter((l) => l === " ").length).toBe(2_000);
    expect(applyPatch(a, patch)).toBe(b);
  });
});
