/**
 * Golden snippets for the TextMate grammar: test/grammar/golden/snippets.alloy holds every construct the grammar
 * knows; snippets.scopes lists each of its tokens with its scopes (regenerate with `UPDATE_GOLDEN=1 npx vitest run
 * test/grammar` and review the diff). The table below states the scopes that matter for highlighting, one construct
 * at a time, so that a regenerated golden file can't silently change them; and the grammar's standard library lists
 * must be river's (src/schema/generated/stdlib.ts).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { STDLIB } from "../../src/index.ts";
import { alloyGrammar, GRAMMAR_PATH, tokenize } from "./textmate.ts";

const dir = fileURLToPath(new URL("./golden/", import.meta.url));
const update = process.env["UPDATE_GOLDEN"] === "1";

/** [source, token text, the scope its innermost scopes must include], the token being the first with that text. */
const CASES: readonly (readonly [string, string, string])[] = [
  ["// note", "//", "punctuation.definition.comment.alloy"],
  ["// note", " note", "comment.line.double-slash.alloy"],
  ["/* a\nb */", "b ", "comment.block.alloy"],
  ['x = "a\\nb"', "\\n", "constant.character.escape.alloy"],
  ['x = "\\x41\\u00e9\\U0001F600\\101"', "\\U0001F600", "constant.character.escape.alloy"],
  ['x = "a\\qb"', "\\q", "invalid.illegal.escape.alloy"],
  ['x = "plain"', "plain", "string.quoted.double.alloy"],
  ["x = `raw \\n`", "raw \\n", "string.quoted.other.raw.alloy"],
  ["x = `a\nb`", "b", "string.quoted.other.raw.alloy"],
  ["x = 42", "42", "constant.numeric.integer.alloy"],
  ["x = 4.2e-3", "4.2e-3", "constant.numeric.float.alloy"],
  ["x = .5", ".5", "constant.numeric.float.alloy"],
  ["x = true", "true", "constant.language.boolean.alloy"],
  ["x = null", "null", "constant.language.null.alloy"],
  ['loki.write "default" { }', "loki", "entity.name.type.block.alloy"],
  ['loki.write "default" { }', "default", "entity.name.label.alloy"],
  ['loki.write "default" { }', "{", "punctuation.section.block.begin.alloy"],
  ['declare "m" { }', "declare", "keyword.other.block.alloy"],
  ['import.git "m" { }', "git", "keyword.other.block.alloy"],
  ["a { b { c = 1 } }", "b", "entity.name.type.block.alloy"],
  ["a { b { c = 1 } }", "c", "entity.other.attribute-name.alloy"],
  ["a { b { c = 1 } }", "}", "punctuation.section.block.end.alloy"],
  ["a { x = y.z }", "y", "variable.other.readwrite.alloy"],
  ["a { x = y.z }", "z", "variable.other.property.alloy"],
  ["x = [loki.write.w.receiver]", "receiver", "variable.other.property.alloy"],
  ["x = {k = 1}", "k", "variable.other.property.key.alloy"],
  ['x = {"k-2" = 1}', "k-2", "meta.object-literal.key.alloy"],
  ['x = sys.env("A")', "sys", "support.function.builtin.alloy"],
  ['x = sys.env("A")', "env", "support.function.builtin.alloy"],
  ['x = env("A")', "env", "support.function.builtin.alloy"],
  ["x = coalesce(a, b)", "coalesce", "support.function.builtin.alloy"],
  ["x = constants.hostname", "hostname", "support.constant.builtin.alloy"],
  ["x = my.func(1)", "func", "entity.name.function.alloy"],
  ["x = a.concat(1)", "concat", "entity.name.function.alloy"],
  ["x = f(1).y", "y", "variable.other.property.alloy"],
  ["x = a[0].b", "b", "variable.other.property.alloy"],
  ["x = !a && b", "!", "keyword.operator.logical.alloy"],
  ["x = a != b", "!=", "keyword.operator.comparison.alloy"],
  ["x = a ^ b", "^", "keyword.operator.arithmetic.alloy"],
  ["x = a", "=", "keyword.operator.assignment.alloy"],
  ["x = [a, b]", ",", "punctuation.separator.comma.alloy"],
  ["x = ünï.cöde", "cöde", "variable.other.property.alloy"],
  ["x = 'single'", "'", "invalid.illegal.character.alloy"],
];

describe("the TextMate grammar's scopes", () => {
  it.each(CASES)("%j: %j is %s", async (source, text, scope) => {
    const tokens = tokenize(await alloyGrammar(), source);
    const token = tokens.find((t) => t.text === text);
    expect(token, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((t) => t.text))}`).toBeDefined();
    expect(token?.scopes).toContain(scope);
  });

  it("matches the golden snippets", async () => {
    const source = readFileSync(`${dir}snippets.alloy`, "utf8");
    const dump = tokenize(await alloyGrammar(), source)
      .filter((t) => t.text.trim() !== "")
      .map((t) => `${t.line}\t${JSON.stringify(t.text)}\t${t.scopes.slice(1).join(" ")}\n`)
      .join("");
    const path = `${dir}snippets.scopes`;
    if (update) writeFileSync(path, dump);
    expect(existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/grammar and review it`).toBe(true);
    expect(dump).toBe(readFileSync(path, "utf8"));
  });

  it("knows river's standard library: every function (and deprecated alias) and constant", () => {
    const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, "utf8")) as { repository: { stdlib: { patterns: { match: string }[] } } };
    const names = (match: string) => {
      const alternation = /\(\?<!\[[^\]]*\]\)\(([^()]*)\)/.exec(match)?.[1] ?? "";
      return alternation.split("|").map((n) => n.replaceAll("\\s*\\.\\s*", ".")).sort();
    };
    const [functions, constants] = grammar.repository.stdlib.patterns.map((p) => names(p.match));
    const entries = Object.entries(STDLIB.entries);
    expect(functions).toEqual([...entries.filter(([, e]) => e.kind === "function").map(([n]) => n), ...Object.keys(STDLIB.deprecatedAliases)].sort());
    expect(constants).toEqual(entries.filter(([, e]) => e.kind === "constant").map(([n]) => n).sort());
  });
});
