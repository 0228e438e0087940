/**
 * Go's text/template with the functions loki.process gives it (Sprig's TxtFuncMap plus Alloy's ToLower, ToUpper,
 * Replace, Trim*, Hash, Sha2Hash, regexReplaceAll*), for stage.template and stage.replace.
 *
 * The language is complete for what log templates use: text with `{{- -}}` trimming and comments, pipelines with
 * `|`, fields and chains (`.a.b`, `$x.a`), variables (`$x := ...`, `$x = ...`), parentheses, string/raw/char/number/
 * bool/nil literals, `if`/`else if`/`else`, `with`/`else with`, `range` (with `else`, `break`, `continue`), and the
 * builtins (and, or, not, len, index, print, printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery).
 * `define`, `template` and `block` are reported as not supported, as is any Sprig function river does not implement
 * (the template is then rejected up front, so a simulation never silently differs from Alloy). A function that
 * exists in neither is rejected with Go's own message, `function "x" not defined`.
 *
 * Values: strings, numbers (Go int64 and float64 both as JS numbers; integral numbers print without a fraction),
 * bools, nil (`null`), lists, string-keyed maps, and `undefined` for Go's "invalid" value (a missing map key), which
 * prints as `<no value>`.
 */
import { createHash } from "node:crypto";
import { compileGoRegexp, type GoRegexp } from "../relabel/go-regexp.ts";
import { goToLower, goToUpper } from "../relabel/go-case.ts";

export type TemplateValue = string | number | boolean | null | undefined | TemplateValue[] | { readonly [key: string]: TemplateValue };

/** A template that Go would refuse to parse, or that uses something river does not simulate. */
export class TemplateParseError extends Error {}
/** An error while executing (Go's `template: ...: error calling X: ...`). */
export class TemplateExecError extends Error {}

// ---------------------------------------------------------------------------------------------------------------------
// Lexer

type TokKind = "text" | "open" | "close" | "field" | "var" | "ident" | "string" | "number" | "char" | "pipe" | "lparen" | "rparen" | "declare" | "assign" | "comma" | "dot";
interface Tok {
  readonly kind: TokKind;
  readonly text: string;
}

const SPACE = /[ \t\r\n]/;
/** `{{- ` trims the text before it; ` -}}` the text after it (the space is part of the marker, as in Go). */
const TRIM_OPEN = /^\{\{-[ \t\r\n]/;
const TRIM_CLOSE = /^[ \t\r\n]-\}\}/;

function skipSpace(src: string, i: number): number {
  while (i < src.length && SPACE.test(src[i] as string)) i++;
  return i;
}

function lex(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    let open = src.indexOf("{{", i);
    if (open < 0) open = src.length;
    const trimLeft = TRIM_OPEN.test(src.slice(open, open + 4));
    const text = trimLeft ? src.slice(i, open).replace(/[ \t\r\n]+$/, "") : src.slice(i, open);
    if (text.length > 0) out.push({ kind: "text", text });
    if (open >= src.length) break;
    i = open + (trimLeft ? 4 : 2);
    // A comment fills a whole action, right inside the delimiters: {{/* ... */}}, {{- /* ... */ -}}.
    if (src.startsWith("/*", i)) {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) throw new TemplateParseError("unclosed comment");
      const close = /^([ \t\r\n]-)?\}\}/.exec(src.slice(end + 2));
      if (!close) throw new TemplateParseError("comment ends before closing delimiter");
      i = end + 2 + close[0].length;
      if (close[1] !== undefined) i = skipSpace(src, i);
      continue;
    }
    out.push({ kind: "open", text: "{{" });
    for (;;) {
      while (i < src.length && SPACE.test(src[i] as string) && !TRIM_CLOSE.test(src.slice(i, i + 4))) i++;
      if (i >= src.length) throw new TemplateParseError("unclosed action");
      if (TRIM_CLOSE.test(src.slice(i, i + 4))) {
        out.push({ kind: "close", text: "}}" });
        i = skipSpace(src, i + 4);
        break;
      }
      if (src.startsWith("}}", i)) {
        out.push({ kind: "close", text: "}}" });
        i += 2;
        break;
      }
      const rest = src.slice(i);
      const c = rest[0] as string;
      let m: RegExpExecArray | null;
      if (c === "|") out.push({ kind: "pipe", text: c }), i++;
      else if (c === "(") out.push({ kind: "lparen", text: c }), i++;
      else if (c === ")") out.push({ kind: "rparen", text: c }), i++;
      else if (c === ",") out.push({ kind: "comma", text: c }), i++;
      else if (rest.startsWith(":=")) out.push({ kind: "declare", text: ":=" }), (i += 2);
      else if (c === "=") out.push({ kind: "assign", text: "=" }), i++;
      else if (c === '"') {
        m = /^"(?:[^"\\\n]|\\.)*"/.exec(rest);
        if (!m) throw new TemplateParseError("unterminated quoted string");
        out.push({ kind: "string", text: m[0] });
        i += m[0].length;
      } else if (c === "`") {
        const end = rest.indexOf("`", 1);
        if (end < 0) throw new TemplateParseError("unterminated raw quoted string");
        out.push({ kind: "string", text: rest.slice(0, end + 1) });
        i += end + 1;
      } else if (c === "'") {
        m = /^'(?:[^'\\\n]|\\.)+'/.exec(rest);
        if (!m) throw new TemplateParseError("unterminated character constant");
        out.push({ kind: "char", text: m[0] });
        i += m[0].length;
      } else if ((m = /^\$[\p{L}\p{Nd}_]*/u.exec(rest))) {
        out.push({ kind: "var", text: m[0] });
        i += m[0].length;
      } else if ((m = /^(\.[\p{L}_][\p{L}\p{Nd}_]*)+/u.exec(rest))) {
        out.push({ kind: "field", text: m[0] });
        i += m[0].length;
      } else if (c === ".") {
        if (/^\.[0-9]/.test(rest)) {
          m = /^[.0-9][0-9a-fA-FxXoObB_.eEpP+-]*/.exec(rest) as RegExpExecArray;
          out.push({ kind: "number", text: m[0] });
          i += m[0].length;
        } else out.push({ kind: "dot", text: "." }), i++;
      } else if ((m = /^[+-]?[0-9][0-9a-fA-FxXoObB_.]*(?:[eEpP][+-]?[0-9_]+)?i?/.exec(rest)) || (m = /^[+-]?\.[0-9]+/.exec(rest))) {
        out.push({ kind: "number", text: m[0] });
        i += m[0].length;
      } else if ((m = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(rest))) {
        out.push({ kind: "ident", text: m[0] });
        i += m[0].length;
      } else {
        throw new TemplateParseError(`unexpected ${JSON.stringify(c)} in command`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Parser

type Arg =
  | { readonly kind: "field"; readonly names: readonly string[] } // .a.b (on dot)
  | { readonly kind: "var"; readonly name: string; readonly names: readonly string[] }
  | { readonly kind: "dot" }
  | { readonly kind: "func"; readonly name: string }
  | { readonly kind: "const"; readonly value: TemplateValue }
  | { readonly kind: "pipe"; readonly pipe: Pipe; readonly names: readonly string[] };

interface Command {
  readonly args: readonly Arg[];
}
interface Pipe {
  readonly decl: readonly string[];
  readonly assign: boolean;
  readonly cmds: readonly Command[];
}
interface ControlNode {
  readonly kind: "if" | "with" | "range";
  readonly pipe: Pipe;
  readonly list: Node[];
  readonly elseList?: Node[];
}
type Node =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "action"; readonly pipe: Pipe }
  | ControlNode
  | { readonly kind: "break" | "continue" };

/** The functions a template may call, by name: the set Alloy's loki.process gives text/template. */
const KNOWN_BUT_UNSUPPORTED = new Set([
  // Sprig functions river does not implement: clocks, randomness, environment, network, crypto, reflection, ...
  "hello", "ago", "date", "date_in_zone", "date_modify", "dateInZone", "dateModify", "duration", "durationRound",
  "htmlDate", "htmlDateInZone", "must_date_modify", "mustDateModify", "mustToDate", "now", "toDate", "unixEpoch",
  "abbrevboth", "initials", "randAlphaNum", "randAlpha", "randAscii", "randNumeric", "randSeededNumeric", "swapcase",
  "shuffle", "snakecase", "camelcase", "kebabcase", "wrap", "wrapWith", "plural", "adler32sum", "toDecimal", "split",
  "splitn", "toStrings", "until", "untilStep", "randInt", "add1f", "addf", "subf", "divf", "mulf", "maxf", "minf", "ceil",
  "floor", "round", "sortAlpha", "all", "any", "compact", "mustCompact", "fromJson", "toPrettyJson", "mustFromJson",
  "mustToJson", "mustToPrettyJson", "mustToRawJson", "deepCopy", "mustDeepCopy", "typeOf", "typeIs", "typeIsLike",
  "kindOf", "kindIs", "deepEqual", "env", "expandenv", "getHostByName", "osBase", "osClean", "osDir", "osExt", "osIsAbs",
  "b32enc", "b32dec", "tuple", "set", "unset", "pluck", "keys", "pick", "omit", "merge", "mergeOverwrite", "mustMerge",
  "mustMergeOverwrite", "values", "append", "push", "mustAppend", "mustPush", "prepend", "mustPrepend", "mustFirst",
  "rest", "mustRest", "mustLast", "initial", "mustInitial", "reverse", "mustReverse", "uniq", "mustUniq", "without",
  "mustWithout", "has", "mustHas", "mustSlice", "concat", "dig", "chunk", "mustChunk", "bcrypt", "htpasswd",
  "genPrivateKey", "derivePassword", "buildCustomCert", "genCA", "genCAWithKey", "genSelfSignedCert",
  "genSelfSignedCertWithKey", "genSignedCert", "genSignedCertWithKey", "encryptAES", "decryptAES", "randBytes", "uuidv4",
  "semver", "semverCompare", "mustRegexMatch", "mustRegexFindAll", "mustRegexFind", "mustRegexReplaceAll",
  "mustRegexReplaceAllLiteral", "mustRegexSplit", "urlParse", "urlJoin", "call",
]);

class Parser {
  #toks: Tok[];
  #i = 0;
  #vars: string[][] = [["$"]];
  /** How many range bodies the parser is in: {{break}} and {{continue}} belong inside one. */
  #rangeDepth = 0;

  constructor(toks: Tok[]) {
    this.#toks = toks;
  }

  parse(): Node[] {
    const { list, end } = this.#list(false);
    if (end !== undefined) throw new TemplateParseError(`unexpected {{${end}}}`);
    return list;
  }

  #peek(offset = 0): Tok | undefined {
    return this.#toks[this.#i + offset];
  }

  #next(): Tok {
    const t = this.#toks[this.#i++];
    if (t === undefined) throw new TemplateParseError("unexpected EOF");
    return t;
  }

  /** Nodes up to `{{end}}`/`{{else ...}}` (returned as `end`) or the end of input. */
  #list(inner: boolean): { list: Node[]; end?: "end" | "else"; elseTok?: number } {
    const list: Node[] = [];
    while (this.#i < this.#toks.length) {
      const t = this.#next();
      if (t.kind === "text") {
        list.push({ kind: "text", text: t.text });
        continue;
      }
      const word = this.#peek();
      if (word?.kind === "ident") {
        switch (word.text) {
          case "end":
            this.#i++;
            this.#expectClose("end");
            if (!inner) throw new TemplateParseError("unexpected {{end}}");
            return { list, end: "end" };
          case "else":
            this.#i++;
            if (!inner) throw new TemplateParseError("unexpected {{else}}");
            return { list, end: "else" };
          case "if":
          case "with":
          case "range":
            this.#i++;
            list.push(this.#control(word.text));
            continue;
          case "break":
          case "continue":
            this.#i++;
            this.#expectClose(word.text);
            // Go's parser refuses them outside a range's body (its {{else}} included), so Alloy refuses the config.
            if (this.#rangeDepth === 0) throw new TemplateParseError(`{{${word.text}}} outside {{range}}`);
            list.push({ kind: word.text });
            continue;
          case "define":
          case "template":
          case "block":
            throw new TemplateParseError(`{{${word.text}}} is not supported by river's simulator`);
        }
      }
      const pipe = this.#pipeline("command", true);
      list.push({ kind: "action", pipe });
    }
    if (inner) throw new TemplateParseError("unexpected EOF");
    return { list };
  }

  #expectClose(context: string): void {
    const t = this.#next();
    if (t.kind !== "close") throw new TemplateParseError(`unexpected ${JSON.stringify(t.text)} in ${context}`);
  }

  #control(kind: "if" | "with" | "range"): Node {
    this.#vars.push([]);
    const pipe = this.#pipeline(kind, true);
    if (kind === "range") this.#rangeDepth++;
    const body = this.#list(true);
    if (kind === "range") this.#rangeDepth--;
    let elseList: Node[] | undefined;
    if (body.end === "else") {
      const next = this.#peek();
      if (next?.kind === "ident" && (next.text === "if" || next.text === "with") && kind === next.text) {
        // {{else if ...}} / {{else with ...}}: a nested control that shares our {{end}}.
        this.#i++;
        elseList = [this.#control(kind)];
      } else {
        this.#expectClose("else");
        const rest = this.#list(true);
        if (rest.end !== "end") throw new TemplateParseError(`expected end; found {{else}}`);
        elseList = rest.list;
      }
    }
    this.#vars.pop();
    return { kind, pipe, list: body.list, elseList };
  }

  #pipeline(context: string, closeAtEnd: boolean): Pipe {
    const decl: string[] = [];
    let assign = false;
    // Declarations: $x := / $x, $y := (range) / $x =
    const v = this.#peek();
    if (v?.kind === "var") {
      const after = this.#peek(1);
      if (after?.kind === "declare" || after?.kind === "assign") {
        this.#i += 2;
        decl.push(v.text);
        assign = after.kind === "assign";
        if (!assign) (this.#vars[this.#vars.length - 1] as string[]).push(v.text);
        else if (!this.#known(v.text)) throw new TemplateParseError(`undefined variable "${v.text}"`);
      } else if (after?.kind === "comma" && context === "range") {
        const second = this.#peek(2);
        const op = this.#peek(3);
        if (second?.kind === "var" && op?.kind === "declare") {
          this.#i += 4;
          decl.push(v.text, second.text);
          (this.#vars[this.#vars.length - 1] as string[]).push(v.text, second.text);
        }
      }
    }
    const cmds: Command[] = [];
    for (;;) {
      cmds.push(this.#command());
      const t = this.#next();
      if (t.kind === "pipe") continue;
      if (closeAtEnd && t.kind === "close") break;
      if (!closeAtEnd && t.kind === "rparen") break;
      throw new TemplateParseError(`unexpected ${JSON.stringify(t.text)} in ${context}`);
    }
    if (cmds.length === 0 || cmds.some((c) => c.args.length === 0)) throw new TemplateParseError(`missing value for ${context}`);
    cmds.slice(1).forEach((c) => {
      const first = c.args[0] as Arg;
      if (first.kind === "const" || first.kind === "dot") throw new TemplateParseError(`non executable command in pipeline stage ${cmds.indexOf(c) + 1}`);
    });
    return { decl, assign, cmds };
  }

  #known(name: string): boolean {
    return this.#vars.some((scope) => scope.includes(name));
  }

  #command(): Command {
    const args: Arg[] = [];
    for (;;) {
      const t = this.#peek();
      if (t === undefined || t.kind === "close" || t.kind === "pipe" || t.kind === "rparen") break;
      args.push(this.#operand());
    }
    if (args.length === 0) throw new TemplateParseError("missing value for command");
    return { args };
  }

  #operand(): Arg {
    const t = this.#next();
    const fieldsAfter = (): string[] => {
      const f = this.#peek();
      if (f?.kind === "field") {
        this.#i++;
        return f.text.slice(1).split(".");
      }
      return [];
    };
    switch (t.kind) {
      case "field":
        return { kind: "field", names: t.text.slice(1).split(".") };
      case "dot":
        return { kind: "dot" };
      case "var": {
        if (!this.#known(t.text)) throw new TemplateParseError(`undefined variable "${t.text}"`);
        return { kind: "var", name: t.text, names: fieldsAfter() };
      }
      case "string":
        return { kind: "const", value: unquoteGo(t.text) };
      case "char":
        return { kind: "const", value: (unquoteGo(`"${t.text.slice(1, -1).replace(/"/g, '\\"')}"`).codePointAt(0) as number) };
      case "number": {
        const n = parseGoNumber(t.text);
        if (n === undefined) throw new TemplateParseError(`bad number syntax: "${t.text}"`);
        return { kind: "const", value: n };
      }
      case "lparen": {
        const pipe = this.#pipeline("parenthesized pipeline", false);
        return { kind: "pipe", pipe, names: fieldsAfter() };
      }
      case "ident":
        switch (t.text) {
          case "true":
          case "false":
            return { kind: "const", value: t.text === "true" };
          case "nil":
            return { kind: "const", value: null };
        }
        if (!(t.text in FUNCTIONS)) {
          if (KNOWN_BUT_UNSUPPORTED.has(t.text)) throw new TemplateParseError(`function "${t.text}" is not supported by river's simulator`);
          throw new TemplateParseError(`function "${t.text}" not defined`);
        }
        return { kind: "func", name: t.text };
      default:
        throw new TemplateParseError(`unexpected ${JSON.stringify(t.text)} in operand`);
    }
  }
}

function unquoteGo(text: string): string {
  if (text.startsWith("`")) return text.slice(1, -1).replace(/\r/g, "");
  const body = text.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i] as string;
    const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"' };
    if (e in simple) {
      out += simple[e];
      continue;
    }
    const hex = (n: number) => {
      const h = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new TemplateParseError(`invalid syntax: ${text}`);
      i += n;
      return parseInt(h, 16);
    };
    if (e === "x") out += String.fromCharCode(hex(2));
    else if (e === "u") out += String.fromCodePoint(hex(4));
    else if (e === "U") out += String.fromCodePoint(hex(8));
    else if (/[0-7]/.test(e)) {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o)) throw new TemplateParseError(`invalid syntax: ${text}`);
      out += String.fromCharCode(parseInt(o, 8));
      i += 2;
    } else throw new TemplateParseError(`invalid syntax: ${text}`);
  }
  return out;
}

function parseGoNumber(text: string): number | undefined {
  const t = text.replace(/_/g, "");
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return Number.parseInt(t, 16);
  if (/^[+-]?0[oO]?[0-7]+$/.test(t) && t.replace(/^[+-]/, "").length > 1) return Number.parseInt(t.replace(/0[oO]?/, ""), 8) * (t.startsWith("-") ? -1 : 1);
  if (/^[+-]?0[bB][01]+$/.test(t)) return Number.parseInt(t.replace(/0[bB]/, ""), 2);
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) return Number(t);
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Execution

/** Go's `fmt` `%v` for template values. */
export function printValue(v: TemplateValue): string {
  if (v === undefined) return "<no value>";
  if (v === null) return "<nil>";
  if (typeof v === "string") return v;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return formatNumber(v);
  if (Array.isArray(v)) return `[${v.map(printValue).join(" ")}]`;
  const keys = Object.keys(v).sort();
  return `map[${keys.map((k) => `${k}:${printValue(v[k])}`).join(" ")}]`;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "+Inf" : "-Inf";
  const exp = Math.floor(Math.log10(Math.abs(n)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = n.toExponential().split("e") as [string, string];
    const sign = e.startsWith("-") ? "-" : "+";
    const digits = e.replace(/^[+-]/, "").padStart(2, "0");
    return `${m}e${sign}${digits}`;
  }
  return String(n);
}

function truth(v: TemplateValue): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === "string") return v.length > 0;
  if (typeof v === "number") return v !== 0;
  if (typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.length > 0;
  return Object.keys(v).length > 0;
}

class LoopControl {
  constructor(readonly kind: "break" | "continue") {}
}

interface Scope {
  vars: Map<string, TemplateValue>[];
}

class Executor {
  out = "";
  readonly #root: TemplateValue;

  constructor(root: TemplateValue) {
    this.#root = root;
  }

  run(nodes: readonly Node[], dot: TemplateValue, scope: Scope): void {
    for (const n of nodes) {
      switch (n.kind) {
        case "text":
          this.out += n.text;
          break;
        case "action": {
          const v = this.#pipe(n.pipe, dot, scope);
          if (n.pipe.decl.length === 0) this.out += printValue(v);
          break;
        }
        case "if":
        case "with": {
          scope.vars.push(new Map());
          const v = this.#pipe(n.pipe, dot, scope);
          if (truth(v)) this.run(n.list, n.kind === "with" ? v : dot, scope);
          else if (n.elseList) this.run(n.elseList, dot, scope);
          scope.vars.pop();
          break;
        }
        case "range":
          this.#range(n, dot, scope);
          break;
        case "break":
        case "continue":
          throw new LoopControl(n.kind);
      }
    }
  }

  #range(n: ControlNode, dot: TemplateValue, scope: Scope): void {
    scope.vars.push(new Map());
    const decl = n.pipe.decl;
    const v = this.#pipe({ ...n.pipe, decl: [] }, dot, scope);
    let items: [TemplateValue, TemplateValue][];
    if (Array.isArray(v)) items = v.map((x, i) => [i, x]);
    else if (v !== null && typeof v === "object") items = Object.keys(v).sort().map((k) => [k, v[k]]);
    else if (typeof v === "number" && Number.isInteger(v)) items = Array.from({ length: Math.max(0, v) }, (_, i) => [i, i]);
    else if (v === undefined || v === null) items = [];
    else throw new TemplateExecError(`range can't iterate over ${printValue(v)}`);
    if (items.length === 0) {
      if (n.elseList) this.run(n.elseList, dot, scope);
    } else {
      for (const [k, x] of items) {
        const vars = scope.vars[scope.vars.length - 1] as Map<string, TemplateValue>;
        if (decl.length === 1) vars.set(decl[0] as string, x);
        else if (decl.length === 2) {
          vars.set(decl[0] as string, k);
          vars.set(decl[1] as string, x);
        }
        try {
          this.run(n.list, x, scope);
        } catch (err) {
          if (!(err instanceof LoopControl)) throw err;
          if (err.kind === "break") break;
        }
      }
    }
    scope.vars.pop();
  }

  #pipe(p: Pipe, dot: TemplateValue, scope: Scope): TemplateValue {
    let value: TemplateValue;
    let piped = false;
    for (const cmd of p.cmds) {
      value = this.#command(cmd, dot, scope, piped ? { value } : undefined);
      piped = true;
    }
    if (p.decl.length > 0) {
      const name = p.decl[0] as string;
      if (p.assign) {
        for (let i = scope.vars.length - 1; i >= 0; i--) {
          const frame = scope.vars[i] as Map<string, TemplateValue>;
          if (frame.has(name)) {
            frame.set(name, value);
            break;
          }
        }
      } else (scope.vars[scope.vars.length - 1] as Map<string, TemplateValue>).set(name, value);
    }
    return value;
  }

  #command(cmd: Command, dot: TemplateValue, scope: Scope, final?: { value: TemplateValue }): TemplateValue {
    const first = cmd.args[0] as Arg;
    if (first.kind === "func") return this.#call(first.name, cmd.args.slice(1), dot, scope, final);
    if (cmd.args.length > 1 || final !== undefined) {
      if (first.kind === "field" || first.kind === "var" || first.kind === "pipe") {
        const names = first.kind === "field" ? first.names : first.names;
        if (names.length > 0) throw new TemplateExecError(`${names[names.length - 1]} has arguments but cannot be invoked as function`);
      }
      throw new TemplateExecError(`can't give argument to non-function ${describe(first)}`);
    }
    return this.#arg(first, dot, scope);
  }

  #arg(a: Arg, dot: TemplateValue, scope: Scope): TemplateValue {
    switch (a.kind) {
      case "const":
        return a.value;
      case "dot":
        return dot;
      case "field":
        return fieldChain(dot, a.names);
      case "var":
        return fieldChain(lookupVar(scope, a.name, this.#root), a.names);
      case "pipe":
        return fieldChain(this.#pipe(a.pipe, dot, scope), a.names);
      case "func":
        return this.#call(a.name, [], dot, scope);
    }
  }

  #call(name: string, argNodes: readonly Arg[], dot: TemplateValue, scope: Scope, final?: { value: TemplateValue }): TemplateValue {
    // and/or evaluate lazily (Go 1.18+).
    if (name === "and" || name === "or") {
      const all = [...argNodes.map((a) => () => this.#arg(a, dot, scope)), ...(final ? [() => final.value] : [])];
      if (all.length === 0) throw new TemplateExecError(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: TemplateValue;
      for (const get of all) {
        v = get();
        if (truth(v) === (name === "or")) return v;
      }
      return v;
    }
    const args = argNodes.map((a) => this.#arg(a, dot, scope));
    if (final) args.push(final.value);
    const fn = FUNCTIONS[name] as Fn;
    if (fn.arity !== undefined) {
      const [min, max] = fn.arity;
      if (args.length < min || (max !== undefined && args.length > max)) {
        throw new TemplateExecError(`wrong number of args for ${name}: want ${max === min ? min : `at least ${min}`} got ${args.length}`);
      }
    }
    try {
      return fn.call(...args);
    } catch (err) {
      if (err instanceof TemplateExecError) throw new TemplateExecError(`error calling ${name}: ${err.message}`);
      throw err;
    }
  }
}

function describe(a: Arg): string {
  switch (a.kind) {
    case "const":
      return printValue(a.value);
    case "dot":
      return ".";
    default:
      return a.kind;
  }
}

function lookupVar(scope: Scope, name: string, root: TemplateValue): TemplateValue {
  if (name === "$") return root;
  for (let i = scope.vars.length - 1; i >= 0; i--) {
    const frame = scope.vars[i] as Map<string, TemplateValue>;
    if (frame.has(name)) return frame.get(name);
  }
  throw new TemplateExecError(`undefined variable: ${name}`);
}

function fieldChain(v: TemplateValue, names: readonly string[]): TemplateValue {
  let cur = v;
  for (const name of names) {
    if (cur === undefined || cur === null) {
      if (cur === null) throw new TemplateExecError(`nil pointer evaluating interface {}.${name}`);
      return undefined;
    }
    if (typeof cur !== "object" || Array.isArray(cur)) throw new TemplateExecError(`can't evaluate field ${name} in type ${goTypeName(cur)}`);
    cur = Object.prototype.hasOwnProperty.call(cur, name) ? cur[name] : undefined;
  }
  return cur;
}

function goTypeName(v: TemplateValue): string {
  if (typeof v === "string") return "string";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float64";
  if (typeof v === "boolean") return "bool";
  if (Array.isArray(v)) return "[]interface {}";
  return "interface {}";
}

// ---------------------------------------------------------------------------------------------------------------------
// Functions

interface Fn {
  /** [min, max] argument count (max undefined: variadic); undefined: checked by the function. */
  readonly arity?: readonly [number, number?];
  call(...args: TemplateValue[]): TemplateValue;
}

/** A Go `string` parameter: anything else is Go's "wrong type" error. */
function str(v: TemplateValue): string {
  if (typeof v === "string") return v;
  if (v === undefined) throw new TemplateExecError("invalid value; expected string");
  throw new TemplateExecError(`wrong type for value; expected string; got ${goTypeName(v)}`);
}

function int(v: TemplateValue): number {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (v === undefined) throw new TemplateExecError("invalid value; expected int");
  throw new TemplateExecError(`wrong type for value; expected int; got ${goTypeName(v)}`);
}

/** Sprig's toInt64 (spf13/cast): numbers truncate, strings parse with base 0, bools are 0/1, anything else 0. */
function toInt64(v: TemplateValue): number {
  if (typeof v === "number") return Math.trunc(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") {
    const n = parseGoNumber(v.trim());
    return n !== undefined && Number.isInteger(n) ? n : 0;
  }
  return 0;
}

/** Sprig's strval: a value as a string (fmt %v). */
function strval(v: TemplateValue): string {
  return printValue(v);
}

function fixed(n: number, call: (...a: TemplateValue[]) => TemplateValue): Fn {
  return { arity: [n, n], call };
}

const regexCache = new Map<string, GoRegexp>();
function regex(pattern: string, panicOnError: boolean): GoRegexp {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = compileGoRegexp(pattern);
    } catch (err) {
      // Alloy's own regexReplaceAll uses regexp.MustCompile: a bad pattern panics, which the template reports.
      throw new TemplateExecError(`${panicOnError ? "regexp: Compile" : ""}${err instanceof Error ? err.message : String(err)}`);
    }
    regexCache.set(pattern, re);
  }
  return re;
}

function goTrim(s: string, cutset: string, left: boolean, right: boolean): string {
  const set = new Set(Array.from(cutset));
  const chars = Array.from(s);
  let a = 0;
  let b = chars.length;
  if (left) while (a < b && set.has(chars[a] as string)) a++;
  if (right) while (b > a && set.has(chars[b - 1] as string)) b--;
  return chars.slice(a, b).join("");
}

const GO_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/gu;
const goTrimSpace = (s: string): string => s.replace(GO_SPACE, "");

/** Go's strings.Replace(s, old, new, n) (n < 0: all). */
function goReplace(s: string, old: string, repl: string, n: number): string {
  if (n === 0 || old === repl) return s;
  if (old === "") {
    const chars = Array.from(s);
    let out = "";
    let done = 0;
    for (let i = 0; i <= chars.length; i++) {
      if (n < 0 || done < n) {
        out += repl;
        done++;
      }
      if (i < chars.length) out += chars[i];
    }
    return out;
  }
  let out = "";
  let rest = s;
  let done = 0;
  for (;;) {
    const i = rest.indexOf(old);
    if (i < 0 || (n >= 0 && done >= n)) break;
    out += rest.slice(0, i) + repl;
    rest = rest.slice(i + old.length);
    done++;
  }
  return out + rest;
}

function hashHex(algorithm: string, text: string): string {
  return createHash(algorithm).update(Buffer.from(text, "utf8")).digest("hex");
}

function compare(op: string, a: TemplateValue, b: TemplateValue): boolean {
  const kind = (v: TemplateValue) => (typeof v === "number" ? "number" : typeof v === "string" ? "string" : typeof v === "boolean" ? "bool" : v === null ? "nil" : "other");
  if (a === undefined || b === undefined) throw new TemplateExecError(`incompatible types for comparison`);
  if (kind(a) !== kind(b)) throw new TemplateExecError("incompatible types for comparison");
  if (op === "eq" || op === "ne") {
    if (kind(a) === "other") throw new TemplateExecError("non-comparable types");
    return (a === b) === (op === "eq");
  }
  if (kind(a) === "bool" || kind(a) === "nil" || kind(a) === "other") throw new TemplateExecError("invalid type for comparison");
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case "lt": return x < y;
    case "le": return x <= y;
    case "gt": return x > y;
    default: return x >= y;
  }
}

function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    if (ch === '"' || ch === "\\") out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's fmt.Sprintf for the verbs templates use: %s %v %d %q %x %X %f %t %%, with width and precision. */
function sprintf(format: string, args: TemplateValue[]): string {
  let i = 0;
  return (
    format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, verb: string) => {
      if (verb === "%") return "%";
      if (i >= args.length) return `%!${verb}(MISSING)`;
      const v = args[i++];
      let s: string;
      switch (verb) {
        case "s":
        case "v":
          s = printValue(v);
          if (prec !== undefined && verb === "s") s = Array.from(s).slice(0, Number(prec)).join("");
          break;
        case "d":
          s = typeof v === "number" ? Math.trunc(v).toFixed(0) : `%!d(${goTypeName(v)}=${printValue(v)})`;
          break;
        case "q":
          s = typeof v === "string" ? goQuote(v) : printValue(v);
          break;
        case "x":
        case "X":
          s = typeof v === "number" ? Math.trunc(v).toString(16) : Buffer.from(printValue(v), "utf8").toString("hex");
          if (verb === "X") s = s.toUpperCase();
          break;
        case "f":
          s = typeof v === "number" ? v.toFixed(prec === undefined ? 6 : Number(prec)) : `%!f(${goTypeName(v)}=${printValue(v)})`;
          break;
        case "t":
          s = typeof v === "boolean" ? String(v) : `%!t(${goTypeName(v)}=${printValue(v)})`;
          break;
        default:
          s = `%!${verb}(${goTypeName(v)}=${printValue(v)})`;
      }
      if (width !== undefined && Array.from(s).length < Number(width)) {
        const pad = (flags.includes("0") && !flags.includes("-") ? "0" : " ").repeat(Number(width) - Array.from(s).length);
        s = flags.includes("-") ? s + pad : pad + s;
      }
      return s;
    }) + (i < args.length ? `%!(EXTRA ${args.slice(i).map((a) => `${goTypeName(a)}=${printValue(a)}`).join(", ")})` : "")
  );
}

/** Go's fmt.Sprint: spaces between operands when neither is a string. */
function sprint(args: TemplateValue[]): string {
  let out = "";
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== "string" && typeof args[i - 1] !== "string") out += " ";
    out += printValue(a);
  });
  return out;
}

function empty(v: TemplateValue): boolean {
  return !truth(v);
}

function length(v: TemplateValue): number {
  if (typeof v === "string") return Buffer.byteLength(v, "utf8");
  if (Array.isArray(v)) return v.length;
  if (v !== null && typeof v === "object") return Object.keys(v).length;
  throw new TemplateExecError(`len of type ${goTypeName(v)}`);
}

function toJson(v: TemplateValue): string {
  const json = JSON.stringify(v === undefined ? null : v) ?? "null";
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  // text/template builtins
  not: fixed(1, (a) => !truth(a)),
  len: fixed(1, (a) => length(a)),
  index: {
    arity: [1],
    call: (v, ...keys) => {
      let cur = v;
      for (const k of keys) {
        if (Array.isArray(cur) || typeof cur === "string") {
          const i = int(k);
          const n = typeof cur === "string" ? Buffer.byteLength(cur) : cur.length;
          if (i < 0 || i >= n) throw new TemplateExecError(`index out of range: ${i}`);
          cur = typeof cur === "string" ? Buffer.from(cur, "utf8")[i] as number : cur[i];
        } else if (cur !== null && typeof cur === "object") cur = Object.prototype.hasOwnProperty.call(cur, str(k)) ? cur[str(k)] : undefined;
        else throw new TemplateExecError(`can't index item of type ${goTypeName(cur)}`);
      }
      return cur;
    },
  },
  // Sprig's slice replaces the builtin: it slices lists (a string is an error).
  slice: {
    arity: [1],
    call: (v, ...idx) => {
      if (!Array.isArray(v)) throw new TemplateExecError(`Cannot slice on type ${goTypeName(v)}`);
      const from = idx.length > 0 ? toInt64(idx[0]) : 0;
      const to = idx.length > 1 ? toInt64(idx[1]) : v.length;
      if (from < 0 || to > v.length || from > to) throw new TemplateExecError(`runtime error: slice bounds out of range [${from}:${to}]`);
      return v.slice(from, to);
    },
  },
  print: { call: (...a) => sprint(a) },
  printf: { arity: [1], call: (f, ...a) => sprintf(str(f), a) },
  println: { call: (...a) => `${a.map(printValue).join(" ")}\n` },
  eq: {
    arity: [1],
    call: (a, ...rest) => {
      if (rest.length === 0) throw new TemplateExecError("missing argument for comparison");
      return rest.some((b) => compare("eq", a, b));
    },
  },
  ne: fixed(2, (a, b) => compare("ne", a, b)),
  lt: fixed(2, (a, b) => compare("lt", a, b)),
  le: fixed(2, (a, b) => compare("le", a, b)),
  gt: fixed(2, (a, b) => compare("gt", a, b)),
  ge: fixed(2, (a, b) => compare("ge", a, b)),
  html: { call: (...a) => sprint(a).replace(/[&'<>"\0]/g, (c) => ({ "&": "&amp;", "'": "&#39;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "\0": "\uFFFD" })[c] as string) },
  js: { call: (...a) => sprint(a).replace(/[\\'"<>&=\n\r\t]/g, (c) => ({ "\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026", "=": "\\u003D", "\n": "\\n", "\r": "\\r", "\t": "\\t" })[c] as string) },
  urlquery: { call: (...a) => encodeURIComponent(sprint(a)).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) },
  and: { call: () => undefined }, // evaluated lazily by the executor
  or: { call: () => undefined },

  // Alloy's additions (they replace Sprig's functions of the same name)
  ToLower: fixed(1, (s) => goToLower(str(s))),
  ToUpper: fixed(1, (s) => goToUpper(str(s))),
  Replace: fixed(4, (s, o, n, c) => goReplace(str(s), str(o), str(n), int(c))),
  Trim: fixed(2, (s, c) => goTrim(str(s), str(c), true, true)),
  TrimLeft: fixed(2, (s, c) => goTrim(str(s), str(c), true, false)),
  TrimRight: fixed(2, (s, c) => goTrim(str(s), str(c), false, true)),
  TrimPrefix: fixed(2, (s, p) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s))),
  TrimSuffix: fixed(2, (s, p) => (str(p) !== "" && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s))),
  TrimSpace: fixed(1, (s) => goTrimSpace(str(s))),
  Hash: fixed(2, (salt, input) => hashHex("sha3-256", str(salt) + str(input))),
  Sha2Hash: fixed(2, (salt, input) => hashHex("sha256", str(salt) + str(input))),
  regexReplaceAll: fixed(3, (re, s, repl) => regex(str(re), true).replaceAll(str(s), str(repl))),
  regexReplaceAllLiteral: fixed(3, (re, s, repl) => regex(str(re), true).replaceAll(str(s), str(repl).replace(/\$/g, "$$$$"))),

  // Sprig: strings
  abbrev: fixed(2, (w, s) => {
    const width = int(w);
    const text = str(s);
    if (width < 4 || Array.from(text).length <= width) return text;
    return `${Array.from(text).slice(0, width - 3).join("")}...`;
  }),
  trunc: fixed(2, (c, s) => {
    const n = int(c);
    const b = Buffer.from(str(s), "utf8");
    if (n < 0 && b.length + n > 0) return b.subarray(b.length + n).toString("utf8");
    if (n >= 0 && b.length > n) return b.subarray(0, n).toString("utf8");
    return str(s);
  }),
  trim: fixed(1, (s) => goTrimSpace(str(s))),
  upper: fixed(1, (s) => goToUpper(str(s))),
  lower: fixed(1, (s) => goToLower(str(s))),
  title: fixed(1, (s) => str(s).replace(/(^|[^\p{L}\p{N}_'])(\p{L})/gu, (_m, pre: string, c: string) => pre + goToUpper(c))),
  untitle: fixed(1, (s) => str(s).replace(/(^|\s)(\S)/gu, (_m, pre: string, c: string) => pre + goToLower(c))),
  substr: fixed(3, (a, b, s) => {
    const text = str(s);
    const bytes = Buffer.from(text, "utf8");
    let start = int(a);
    const end = int(b);
    if (start < 0) return bytes.subarray(0, end).toString("utf8");
    if (end < 0 || end > bytes.length) return bytes.subarray(start).toString("utf8");
    if (start > end) start = end;
    return bytes.subarray(start, end).toString("utf8");
  }),
  repeat: fixed(2, (c, s) => str(s).repeat(Math.max(0, int(c)))),
  trimall: fixed(2, (a, b) => goTrim(str(b), str(a), true, true)),
  trimAll: fixed(2, (a, b) => goTrim(str(b), str(a), true, true)),
  trimSuffix: fixed(2, (a, b) => (str(a) !== "" && str(b).endsWith(str(a)) ? str(b).slice(0, -str(a).length) : str(b))),
  trimPrefix: fixed(2, (a, b) => (str(b).startsWith(str(a)) ? str(b).slice(str(a).length) : str(b))),
  nospace: fixed(1, (s) => str(s).replace(/\s/gu, "")),
  contains: fixed(2, (a, b) => str(b).includes(str(a))),
  hasPrefix: fixed(2, (a, b) => str(b).startsWith(str(a))),
  hasSuffix: fixed(2, (a, b) => str(b).endsWith(str(a))),
  quote: { call: (...a) => a.filter((x) => x !== null).map((x) => goQuote(strval(x))).join(" ") },
  squote: { call: (...a) => a.filter((x) => x !== null).map((x) => `'${strval(x)}'`).join(" ") },
  cat: { call: (...a) => a.filter((x) => x !== null).map(strval).join(" ") },
  indent: fixed(2, (n, s) => {
    const pad = " ".repeat(Math.max(0, int(n)));
    return pad + str(s).replace(/\n/g, `\n${pad}`);
  }),
  nindent: fixed(2, (n, s) => {
    const pad = " ".repeat(Math.max(0, int(n)));
    return `\n${pad}${str(s).replace(/\n/g, `\n${pad}`)}`;
  }),
  replace: fixed(3, (o, n, s) => goReplace(str(s), str(o), str(n), -1)),
  sha1sum: fixed(1, (s) => hashHex("sha1", str(s))),
  sha256sum: fixed(1, (s) => hashHex("sha256", str(s))),
  toString: fixed(1, (v) => strval(v)),
  atoi: fixed(1, (s) => {
    const t = str(s);
    return /^[+-]?[0-9]+$/.test(t) ? Number(t) : 0;
  }),
  int64: fixed(1, (v) => toInt64(v)),
  int: fixed(1, (v) => toInt64(v)),
  float64: fixed(1, (v) => (typeof v === "number" ? v : typeof v === "string" ? Number(v) || 0 : typeof v === "boolean" ? Number(v) : 0)),
  seq: { call: (...a) => {
    const n = a.map(toInt64);
    const [start, step, end] = n.length === 1 ? [1, 1, n[0] as number] : n.length === 2 ? [n[0] as number, (n[0] as number) <= (n[1] as number) ? 1 : -1, n[1] as number] : [n[0] as number, n[1] as number, n[2] as number];
    const out: number[] = [];
    if (step === 0) return "";
    for (let i = start; step > 0 ? i <= end : i >= end; i += step) out.push(i);
    return out.join(" ");
  } },
  splitList: fixed(2, (sep, s) => {
    const text = str(s);
    const separator = str(sep);
    return separator === "" ? Array.from(text) : text.split(separator);
  }),
  join: fixed(2, (sep, v) => (Array.isArray(v) ? v.map(strval).join(str(sep)) : strval(v))),

  // Sprig: arithmetic (int64)
  add1: fixed(1, (a) => toInt64(a) + 1),
  add: { call: (...a) => a.reduce<number>((s, x) => s + toInt64(x), 0) },
  sub: fixed(2, (a, b) => toInt64(a) - toInt64(b)),
  div: fixed(2, (a, b) => {
    if (toInt64(b) === 0) throw new TemplateExecError("runtime error: integer divide by zero");
    return Math.trunc(toInt64(a) / toInt64(b));
  }),
  mod: fixed(2, (a, b) => {
    if (toInt64(b) === 0) throw new TemplateExecError("runtime error: integer divide by zero");
    return toInt64(a) % toInt64(b);
  }),
  mul: { arity: [1], call: (a, ...v) => v.reduce<number>((s, x) => s * toInt64(x), toInt64(a)) },
  biggest: { arity: [1], call: (a, ...v) => v.reduce<number>((m, x) => Math.max(m, toInt64(x)), toInt64(a)) },
  max: { arity: [1], call: (a, ...v) => v.reduce<number>((m, x) => Math.max(m, toInt64(x)), toInt64(a)) },
  min: { arity: [1], call: (a, ...v) => v.reduce<number>((m, x) => Math.min(m, toInt64(x)), toInt64(a)) },

  // Sprig: defaults and flow
  default: { arity: [1], call: (d, ...given) => (given.length === 0 || empty(given[0]) ? d : given[0]) },
  empty: fixed(1, (v) => empty(v)),
  coalesce: { call: (...a) => a.find((x) => !empty(x)) ?? null },
  ternary: fixed(3, (a, b, c) => (c === true ? a : b)),
  toJson: fixed(1, (v) => toJson(v)),
  toRawJson: fixed(1, (v) => JSON.stringify(v === undefined ? null : v) ?? "null"),
  fail: fixed(1, (m) => {
    throw new TemplateExecError(str(m));
  }),

  // Sprig: paths and encodings
  base: fixed(1, (p) => {
    const s = str(p).replace(/\/+$/, "");
    return s === "" ? (str(p) === "" ? "." : "/") : s.slice(s.lastIndexOf("/") + 1);
  }),
  dir: fixed(1, (p) => {
    const s = str(p);
    const i = s.lastIndexOf("/");
    return cleanPath(i < 0 ? "" : s.slice(0, i + 1));
  }),
  clean: fixed(1, (p) => cleanPath(str(p))),
  ext: fixed(1, (p) => {
    const s = str(p);
    for (let i = s.length - 1; i >= 0 && s[i] !== "/"; i--) if (s[i] === ".") return s.slice(i);
    return "";
  }),
  isAbs: fixed(1, (p) => str(p).startsWith("/")),
  b64enc: fixed(1, (s) => Buffer.from(str(s), "utf8").toString("base64")),
  b64dec: fixed(1, (s) => {
    const t = str(s);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) return `illegal base64 data at input byte ${Math.max(0, t.search(/[^A-Za-z0-9+/=]/))}`;
    return Buffer.from(t, "base64").toString("utf8");
  }),

  // Sprig: lists and dicts
  list: { call: (...a) => a },
  dict: {
    call: (...a) => {
      const out: Record<string, TemplateValue> = {};
      for (let i = 0; i < a.length; i += 2) Object.defineProperty(out, strval(a[i]), { value: i + 1 < a.length ? a[i + 1] : "", enumerable: true, writable: true, configurable: true });
      return out;
    },
  },
  get: fixed(2, (d, k) => (d !== null && typeof d === "object" && !Array.isArray(d) && Object.prototype.hasOwnProperty.call(d, str(k)) ? d[str(k)] : "")),
  hasKey: fixed(2, (d, k) => d !== null && typeof d === "object" && !Array.isArray(d) && Object.prototype.hasOwnProperty.call(d, str(k))),
  first: fixed(1, (l) => (Array.isArray(l) && l.length > 0 ? l[0] : null)),
  last: fixed(1, (l) => (Array.isArray(l) && l.length > 0 ? l[l.length - 1] : null)),

  // Sprig: regular expressions (Go RE2)
  regexMatch: fixed(2, (re, s) => regex(str(re), false).test(str(s))),
  regexFind: fixed(2, (re, s) => {
    const m = regex(str(re), false).find(str(s));
    return m ? str(s).slice(m.indices[0], m.indices[1]) : "";
  }),
  regexFindAll: fixed(3, (re, s, n) => findAll(regex(str(re), false), str(s), int(n))),
  regexSplit: fixed(3, (re, s, n) => splitRegex(regex(str(re), false), str(s), int(n))),
  regexQuoteMeta: fixed(1, (s) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, "\\$&")),
};

function cleanPath(p: string): string {
  if (p === "") return ".";
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
    } else out.push(part);
  }
  const joined = out.join("/");
  return rooted ? `/${joined}` : joined === "" ? "." : joined;
}

function findAll(re: GoRegexp, s: string, n: number): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos <= s.length && (n < 0 || out.length < n)) {
    const m = re.find(s.slice(pos));
    if (!m) break;
    const [a, b] = [m.indices[0] as number, m.indices[1] as number];
    out.push(s.slice(pos + a, pos + b));
    pos += b > a ? b : a + 1;
  }
  return out;
}

function splitRegex(re: GoRegexp, s: string, n: number): string[] {
  if (n === 0) return [];
  const out: string[] = [];
  let pos = 0;
  let last = 0;
  while (pos <= s.length) {
    if (n > 0 && out.length === n - 1) break;
    const m = re.find(s.slice(pos));
    if (!m) break;
    const [a, b] = [pos + (m.indices[0] as number), pos + (m.indices[1] as number)];
    if (b === 0) {
      pos = 1;
      continue;
    }
    out.push(s.slice(last, a));
    last = b;
    pos = b > a ? b : b + 1;
  }
  out.push(s.slice(last));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// API

export interface GoTemplate {
  readonly source: string;
  /** Runs the template on `data` (the dot). Throws TemplateExecError. */
  execute(data: TemplateValue): string;
}

/** Parses a template as `template.New(...).Funcs(functionMap).Parse(source)` would. Throws TemplateParseError. */
export function parseGoTemplate(source: string): GoTemplate {
  const nodes = new Parser(lex(source)).parse();
  return {
    source,
    execute(data) {
      const exec = new Executor(data);
      try {
        exec.run(nodes, data, { vars: [new Map([["$", data]])] });
      } catch (err) {
        if (err instanceof LoopControl) throw new TemplateExecError(`{{${err.kind}}} outside {{range}}`);
        throw err;
      }
      return exec.out;
    },
  };
}
