import { describe, expect, it } from "vitest";
import type { AttributeStmt, BlockStmt, Expr } from "../../src/ast/ast.ts";
import { parse, MAX_NESTING, MAX_AST_DEPTH } from "../../src/syntax/parse.ts";
import { quoteString, unquoteString } from "../../src/syntax/strings.ts";

/** Fully parenthesised rendering of an expression, to check precedence and associativity. */
function show(e: Expr): string {
  switch (e.kind) {
    case "LiteralExpr":
      return e.raw;
    case "IdentifierExpr":
      return e.ident.name;
    case "BinaryExpr":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "UnaryExpr":
      return `(${e.op}${show(e.value)})`;
    case "ParenExpr":
      return `[${show(e.inner)}]`;
    case "AccessExpr":
      return `${show(e.value)}.${e.name.name}`;
    case "IndexExpr":
      return `${show(e.value)}[${show(e.index)}]`;
    case "CallExpr":
      return `${show(e.value)}(${e.args.map(show).join(", ")})`;
    case "ArrayExpr":
      return `{arr ${e.elements.map(show).join(", ")}}`;
    case "ObjectExpr":
      return `{obj ${e.fields.map((f) => `${f.name.name}=${show(f.value)}`).join(", ")}}`;
  }
}

function expr(src: string): string {
  const { file, diagnostics } = parse(`x = ${src}`);
  expect(diagnostics).toEqual([]);
  return show((file.body[0] as AttributeStmt).value);
}

function errors(src: string): string[] {
  return parse(src).diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`);
}

describe("expressions", () => {
  it("follows alloy's precedence, lowest first: || && comparison + * ^", () => {
    expect(expr("a || b && c")).toBe("(a || (b && c))");
    expect(expr("a == b + c * d")).toBe("(a == (b + (c * d)))");
    expect(expr("1 + 2 * 3 - 4 / 5 % 6")).toBe("((1 + (2 * 3)) - ((4 / 5) % 6))");
    expect(expr("a < b == c >= d")).toBe("(((a < b) == c) >= d)");
  });

  it("makes ^ right-associative and binds unary operators tighter", () => {
    expect(expr("2 ^ 3 ^ 2")).toBe("(2 ^ (3 ^ 2))");
    expect(expr("-2 ^ 2")).toBe("((-2) ^ 2)");
    expect(expr("2 ^ -2 * 3")).toBe("((2 ^ (-2)) * 3)");
    expect(expr("!!a && -b")).toBe("((!(!a)) && (-b))");
    expect(expr("1 - 2 - 3")).toBe("((1 - 2) - 3)");
  });

  it("parses postfix access, index and call chains", () => {
    expect(expr("a.b[0].c(1, 2)(3)")).toBe("a.b[0].c(1, 2)(3)");
    expect(expr("(a + b).c")).toBe("[(a + b)].c");
    expect(expr('encoding.from_json(local.file.x.content)["k"]')).toBe('encoding.from_json(local.file.x.content)["k"]');
  });

  it("parses arrays and objects with trailing commas and quoted keys", () => {
    expect(expr("[1, 2,]")).toBe("{arr 1, 2}");
    expect(expr("[]")).toBe("{arr }");
    expect(expr('{ a = 1, "b.c" = [2], }')).toBe("{obj a=1, b.c={arr 2}}");
    expect(expr("{\n a = 1,\n b = 2,\n}")).toBe("{obj a=1, b=2}");
  });
});

describe("statements", () => {
  it("parses blocks with dotted names and labels, and attributes", () => {
    const { file, diagnostics } = parse('prometheus.scrape "default" {\n  targets = []\n  a.b.c { }\n}\n');
    expect(diagnostics).toEqual([]);
    const block = file.body[0] as BlockStmt;
    expect(block.name).toEqual(["prometheus", "scrape"]);
    expect(block.label).toBe("default");
    expect(block.body.map((s) => s.kind)).toEqual(["AttributeStmt", "BlockStmt"]);
    expect((block.body[1] as BlockStmt).name).toEqual(["a", "b", "c"]);
  });

  it("records positions on every node (half-open UTF-16 offsets)", () => {
    const src = 'b "l" {\n  x = f(1) + [2]\n}';
    const { file } = parse(src);
    const block = file.body[0] as BlockStmt;
    expect([block.start, block.end, block.lcurly, block.rcurly, block.labelPos]).toEqual([0, src.length, 6, src.length - 1, 2]);
    const attr = block.body[0] as AttributeStmt;
    expect(src.slice(attr.start, attr.end)).toBe("x = f(1) + [2]");
    expect(src.slice(attr.value.start, attr.value.end)).toBe("f(1) + [2]");
  });

  // A group is a run of comments with no token between them, each at most one line below the previous one; the
  // TERMINATOR after `x = 1` comes before `// d`, so `// d` and `/* e */` form one group.
  it("keeps comments in groups of adjacent lines", () => {
    const { file } = parse("// a\n// b\n\n// c\nx = 1 // d\n/* e */ y = 2\n");
    expect(file.comments.map((g) => g.map((c) => c.text))).toEqual([["// a", "// b"], ["// c"], ["// d", "/* e */"]]);
  });
});

describe("syntax errors (alloy's messages and positions)", () => {
  it("requires a terminator between statements", () => {
    expect(errors("a = 1 b = 2")).toEqual(["1:7: expected TERMINATOR, got IDENT"]);
  });

  it("reports missing commas in lists and objects", () => {
    expect(errors("a = [1 2]")[0]).toBe("1:8: missing ',' in expression list");
    expect(errors("a = [1\n]")[0]).toBe("1:7: missing ',' in expression list");
    expect(errors("a = {b = 1\n}")[0]).toBe("1:11: missing ',' in field list");
  });

  it("takes the token where a comma is missing in its place, as alloy does (one error, not two)", () => {
    expect(errors("a = [1\n]")).toEqual(["1:7: missing ',' in expression list"]);
    expect(errors("a = f(1\n)")).toEqual(["1:8: missing ',' in expression list"]);
    expect(errors("a = {b = 1\n}")).toEqual(["1:11: missing ',' in field list"]);
    expect(errors("a = f(1\n)\nb = 2 3")).toEqual(["1:8: missing ',' in expression list", "3:7: expected TERMINATOR, got NUMBER"]);
  });

  it("explains what was expected after a block name", () => {
    expect(errors("a.b c {}")[0]).toBe("1:5: expected block label, got IDENT");
    expect(errors('a.b "x" = 1')[0]).toBe('1:1: attribute names may only consist of a single identifier with no "."');
    expect(errors('a "x" = 1')[0]).toBe("1:3: attribute names may not have labels");
    expect(errors('a "" = 1')[0]).toBe("1:3: attribute names may not have labels");
    expect(errors('a "x" + 1')[0]).toBe("1:7: expected block body, got +");
    expect(errors('a "" + 1')[0]).toBe("1:6: expected attribute assignment or block body, got +");
  });

  it("checks block labels", () => {
    expect(errors('a "b c" {}')[0]).toBe('1:3: expected block label to be a valid identifier, but got "b c"');
    expect(errors("a `b` {}")[0]).toBe('1:3: expected block label to be a double quoted string, but got "`b`"');
  });

  it("reports expressions that are missing or unfinished", () => {
    expect(errors("a = \n")[0]).toBe("2:1: expected expression, got EOF");
    expect(errors("a = f(b\n)")[0]).toBe("1:8: missing ',' in expression list");
    expect(errors("a = (1 2)")[0]).toBe("1:8: expected ), got NUMBER");
    expect(errors("a = b.1")[0]).toBe("1:6: expected TERMINATOR, got FLOAT"); // `.1` scans as a number
    expect(errors("a = b.(")[0]).toBe("1:7: expected IDENT, got (");
    expect(errors("a = [1,")[0]).toBe("1:8: expected ], got EOF");
    expect(errors("a {\n b = 1\n")[0]).toBe("3:1: expected }, got EOF");
    expect(errors("a = {1 = 2}")[0]).toBe("1:6: expected field name (string or identifier), got NUMBER");
    expect(errors("a = {b 2}")[0]).toBe("1:8: expected =, got NUMBER");
    expect(errors("{ a = 1 }")[0]).toBe("1:1: expected identifier, got {");
  });

  it("rejects a block used as an expression", () => {
    expect(errors('a = b "c" { d = 1 }')[0]).toBe("1:5: cannot use a block as an expression");
  });

  it("reports several errors in one run", () => {
    expect(errors("a = = 1\nb = 2\nc = [1 2]\nd {\n e = )\n}\n")).toEqual([
      "1:5: expected expression, got =",
      "3:8: missing ',' in expression list",
      "5:6: expected expression, got )",
    ]);
  });

  it("drops a second error on the line of the previous one, as alloy does", () => {
    expect(errors("a = [1 2 3 4]")).toEqual(["1:8: missing ',' in expression list"]);
  });
});

describe("limits", () => {
  it("reports deep bracket nesting instead of overflowing the stack", () => {
    const deep = `a = ${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const errs = errors(deep);
    expect(errs).toEqual([`1:${5 + MAX_NESTING}: nesting is deeper than ${MAX_NESTING} levels; river cannot parse this (flatten the expression)`]);
    expect(errors(`a = ${"{b = ".repeat(MAX_NESTING)}1${"}".repeat(MAX_NESTING)}`)).toEqual([]);
  });

  it("reports deep operator chains instead of overflowing later stages", () => {
    expect(errors(`a = ${"-".repeat(10_000)}1`)[0]).toMatch(/nested more than 1000 levels deep/);
    expect(errors(`a = 1${" + 1".repeat(10_000)}`)[0]).toMatch(/nested more than 1000 levels deep/);
    expect(errors(`a = 1${" + 1".repeat(MAX_AST_DEPTH - 10)}`)).toEqual([]);
  });
});

describe("partial trees (river check reads them on broken files)", () => {
  const names = (src: string) =>
    parse(src).file.body.map((s) => (s.kind === "AttributeStmt" ? s.name.name : s.name.join(".")));

  it("keeps the statements before a bracket left open at the end of the input", () => {
    expect(names('a = 1\nlogging {\n  level = "info"\n}\nb = [1,\n2\n')).toEqual(["a", "logging"]);
    expect(names("a = 1\nblock {\n  x = 1\n")).toEqual(["a"]);
  });

  it("keeps the statements before and between errors when a statement nests too deeply", () => {
    const src = `a = 1 2\nb = 3\nc = 4 5\nz = ${"[".repeat(MAX_NESTING + 20)}\ne = 1\n`;
    expect(names(src)).toEqual(["a", "b", "c"]);
    expect(errors(src)).toEqual([
      "1:7: expected TERMINATOR, got NUMBER",
      "3:7: expected TERMINATOR, got NUMBER",
      `4:${5 + MAX_NESTING}: nesting is deeper than ${MAX_NESTING} levels; river cannot parse this (flatten the expression)`,
    ]);
  });
});

describe("string helpers", () => {
  it("unquotes Go string literals", () => {
    expect(unquoteString(String.raw`"a\tb\"c\\ \x41\u00e9\U0001F600 \303\251"`)).toBe('a\tb"c\\ Aé😀 é');
    expect(unquoteString("`raw\\n\r\nx`")).toBe("raw\\n\nx");
  });

  it("quotes like Go's %q", () => {
    expect(quoteString('a"b\\c\n\t\x01é\u00a0😀')).toBe('"a\\"b\\\\c\\n\\t\\x01é\\u00a0😀"');
  });
});

describe("recovery after a missing expression", () => {
  it("skips to the end of the statement like alloy, so one mistake is one error", () => {
    // alloy reports only the first error here; a placeholder like <OPEN_PORT> must not cascade.
    expect(errors("a {\n  b {\n    c = <OPEN_PORT>\n  }\n  d = 1\n}\ne = 2\n")).toEqual(["3:9: expected expression, got <"]);
    expect(errors("a = [<X>, 2]\nb = f(<Y>)\n")).toEqual(["1:6: expected expression, got <", "2:7: expected expression, got <"]);
  });
});

describe("recovery follows alloy's parser", () => {
  it("skips to the next identifier after a token that cannot start a statement, then skips that statement", () => {
    // alloy: "expected identifier, got ." then, at the identifier on the next line, "expected TERMINATOR, got IDENT"
    // (the statement there is skipped whole), and the block is never closed.
    expect(errors("a {\n  ...\n  b = [1 2]\n  c = 1\n}\n")).toEqual([
      "2:3: expected identifier, got .",
      "3:3: expected TERMINATOR, got IDENT",
    ]);
  });

  it("reports a missing label, skips one token, and goes on", () => {
    expect(errors("a.b c {\n  d = [1 2]\n}\n")).toEqual(["1:5: expected block label, got IDENT", "2:10: missing ',' in expression list"]);
  });

  it("reports a block left open at the end of input once", () => {
    expect(errors("a {\n  b = 1\n  c {\n")).toEqual(["4:1: expected }, got EOF"]);
    expect(errors("a {\n  b = 1")).toEqual(["2:8: expected }, got EOF"]);
    // A statement cut short at the end of input inside a block: alloy reports the missing TERMINATOR.
    expect(errors("a {\n  b = f(1) c")).toEqual(["2:12: expected TERMINATOR, got IDENT"]);
  });
});

describe("alloy's own parser quirks", () => {
  it('says "expected }" when "]" follows "{" (alloy skips the field list there)', () => {
    expect(errors("a = {]\n")).toEqual(["1:6: expected }, got ]"]);
    expect(errors("a = {x]\n")[0]).toBe("1:7: expected =, got ]");
  });
});
