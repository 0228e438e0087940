import { describe, expect, it } from "vitest";
import { SourceFile } from "../../src/source/source-file.ts";
import { utf8Length } from "../../src/source/utf8.ts";

describe("SourceFile.position", () => {
  it("counts bytes on from the previous position on a line: same columns, linear on a long line of noise", () => {
    const text = `héllo\n${"a🚀é\uDC80x".repeat(30_000)}\nz`;
    const file = new SourceFile("f", text);
    const naive = (offset: number) => utf8Length(text, text.lastIndexOf("\n", offset - 1) + 1, offset) + 1;
    const offsets = [0, 3, 7, 8, 9, 10, 9, 12, 50, 13, 100_000, 100_001, 150_005, text.length - 1, text.length];
    for (const o of offsets) expect(file.position(o).column, `offset ${o}`).toBe(naive(o));
    const started = performance.now();
    for (let o = 6; o < text.length; o += 3) file.position(o);
    // 50,000 positions on a 180,000-character line: each counted from the line's start took about 10 s.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
