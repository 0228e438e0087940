/**
 * Property tests of the formatter on random River sources: generated ASTs rendered with random layout (line breaks,
 * indentation, blank lines, comments). Three alloy fmt quirks are kept out of the generator because river reproduces
 * them on purpose (see test/golden/fmt/quirk-*): empty calls with `)` on another line, escapes in quoted object keys,
 * tabs in raw strings, and spaces at the end of a raw string's lines (the generator lives in test/helpers).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, parse, RiverSyntaxError } from "../../src/index.ts";
import { scan } from "../../src/syntax/scanner.ts";
import { riverNoise, riverSource as source } from "../helpers/arbitraries.ts";

/** Significant tokens of a source, ignoring TERMINATORs and commas right before a closing bracket. */
function tokenImages(src: string): string[] {
  const toks = scan(src).tokens.filter((t) => t.tokenType.name !== "TERMINATOR");
  return toks
    .filter((t, i) => !(t.image === "," && ["]", "}", ")"].includes(toks[i + 1]?.image ?? "")))
    .map((t) => t.image.replace(/\r/g, ""));
}

function commentTexts(src: string): string[] {
  return scan(src).comments.map((c) => c.text);
}

const runs = { numRuns: 300 };

describe("formatter properties", () => {
  it("generated sources parse (sanity check of the generator)", () => {
    fc.assert(
      fc.property(source, (src) => {
        expect(parse(src).diagnostics).toEqual([]);
      }),
      runs,
    );
  });

  it("format is idempotent", () => {
    fc.assert(
      fc.property(source, (src) => {
        const once = format(src);
        expect(format(once)).toBe(once);
      }),
      runs,
    );
  });

  it("changes only layout: same tokens (up to trailing commas) and the same comments", () => {
    fc.assert(
      fc.property(source, (src) => {
        const out = format(src);
        expect(tokenImages(out)).toEqual(tokenImages(src));
        expect(commentTexts(out)).toEqual(commentTexts(src));
      }),
      runs,
    );
  });

  it("output re-parses without errors and ends with one newline", () => {
    fc.assert(
      fc.property(source, (src) => {
        const out = format(src);
        expect(parse(out).diagnostics).toEqual([]);
        expect(out.endsWith("\n")).toBe(true);
        expect(out.endsWith("\n\n")).toBe(false);
      }),
      runs,
    );
  });

  it("never throws anything but RiverSyntaxError, whatever the input", () => {
    fc.assert(
      fc.property(fc.oneof(riverNoise, fc.string({ unit: "binary", maxLength: 40 }), source.map((s) => s.slice(0, s.length >> 1))), (src) => {
        try {
          format(src);
        } catch (err) {
          expect(err).toBeInstanceOf(RiverSyntaxError);
          const d = (err as RiverSyntaxError).diagnostics[0];
          expect(d?.line).toBeGreaterThan(0);
          expect(d?.column).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
