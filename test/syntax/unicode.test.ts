import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.ts";
import { quoteString } from "../../src/syntax/strings.ts";
import { isValidIdentifier } from "../../src/syntax/identifier.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const UNICODE_DATA = "/usr/share/unicode/UnicodeData.txt";
const haveData = existsSync(UNICODE_DATA);
if (!haveData) console.warn(`skipping the Unicode table regeneration check: ${UNICODE_DATA} is absent (Debian package unicode-data)`);

describe("Unicode classes are Unicode 15.0's, like the Go release alloy is built with", () => {
  it.skipIf(!haveData)("src/syntax/unicode-tables.ts is what scripts/gen-unicode.mjs generates", async () => {
    const { unicodeTablesModule } = (await import(pathToFileURL(`${root}scripts/gen-unicode.mjs`).href)) as {
      unicodeTablesModule(data: string): string;
    };
    const committed = readFileSync(`${root}src/syntax/unicode-tables.ts`, "utf8");
    expect(unicodeTablesModule(readFileSync(UNICODE_DATA, "utf8")) === committed, "run node scripts/gen-unicode.mjs").toBe(true);
  });

  it("takes letters and digits from Unicode 15.0, whatever Node's ICU knows", () => {
    // U+11F04 KAWI LETTER A (Unicode 15.0) is a letter; U+2EBF0 (CJK Extension I, Unicode 15.1) is not yet one.
    expect(isValidIdentifier("x\u{11F04}")).toBe(true);
    expect(parse("x\u{11F04} = 1").diagnostics).toEqual([]);
    expect(isValidIdentifier("x\u{2EBF0}")).toBe(false);
    expect(parse("a\u{2EBF0} = 1").diagnostics[0]?.message).toBe("illegal character U+2EBF0");
    // U+0AE6 GUJARATI DIGIT ZERO continues an identifier; U+00B2 SUPERSCRIPT TWO (No, not Nd) does not.
    expect(isValidIdentifier("x\u0AE6")).toBe(true);
    expect(isValidIdentifier("x\u00B2")).toBe(false);
  });

  it("quotes characters unassigned in Unicode 15.0 like Go's %q", () => {
    expect(quoteString("\u{11F04}")).toBe('"\u{11F04}"');
    expect(quoteString("\u{2EBF0}")).toBe('"\\U0002ebf0"');
    expect(quoteString("\u00A0")).toBe('"\\u00a0"');
  });
});
