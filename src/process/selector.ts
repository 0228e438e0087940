/**
 * stage.match selectors: a LogQL stream selector with line filters, `{app="x", env=~"prod|dev"} |= "err" !~ "debug"`,
 * compiled to a predicate on an entry's labels and line. The grammar is Alloy's own small LogQL
 * (internal/loki/logql); the checker's `logqlSelectorError` reports what it rejects, with the same wording this
 * module uses to refuse a selector.
 */
import { logqlSelectorError } from "../check/rules/logql.ts";
import { compileGoRegexp, type GoRegexp } from "../relabel/go-regexp.ts";
import { stringLiteralValue } from "../check/strings.ts";

export interface LabelMatcher {
  readonly name: string;
  readonly op: "=" | "!=" | "=~" | "!~";
  readonly value: string;
  /** For =~ and !~: the value fully anchored, as Prometheus' matchers anchor it. */
  readonly regexp?: GoRegexp;
}

export interface LineFilter {
  readonly op: "|=" | "!=" | "|~" | "!~";
  readonly value: string;
  /** For |~ and !~: an unanchored search. */
  readonly regexp?: GoRegexp;
}

export interface Selector {
  readonly matchers: readonly LabelMatcher[];
  readonly filters: readonly LineFilter[];
  /** Does the entry match? A missing label counts as "". */
  matches(labels: ReadonlyMap<string, string>, line: string): boolean;
}

/** Compiles a selector; throws an Error with the checker's message when Alloy would reject it. */
export function compileSelector(text: string): Selector {
  const problem = logqlSelectorError(text);
  if (problem !== undefined) throw new Error(problem);
  const matchers: LabelMatcher[] = [];
  const filters: LineFilter[] = [];
  // The checker accepted it, so a simple scan is enough: name op "string" pairs inside the braces, then op "string".
  const tokens = scan(text);
  let i = 1; // after {
  while (tokens[i] !== "}") {
    const name = tokens[i] as string;
    const op = tokens[i + 1] as LabelMatcher["op"];
    const value = stringLiteralValue(tokens[i + 2] as string) as string;
    const regexp = op === "=~" || op === "!~" ? compileGoRegexp(`^(?s:${value})$`) : undefined;
    matchers.push({ name, op, value, regexp });
    i += 3;
    if (tokens[i] === ",") i++;
  }
  for (i++; i < tokens.length; i += 2) {
    const op = tokens[i] as LineFilter["op"];
    const value = stringLiteralValue(tokens[i + 1] as string) as string;
    filters.push({ op, value, regexp: op === "|~" || op === "!~" ? compileGoRegexp(value) : undefined });
  }
  return {
    matchers,
    filters,
    matches(labels, line) {
      for (const m of matchers) {
        const v = labels.get(m.name) ?? "";
        const ok = m.op === "=" ? v === m.value : m.op === "!=" ? v !== m.value : (m.regexp as GoRegexp).test(v) === (m.op === "=~");
        if (!ok) return false;
      }
      for (const f of filters) {
        const hit = f.regexp ? f.regexp.test(line) : line.includes(f.value);
        if (hit !== (f.op === "|=" || f.op === "|~")) return false;
      }
      return true;
    },
  };
}

/** Tokens of a selector the checker has accepted: punctuation, operators, identifiers and quoted strings (raw). */
function scan(s: string): string[] {
  const out: string[] = [];
  const re = /\s+|[{},]|!=|=~|!~|\|=|\|~|=|"(?:[^"\\]|\\.)*"|`[^`]*`|[\p{L}_][\p{L}\p{Nd}_]*/uy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < s.length && (m = re.exec(s)) !== null) {
    if (!/^\s+$/.test(m[0])) out.push(m[0]);
  }
  return out;
}
