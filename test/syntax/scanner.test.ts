import { describe, expect, it } from "vitest";
import { scan } from "../../src/syntax/scanner.ts";
import { parse } from "../../src/syntax/parse.ts";

/** Token names and images, TERMINATOR shown as ⏎. */
function tokens(src: string): string[] {
  return scan(src).tokens.map((t) => (t.tokenType.name === "TERMINATOR" ? "⏎" : `${t.tokenType.name}:${t.image}`));
}

function firstError(src: string): string | undefined {
  const d = parse(src).diagnostics[0];
  return d && `${d.line}:${d.column}: ${d.message}`;
}

describe("terminator insertion", () => {
  it("inserts a TERMINATOR at a newline after identifiers, literals and closing brackets only", () => {
    expect(tokens("a\nb")).toEqual(["IDENT:a", "⏎", "IDENT:b", "⏎"]);
    expect(tokens("a =\n1")).toEqual(["IDENT:a", "=:=", "NUMBER:1", "⏎"]);
    expect(tokens("x(\n)\n")).toEqual(["IDENT:x", "(:(", "):)", "⏎"]);
    expect(tokens("[\n1,\n]\n")).toEqual(["[:[", "NUMBER:1", ",:,", "]:]", "⏎"]);
    expect(tokens("true\nnull\n")).toEqual(["BOOL:true", "⏎", "NULL:null", "⏎"]);
  });

  it("puts the TERMINATOR before a comment that runs to the end of the line", () => {
    const r = scan("a = 1 // c\nb = 2 /* d */\nc = 3 /* e */ + 1\n");
    const names = r.tokens.map((t) => t.tokenType.name);
    expect(names.slice(0, 4)).toEqual(["IDENT", "=", "NUMBER", "TERMINATOR"]);
    // The terminator stands where the comment starts.
    expect(r.tokens[3]?.startOffset).toBe(6);
    expect(r.comments.map((c) => c.text)).toEqual(["// c", "/* d */", "/* e */"]);
    // "/* e */ + 1": the comment does not end the line, so no terminator before it.
    expect(tokens("c = 3 /* e */ + 1\n")).toEqual(["IDENT:c", "=:=", "NUMBER:3", "+:+", "NUMBER:1", "⏎"]);
  });

  it("inserts a TERMINATOR at the end of input after a statement", () => {
    expect(tokens("a = 1")).toEqual(["IDENT:a", "=:=", "NUMBER:1", "⏎"]);
  });
});

describe("literals", () => {
  it("scans integers, floats and exponents as alloy does", () => {
    expect(tokens("1 1.5 .5 1. 1e3 1E+3 2.5e-1")).toEqual([
      "NUMBER:1",
      "FLOAT:1.5",
      "FLOAT:.5",
      "FLOAT:1.",
      "FLOAT:1e3",
      "FLOAT:1E+3",
      "FLOAT:2.5e-1",
      "⏎",
    ]);
    expect(firstError("a = 1e\n")).toBe("1:5: exponent has no digits");
  });

  it("accepts every escape alloy accepts and rejects the others", () => {
    expect(parse(String.raw`a = "\a\b\f\n\r\t\v\\\" \101 \x41 \u0041 \U0001F600"`).diagnostics).toEqual([]);
    expect(firstError(String.raw`a = "\q"`)).toBe("1:7: unknown escape sequence");
    expect(firstError(String.raw`a = "\'"`)).toBe("1:7: unknown escape sequence");
    expect(firstError(String.raw`a = "\x4"`)).toBe(`1:7: illegal character U+0022 '"' in escape sequence`);
    expect(firstError(String.raw`a = "\uD800"`)).toBe("1:7: escape sequence is invalid Unicode code point");
    expect(firstError(String.raw`a = "\400"`)).toBe("1:7: escape sequence is invalid Unicode code point");
    expect(firstError('a = "abc\n')).toBe("1:5: string literal not terminated");
  });

  it("scans raw strings across lines without escapes", () => {
    expect(tokens("a = `x\\n\ny`")).toEqual(["IDENT:a", "=:=", "STRING:`x\\n\ny`", "⏎"]);
  });

  it("rejects single-quoted strings", () => {
    expect(firstError("a = 'x'")).toBe("1:5: illegal single-quoted string; use double quotes");
  });

  it("keywords are not identifiers", () => {
    expect(tokens("true false null truex")).toEqual(["BOOL:true", "BOOL:false", "NULL:null", "IDENT:truex", "⏎"]);
  });

  it("accepts Unicode letters and digits in identifiers", () => {
    expect(tokens("héllo_٣ = 1")).toEqual(["IDENT:héllo_٣", "=:=", "NUMBER:1", "⏎"]);
  });
});

describe("bad characters", () => {
  it("reports operators missing their second character", () => {
    expect(firstError("a = b | c")).toBe("1:8: missing second | in ||");
    expect(firstError("a = b & c")).toBe("1:8: missing second & in &&");
  });

  it("names illegal characters as Go's %#U does", () => {
    expect(firstError("a = 1;")).toBe("1:6: illegal character U+003B ';'");
    expect(firstError("a = 1 @")).toBe("1:7: illegal character U+0040 '@'");
  });

  it("reports NUL bytes, without crashing", () => {
    expect(firstError("a = \0")).toBe("1:5: illegal character NUL");
    expect(firstError('a = "x\0y"')).toBe("1:7: illegal character NUL");
  });

  it("reports invalid encoding (lone surrogates) at UTF-8 byte columns", () => {
    expect(firstError('a = "é\ud800"')).toBe("1:8: illegal UTF-8 encoding");
  });

  it("skips a leading byte order mark and rejects one elsewhere", () => {
    expect(parse("\ufeffa = 1").diagnostics).toEqual([]);
    expect(firstError("a = 1\n\ufeffb = 2")).toBe("2:1: illegal byte order mark");
  });

  it("strips carriage returns from comments as alloy does", () => {
    expect(scan("// c\r\na = 1 /* x\r\ny */\r\n").comments.map((c) => c.text)).toEqual(["// c", "/* x\ny */"]);
  });

  it("reports an unterminated block comment", () => {
    expect(firstError("a = 1\n/* never closed")).toBe("2:1: block comment not terminated");
  });
});
