/**
 * fast-check arbitraries for River source text: random ASTs rendered with random layout (line breaks, indentation,
 * blank lines, comments), always syntactically valid. Used by the formatter's property tests.
 *
 * Kept out on purpose, because alloy fmt (and so river) does not preserve them: empty calls with `)` on another line,
 * escapes in quoted object keys, tabs in raw strings, spaces at the end of a raw string's lines, and comments after
 * a multi-line value.
 */
import fc from "fast-check";

export const identifier = fc.stringMatching(/^[a-z_][a-z0-9_]{0,7}$/).filter((s) => !["true", "false", "null"].includes(s));
const space = fc.constantFrom("", " ", "  ", "\t");
/** A break between tokens where the grammar allows one: nothing, spaces, a newline, or a blank line. */
const gap = fc.constantFrom(" ", "", "\n", "\n\n", "\n  ");
const comment = fc.oneof(
  fc.stringMatching(/^[a-z ]{0,10}$/).map((s) => `// ${s}`),
  fc.stringMatching(/^[a-z ]{0,10}$/).map((s) => `/* ${s} */`),
);

const literal = fc.oneof(
  fc.nat({ max: 100000 }).map(String),
  fc.float({ noNaN: true, noDefaultInfinity: true, min: 0, max: 1000 }).map((f) => String(f).replace("e+", "e")),
  fc.constantFrom("true", "false", "null"),
  fc.stringMatching(/^[a-zA-Z0-9 .:/_-]{0,12}$/).map((s) => JSON.stringify(s)),
  // Raw strings without spaces before a line break (alloy fmt trims them even inside the string).
  fc.stringMatching(/^[a-zA-Z0-9 \n.]{0,12}$/).map((s) => "`" + s.replace(/ +\n/g, "\n") + "`"),
  fc.constantFrom('"a\\nb"', '"\\u00e9"', '"q\\"q"'),
);

const { expr } = fc.letrec<{ expr: string; list: string; object: string; call: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    literal,
    identifier,
    fc.tuple(identifier, identifier).map(([a, b]) => `${a}.${b}`),
    tie("list"),
    tie("object"),
    tie("call"),
    fc.tuple(tie("expr"), fc.constantFrom("+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", "&&", "||"), tie("expr")).map(
      ([a, op, b]) => `${a} ${op} ${b}`,
    ),
    fc.tuple(fc.constantFrom("!", "-"), tie("expr")).map(([op, e]) => `${op}(${e})`),
    tie("expr").map((e) => `(${e})`),
    fc.tuple(identifier, tie("expr")).map(([a, e]) => `${a}[${e}]`),
  ),
  list: fc
    .tuple(fc.array(fc.tuple(gap, tie("expr")), { maxLength: 4 }), gap, fc.boolean())
    .map(([items, end, trailing]) => {
      if (items.length === 0) return "[]";
      const body = items.map(([g, e]) => `${g}${e}`).join(",");
      // A closing bracket on its own line needs a comma before it.
      return `[${body}${end.includes("\n") || trailing ? "," : ""}${end}]`;
    }),
  object: fc
    .tuple(fc.array(fc.tuple(gap, fc.oneof(identifier, identifier.map((k) => `"${k}.x"`)), tie("expr")), { maxLength: 4 }), gap)
    .map(([fields, end]) => {
      if (fields.length === 0) return "{}";
      const body = fields.map(([g, k, e]) => `${g}${k} = ${e}`).join(",");
      return `{${body}${end.includes("\n") ? "," : ""}${end}}`;
    }),
  call: fc
    .tuple(identifier, fc.array(fc.tuple(gap, tie("expr")), { minLength: 1, maxLength: 3 }), gap)
    .map(([f, args, end]) => `${f}(${args.map(([g, e]) => `${g}${e}`).join(",")}${end.includes("\n") ? "," : ""}${end})`),
}));

const { body } = fc.letrec<{ body: string; statement: string; block: string }>((tie) => ({
  body: fc
    .array(fc.tuple(fc.constantFrom("\n", "\n\n", "\n\n\n"), fc.option(comment, { freq: 4 }), tie("statement")), { maxLength: 5 })
    .map((stmts) => stmts.map(([sep, c, s]) => `${sep}${c === null ? "" : `${c}\n`}${s}`).join("")),
  statement: fc.oneof(
    { depthSize: "small" },
    fc.tuple(space, identifier, space, expr, fc.option(comment, { freq: 4 })).map(
      // No trailing comment after a multi-line value: alloy positions the tokens it writes without a source position
      // (like a call's ")") approximately, so such a comment moves down a line on every run (quirk-trailing-comment).
      ([ind, name, sp, value, c]) => `${ind}${name}${sp}=${sp}${value}${c === null || value.includes("\n") ? "" : ` ${c}`}`,
    ),
    tie("block"),
  ),
  block: fc
    .tuple(fc.array(identifier, { minLength: 1, maxLength: 3 }), fc.option(identifier), tie("body"))
    .map(([name, label, inner]) => `${name.join(".")}${label === null ? "" : ` "${label}"`} {${inner}\n}`),
}));

export const riverSource: fc.Arbitrary<string> = body.map((b) => b.replace(/^\n+/, ""));


/**
 * A River source with comments spliced in at random token boundaries (which may comment out code: the result need
 * not parse). Exercises comment placement and error reporting.
 */
export const riverSourceWithComments: fc.Arbitrary<string> = fc
  .tuple(riverSource, fc.array(fc.tuple(fc.nat(), comment, fc.boolean()), { maxLength: 4 }))
  .map(([src, inserts]) => {
    let out = src;
    for (const [at, c, newline] of inserts) {
      const boundaries = [...out.matchAll(/[\s,()[\]{}=]/g)].map((m) => m.index);
      if (boundaries.length === 0) break;
      const pos = boundaries[at % boundaries.length] as number;
      out = out.slice(0, pos) + (newline ? `\n${c}\n` : ` ${c} `) + out.slice(pos);
    }
    return out;
  });

/**
 * Mostly-invalid input: River-ish characters and fragments in random order, with NUL, a BOM and U+DCFF (how
 * decodeSource represents an undecodable byte 0xFF).
 */
export const riverNoise: fc.Arbitrary<string> = fc
  .array(
    fc.constantFrom(
      ..."abc_xyz019 \t\n\r\"`'{}[]()=.,+-*/%^!<>&|#;\\@é\u0000\ufeff\udcff".split(""),
      "//",
      "/*",
      "*/",
      "true",
      "null",
      "a.b",
      '"x"',
      "\\x4",
      "1e",
    ),
    { maxLength: 60 },
  )
  .map((a) => a.join(""));
