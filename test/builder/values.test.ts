import { describe, expect, it } from "vitest";
import { Config, annotate, array, attr, blankLine, block, body, call, comment, literal, object, op, paren, raw, ref, std } from "../../src/builder/index.ts";

/** The River of one attribute `x = value`, as the builder prints it. */
function river(value: unknown): string {
  const c = new Config();
  c.attr("x", value);
  const { text, diagnostics } = c.build({ fragment: true });
  expect(diagnostics.filter((d) => d.code === "BUILDER")).toEqual([]);
  return text.replace(/^x = /, "").replace(/\n$/, "");
}

function builderErrors(f: (c: Config) => void): string[] {
  const c = new Config();
  f(c);
  return c.build({ fragment: true }).diagnostics.filter((d) => d.code === "BUILDER").map((d) => d.message);
}

describe("builder values", () => {
  it("writes TypeScript values as Alloy literals", () => {
    expect(river("a\"b\n\té")).toBe('"a\\"b\\n\\té"');
    expect(river(42)).toBe("42");
    expect(river(-1.5)).toBe("-1.5");
    expect(river(1e21)).toBe("1e21");
    expect(river(true)).toBe("true");
    expect(river(null)).toBe("null");
    expect(river([1, "a", [true]])).toBe('[1, "a", [true]]');
    expect(river({})).toBe("{}");
    expect(river({ a: 1, "b.c": 2, 日本: 3 })).toBe('{\n\ta     = 1,\n\t"b.c" = 2,\n\t日本    = 3,\n}');
  });

  it("writes raw strings, exact literals, references and stdlib calls", () => {
    expect(river(raw(String.raw`C:\path\(.*)`))).toBe("`C:\\path\\(.*)`");
    expect(river(literal('"\\u00e9"'))).toBe('"\\u00e9"');
    expect(river(literal("1.50"))).toBe("1.50");
    expect(river(ref("argument.targets.value"))).toBe("argument.targets.value");
    expect(river(std.string.format("%s-%d", "a", 1))).toBe('string.format("%s-%d", "a", 1)');
    expect(river(std.constants.hostname)).toBe("constants.hostname");
    expect(river(call(ref("argument.f.value"), [1, 2], { multiline: true }))).toBe("argument.f.value(\n\t1,\n\t2,\n)");
    expect(river(ref("a.b").index(0).field("c"))).toBe("a.b[0].c");
  });

  it("adds the parentheses precedence needs, and keeps explicit ones", () => {
    expect(river(op.mul(op.add(1, 2), 3))).toBe("(1 + 2) * 3");
    expect(river(op.add(1, op.mul(2, 3)))).toBe("1 + 2 * 3");
    expect(river(op.sub(1, op.sub(2, 3)))).toBe("1 - (2 - 3)");
    expect(river(op.sub(op.sub(1, 2), 3))).toBe("1 - 2 - 3");
    expect(river(op.pow(op.pow(2, 3), 2))).toBe("(2 ^ 3) ^ 2");
    expect(river(op.pow(2, op.pow(3, 2)))).toBe("2 ^ 3 ^ 2");
    expect(river(op.not(op.and(true, false)))).toBe("!(true && false)");
    expect(river(op.neg(op.neg(1)))).toBe("--1");
    expect(river(paren(1))).toBe("(1)");
  });

  it("lays lists out as asked, with comments around elements and before the closing bracket", () => {
    expect(river(array([1, 2], { multiline: true }))).toBe("[\n\t1,\n\t2,\n]");
    expect(river(object({ a: 1, b: 2 }, { multiline: false }))).toBe("{a = 1, b = 2}");
    expect(river(object({ a: 1 }, { quote: "all" }))).toBe('{\n\t"a" = 1,\n}');
    expect(river([annotate(1, { comment: "first", trailing: "one" }), 2])).toBe("[\n\t// first\n\t1, // one\n\t2,\n]");
    expect(river(array([], { inner: ["/* none yet */"] }))).toBe("[ /* none yet */ ]");
    expect(river(array([1, 2, 3], { breaks: [false, true, false, true] }))).toBe("[1,\n\t2, 3,\n]");
    expect(river(object({ a: 1, b: 2 }, { breaks: [false, true, false] }))).toBe("{a = 1,\n\tb    = 2}"); // alloy fmt's alignment of a mixed object
    expect(river(call(ref("f"), [1, 2], { breaks: [true, false, false] }))).toBe("f(\n\t1, 2)");
    expect(river(object({ a: annotate(1, { trailing: "why" }) }))).toBe("{\n\ta = 1, // why\n}");
  });

  it("keeps a comment after an opening bracket, comments in mixed lists, and blank lines next to comments", () => {
    expect(river(array([1, 2], { open: "why", multiline: true }))).toBe("[ // why\n\t1,\n\t2,\n]");
    expect(river(array([], { open: "// none yet" }))).toBe("[ // none yet\n]");
    expect(river(object({ a: 1 }, { open: "why" }))).toBe("{ // why\n\ta = 1,\n}");
    expect(river(array([0, annotate(1, { trailing: "a" }), 2, 3], { open: "o", breaks: [true, false, true, false, true], inner: ["end"] }))).toBe(
      "[ // o\n\t0, 1, // a\n\t2, 3,\n\t// end\n]",
    );
    expect(river(array([0, annotate(1, { comment: "/* one */" })], { breaks: [false, false, true] }))).toBe("[0, /* one */ 1,\n]");
    expect(river([annotate(1, { comment: ["a", blankLine, "b", blankLine] }), 2])).toBe("[\n\t// a\n\n\t// b\n\n\t1,\n\t2,\n]");
    expect(river(array([1], { inner: ["a", blankLine, "b", blankLine] }))).toBe("[\n\t1,\n\t// a\n\n\t// b\n\n]");
    // A // comment must end its line.
    expect(() => array([1, 2], { open: "why", multiline: false })).toThrow(/a \/\/ comment needs a line break after it/);
    expect(() => array([1, annotate(2, { comment: "why" })], { breaks: [true, false, true] })).toThrow(/a \/\/ comment needs a line break after it/);
    expect(() => array([annotate(1, { blankEnd: true })])).toThrow(/blankEnd is for blocks/);
  });

  it("keeps blank lines among a statement's comments and before a block's closing brace", () => {
    const c = new Config();
    c.block("logging", undefined, { level: annotate("info", { comment: ["a", blankLine, "b", blankLine], trailing: "c" }) }, { blankEnd: true });
    c.block("declare", "d", body(attr("x", 1), comment("end")), { blankEnd: true });
    c.block("tracing", undefined, { sampling_fraction: 1 }, { blankEnd: true }); // no comment at the end: alloy fmt drops it
    expect(c.build({ fragment: true }).text).toBe(
      "logging {\n\t// a\n\n\t// b\n\n\tlevel = \"info\" // c\n\n}\n\ndeclare \"d\" {\n\tx = 1\n\t// end\n\n}\n\ntracing {\n\tsampling_fraction = 1\n}\n",
    );
    expect(builderErrors((c) => c.attr("x", 1, { blankEnd: true }))).toEqual([expect.stringMatching(/blankEnd is for blocks/)]);
  });

  it("reports values with no Alloy form at the call that made them", () => {
    expect(builderErrors((c) => c.attr("x", [() => 1]))).toEqual([expect.stringMatching(/x\[0\]: a function has no Alloy form/)]);
    expect(builderErrors((c) => c.attr("x", Number.NaN))).toEqual(["x: NaN has no Alloy form (numbers must be finite)"]);
    expect(builderErrors((c) => c.attr("x", [undefined]))).toEqual(["x[0]: undefined has no Alloy form (use null)"]);
    expect(builderErrors((c) => c.attr("x", new Date(0)))).toEqual([expect.stringMatching(/a Date object has no Alloy form/)]);
    expect(builderErrors((c) => c.attr("x", { 'a"b': 1 }))).toEqual([expect.stringMatching(/the object key "a\\"b" needs escapes, which alloy fmt does not keep/)]);
    expect(builderErrors((c) => c.attr("bad name", 1))).toEqual([expect.stringMatching(/"bad name" is not a valid attribute name/)]);
    expect(builderErrors((c) => c.loki.write("not-an-identifier", {}))).toEqual([expect.stringMatching(/label "not-an-identifier" is not a valid identifier/)]);
    expect(() => raw("a`b")).toThrow(/raw strings cannot contain a backquote/);
    expect(() => literal("1 + 1")).toThrow(/not a single River literal/);
    expect(() => ref("a.1b")).toThrow(/not a valid reference part/);
    // The layout constructors check their arguments when called.
    expect(() => array([1], { breaks: [true] })).toThrow(/breaks needs 2 entries/);
    expect(() => array([annotate(1, { trailing: "one" })], { breaks: [true, false] })).toThrow(/a \/\/ comment needs a line break after it/);
  });

  it("builds config blocks, ordered bodies, free-standing comments and blank lines", () => {
    const c = new Config({ comment: "Header." });
    c.block("logging", undefined, { level: "debug", format: "logfmt" });
    c.block("declare", "add", body(
      block("argument", "a", { optional: false }),
      comment("the sum"),
      block("export", "sum", body(attr("value", op.add(ref("argument.a.value"), 1)))),
      comment("/* end */", { trailing: true }),
    ));
    c.comment("done", { blank: true });
    c.attr("extra", 1, { blank: false, comment: "an attribute at the top" });
    const { text } = c.build({ fragment: true });
    expect(text).toBe(
      [
        "// Header.",
        "",
        "logging {",
        '\tlevel  = "debug"',
        '\tformat = "logfmt"',
        "}",
        "",
        'declare "add" {',
        '\targument "a" {',
        "\t\toptional = false",
        "\t}",
        "",
        "\t// the sum",
        '\texport "sum" {',
        "\t\tvalue = argument.a.value + 1",
        "\t} /* end */",
        "}",
        "",
        "// done",
        "// an attribute at the top",
        "extra = 1",
        "",
      ].join("\n"),
    );
  });

  it("converts the props of components inside a body with their schema", () => {
    const c = new Config();
    c.block("declare", "shipper", body(block("loki.write", "out", { endpoint: [{ url: "http://loki" }] })));
    expect(c.build({ check: false }).text).toBe('declare "shipper" {\n\tloki.write "out" {\n\t\tendpoint {\n\t\t\turl = "http://loki"\n\t\t}\n\t}\n}\n');
  });

  it("gives untyped blocks (custom components) references by name", () => {
    const c = new Config();
    const mine = c.block("add", "one", { a: 1 });
    c.attr("y", mine.export("sum"));
    expect(c.build({ fragment: true }).text).toBe('add "one" {\n\ta = 1\n}\n\ny = add.one.sum\n');
  });
});
