import { stringLiteralValue } from "../strings.ts";
import { re2Error } from "./regex.ts";

/**
 * Validates a loki.process `stage.match` selector the way Alloy's own small LogQL grammar
 * (internal/loki/logql/expr.y) does: a stream selector `{name op "value", ...}` with op one of = != =~ !~ and at
 * least one matcher, followed by any number of line filters `|= "x"`, `!= "x"`, `|~ "re"`, `!~ "re"`. Regexes must
 * compile as RE2. Returns an error message or undefined.
 */
export function logqlSelectorError(input: string): string | undefined {
  const toks = tokenize(input);
  if (typeof toks === "string") return toks;
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (kind: Tok["kind"], what: string): Tok | string => {
    const t = next();
    if (t === undefined) return `unexpected end of selector, expected ${what}`;
    if (t.kind !== kind) return `unexpected ${show(t)}, expected ${what}`;
    return t;
  };
  let t = expect("{", "{ to open a stream selector");
  if (typeof t === "string") return t;
  for (;;) {
    const name = expect("ident", "a label name");
    if (typeof name === "string") return name;
    const op = next();
    if (op === undefined || op.kind !== "op" || !["=", "!=", "=~", "!~"].includes(op.text)) {
      return `unexpected ${op === undefined ? "end of selector" : show(op)} after label ${name.text}, expected one of = != =~ !~`;
    }
    const value = expect("string", "a quoted string");
    if (typeof value === "string") return value;
    if (op.text === "=~" || op.text === "!~") {
      const err = re2Error(`^(?:${value.value})$`);
      if (err !== undefined) return `invalid regex for label ${name.text}: ${err}`;
    }
    const sep = next();
    if (sep === undefined) return "unexpected end of selector, expected , or }";
    if (sep.kind === "}") break;
    if (sep.kind !== ",") return `unexpected ${show(sep)}, expected , or }`;
  }
  while (peek() !== undefined) {
    const f = next() as Tok;
    if (f.kind !== "op" || !["|=", "!=", "|~", "!~"].includes(f.text)) {
      return `unexpected ${show(f)}; after the stream selector only line filters (|= != |~ !~ followed by a string) are allowed`;
    }
    const value = expect("string", `a quoted string after ${f.text}`);
    if (typeof value === "string") return value;
    if (f.text === "|~" || f.text === "!~") {
      const err = re2Error(value.value ?? "");
      if (err !== undefined) return `invalid line filter regex: ${err}`;
    }
  }
  return undefined;
}

interface Tok {
  readonly kind: "{" | "}" | "," | "op" | "ident" | "string" | "other";
  readonly text: string;
  readonly value?: string;
}

function show(t: Tok): string {
  return t.kind === "string" ? "string" : JSON.stringify(t.text);
}

function tokenize(s: string): Tok[] | string {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "{" || c === "}" || c === ",") {
      out.push({ kind: c, text: c });
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (["!=", "=~", "!~", "|=", "|~"].includes(two)) {
      out.push({ kind: "op", text: two });
      i += 2;
      continue;
    }
    if (c === "=") {
      out.push({ kind: "op", text: "=" });
      i++;
      continue;
    }
    if (c === '"' || c === "`") {
      let j = i + 1;
      while (j < s.length && s[j] !== c) {
        if (c === '"' && s[j] === "\\") j++;
        if (c === '"' && s[j] === "\n") return "newline in string";
        j++;
      }
      if (j >= s.length) return "unterminated string in selector";
      const raw = s.slice(i, j + 1);
      const value = stringLiteralValue(raw);
      if (value === undefined) return `invalid string ${raw}`;
      out.push({ kind: "string", text: raw, value });
      i = j + 1;
      continue;
    }
    const id = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(s.slice(i));
    if (id) {
      out.push({ kind: "ident", text: id[0] });
      i += id[0].length;
      continue;
    }
    out.push({ kind: "other", text: c });
    i++;
  }
  return out;
}
