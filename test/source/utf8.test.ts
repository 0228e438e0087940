import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeSource } from "../../src/source/decode.ts";
import { SourceFile } from "../../src/source/source-file.ts";
import { encodeUtf8, indexOfUtf8Column, utf8Length, utf8Width } from "../../src/source/utf8.ts";

/** Encodes a whole text with encodeUtf8, as the tab writer does. */
function encode(text: string): Uint8Array {
  const buf = new Uint8Array(text.length * 3 + 4);
  let len = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[len++] = c;
      continue;
    }
    const end = encodeUtf8(buf, len, text, i);
    if (end - len === 4) i++;
    len = end;
  }
  return buf.subarray(0, len);
}

describe("one UTF-8 width for river's texts", () => {
  it("agrees with TextEncoder on valid text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const bytes = new TextEncoder().encode(s);
        expect(utf8Length(s)).toBe(bytes.length);
        expect(encode(s)).toEqual(bytes);
      }),
    );
  });

  it("counts each undecodable byte kept by decodeSource as one byte, and encodes it back", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = decodeSource(bytes);
        expect(utf8Length(text)).toBe(bytes.length);
        expect(encode(text)).toEqual(bytes);
      }),
      { numRuns: 2000 },
    );
  });

  it("maps byte columns back to the characters they start", () => {
    const line = "a\udcffé日\ud83d\ude00b"; // 1 + 1 + 2 + 3 + 4 + 1 bytes
    const starts = [1, 2, 3, 5, 8, 12, 13];
    expect(starts.map((col) => indexOfUtf8Column(line, col))).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(utf8Width(0xd83d, 0xde00)).toBe(4);
    expect(utf8Width(0xd83d, 0x41)).toBe(3); // a lone high surrogate, written as U+FFFD
  });

  it("SourceFile columns and indexOfUtf8Column are inverses on every character start", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), (bytes) => {
        const text = decodeSource(bytes).replace(/[\r\n]/g, "x");
        const file = new SourceFile("t", text);
        for (let i = 0; i <= text.length; i++) {
          if (i > 0 && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xdc00 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) continue;
          expect(indexOfUtf8Column(text, file.position(i).column)).toBe(i);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
