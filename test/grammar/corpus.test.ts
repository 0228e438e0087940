/**
 * The TextMate grammar (grammar/alloy.tmLanguage.json) over the whole conformance corpus, tokenized by vscode-textmate
 * and Oniguruma as VS Code does:
 * - no token is left unclassified: every character that is not white space gets a scope beyond `source.alloy` and
 *   the `meta.*` regions (valid or not: an editor shows broken input too);
 * - valid sources have no `invalid.*` scope;
 * - on valid sources the grammar agrees with river's own scanner: each of the scanner's tokens (strings, raw strings,
 *   numbers, floats, booleans, null, identifiers, operators, punctuation, comments) is covered only by TextMate tokens
 *   of the matching kind.
 * Skipped when ../shared is absent.
 */
import { describe, expect, it } from "vitest";
import { scan } from "../../src/syntax/scanner.ts";
import { readFmtCorpus } from "../helpers/shared.ts";
import { alloyGrammar, tokenize, type ScopedToken } from "./textmate.ts";

const corpus = readFmtCorpus();

const classified = (t: ScopedToken) => t.scopes.some((s) => s !== "source.alloy" && !s.startsWith("meta."));
const has = (t: ScopedToken, prefix: string) => t.scopes.some((s) => s.startsWith(prefix));

/** The scopes a scanner token of each type may be drawn with. */
const IDENT_SCOPES = [
  "entity.name.type.block.",
  "keyword.other.block.",
  "entity.other.attribute-name.",
  "variable.other.",
  "support.function.builtin.",
  "support.constant.builtin.",
  "entity.name.function.",
];
function expectedScopes(type: string, image: string): readonly string[] {
  switch (type) {
    case "STRING":
      return [image.startsWith("`") ? "string.quoted.other.raw." : "string.quoted.double."];
    case "NUMBER":
      return ["constant.numeric.integer."];
    case "FLOAT":
      return ["constant.numeric.float."];
    case "BOOL":
    case "NULL":
      return ["constant.language."];
    case "IDENT":
      return IDENT_SCOPES;
    case "{":
    case "}":
    case "[":
    case "]":
    case "(":
    case ")":
    case ",":
    case ".":
      return ["punctuation."];
    default:
      return ["keyword.operator."];
  }
}

describe.skipIf(corpus === undefined)("the TextMate grammar on the conformance corpus", () => {
  it("classifies every token of every case, and agrees with river's scanner on valid ones", async () => {
    const grammar = await alloyGrammar();
    const cases = corpus ?? [];
    expect(cases.length).toBeGreaterThan(2500);
    let checkedTokens = 0;
    for (const c of cases) {
      const tokens = tokenize(grammar, c.in);
      const unclassified = tokens.filter((t) => t.text.trim() !== "" && !classified(t));
      expect(unclassified, `${c.name}: unclassified tokens`).toEqual([]);
      if (c.error !== undefined) continue;
      expect(tokens.filter((t) => has(t, "invalid.")), `${c.name}: invalid scopes in a valid source`).toEqual([]);

      // Which TextMate token covers each UTF-16 offset.
      const at = new Int32Array(c.in.length).fill(-1);
      tokens.forEach((t, i) => at.fill(i, t.start, t.end));
      const covering = (start: number, end: number) => {
        const found = new Set<ScopedToken>();
        for (let o = start; o < end; o++) {
          const i = at[o] as number;
          if (i >= 0 && c.in.charCodeAt(o) > 32) found.add(tokens[i] as ScopedToken);
        }
        return [...found];
      };
      const scanned = scan(c.in);
      for (const tok of scanned.tokens) {
        const type = tok.tokenType.name;
        if (type === "TERMINATOR") continue;
        const wanted = expectedScopes(type, tok.image);
        for (const t of covering(tok.startOffset, tok.startOffset + tok.image.length)) {
          checkedTokens++;
          expect(wanted.some((w) => has(t, w)), `${c.name}: ${type} ${JSON.stringify(tok.image)} drawn as ${t.scopes.join(" ")}`).toBe(true);
        }
      }
      for (const comment of scanned.comments) {
        for (const t of covering(comment.start, comment.end)) {
          checkedTokens++;
          expect(has(t, "comment."), `${c.name}: comment ${JSON.stringify(comment.text)} drawn as ${t.scopes.join(" ")}`).toBe(true);
        }
      }
    }
    expect(checkedTokens).toBeGreaterThan(200_000);
  });
});
