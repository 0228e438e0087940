import { BINARY_PRECEDENCE, type BinaryOp, type UnaryOp } from "../ast/ast.ts";
import { parse } from "../syntax/parse.ts";
import { quoteString } from "../syntax/strings.ts";
import { isValidIdentifier } from "../syntax/identifier.ts";
import type { DraftExpr, DraftField, Notes } from "./draft.ts";
import type { In } from "./types.ts";

/** A builder program that can't become valid River (a function as a value, a bad identifier, ...). */
export class BuilderError extends Error {
  override readonly name = "BuilderError";
}

/**
 * An Alloy expression of (Alloy) type T: a reference, a stdlib call, an operator, or any value wrapped with a layout.
 * T is only a compile-time tag; the draft is what gets built.
 */
export class Expression<T> {
  /** Compile-time tag only, never set: makes `Expression<LogsReceiver>` and `Expression<Target[]>` incompatible. */
  declare readonly __type?: T;
  readonly draft: DraftExpr;

  constructor(draft: DraftExpr) {
    this.draft = draft;
  }

  /** `value.name`: a field of an object value (for example an export that is an object). */
  field(name: string): Expression<any> {
    identifier(name, "field name");
    return new Expression({ kind: "access", value: this.draft, name });
  }

  /** `value[index]`. */
  index(index: In<number> | In<string>): Expression<any> {
    return new Expression({ kind: "index", value: operand(this.draft, 7), index: toDraft(index) });
  }
}

/**
 * A blank line among comments: `annotate(x, { comment: ["// a", blankLine, "// b", blankLine] })` puts one between
 * the two comments and one between the last comment and the element (alloy fmt keeps blank lines next to comments).
 */
export const blankLine: unique symbol = Symbol("blankLine");

/** A comment (text without `//`, or a comment as written) or a blank line. */
export type CommentLine = string | typeof blankLine;

/** Comments and blank lines around a value: `annotate(x, { comment: "why" })`. */
export interface Annotation {
  /**
   * Comment lines before the statement (or list element): text without `//`, or comments as written; `blankLine`
   * entries are blank lines between them or after the last one.
   */
  readonly comment?: string | readonly CommentLine[];
  /** A comment at the end of the statement's last line. */
  readonly trailing?: string;
  /** Force (true) or prevent (false) a blank line before the statement; by default blocks are set apart. */
  readonly blank?: boolean;
  /** For a block: a blank line before its closing brace (alloy fmt keeps one after a comment that ends the body). */
  readonly blankEnd?: boolean;
}

/** A value with an annotation; it stands wherever the value itself would. */
export class Annotated<T> {
  declare readonly __type?: T;
  readonly value: unknown;
  readonly annotation: Annotation;

  constructor(value: unknown, annotation: Annotation) {
    this.value = value;
    this.annotation = annotation;
  }
}

/**
 * Attaches comments or a blank line to the statement (attribute or block) a value becomes. `const`: literal types
 * are kept, so an annotated `{ action: "labeldrop", ... }` still fits the relabel rule type.
 */
export function annotate<const V>(value: V, annotation: Annotation): Annotated<V> {
  return new Annotated(value, annotation);
}

/**
 * Converts a TypeScript value to a draft expression: strings, finite numbers, booleans and null become literals;
 * arrays and plain objects become Alloy arrays and objects; expressions are used as they are. `path` names the value
 * in error messages.
 */
export function toDraft(value: unknown, path = "value"): DraftExpr {
  if (value instanceof Expression) return value.draft;
  if (value instanceof Annotated) return toDraft(value.value, path);
  switch (typeof value) {
    case "string":
      return { kind: "literal", literal: "STRING", raw: quoteString(value) };
    case "boolean":
      return { kind: "literal", literal: "BOOL", raw: String(value) };
    case "number":
      return numberDraft(value, path);
    case "object": {
      if (value === null) return { kind: "literal", literal: "NULL", raw: "null" };
      if (Array.isArray(value)) return arrayDraft(value, path, {});
      if (isPlainObject(value)) return objectDraft(value, path, {});
      throw new BuilderError(`${path}: a ${value.constructor?.name ?? "non-plain"} object has no Alloy form; use a plain object, an array or an expression`);
    }
    default:
      throw new BuilderError(`${path}: a ${typeof value} has no Alloy form (expected a string, number, boolean, null, array, object or expression)`);
  }
}

/** Comment lines and blank lines as drafts hold them: comments as written, "" for a blank line. */
export function commentLines(lines: string | readonly CommentLine[] | undefined): string[] {
  if (lines === undefined) return [];
  return (typeof lines === "string" ? [lines] : lines).flatMap((l) => (l === blankLine ? [""] : commentTexts(l as string)));
}

/** The comments a comment string stands for: as written when it starts with `//` or `/*`, else `// line` per line. */
export function commentTexts(text: string): string[] {
  if (text.startsWith("/*")) {
    if (!text.endsWith("*/") || text.length < 4 || text.slice(2, -2).includes("*/")) throw new BuilderError(`malformed block comment ${JSON.stringify(text)}`);
    return [text];
  }
  return text.split("\n").map((line) => {
    const c = line.startsWith("//") ? line : line === "" ? "//" : `// ${line}`;
    if (c.includes("\r")) throw new BuilderError(`a line comment cannot contain a carriage return: ${JSON.stringify(line)}`);
    return c;
  });
}

function numberDraft(n: number, path: string): DraftExpr {
  if (!Number.isFinite(n)) throw new BuilderError(`${path}: ${n} has no Alloy form (numbers must be finite)`);
  if (n < 0 || Object.is(n, -0)) return { kind: "unary", op: "-", value: numberDraft(-n, path) };
  const raw = String(n).replace("e+", "e");
  return { kind: "literal", literal: /[.e]/.test(raw) ? "FLOAT" : "NUMBER", raw };
}

/** How a list is laid out: one element per line or all on one line, and comments before its closing bracket. */
export interface ListLayout {
  readonly multiline?: boolean;
  /**
   * For a list that mixes layouts (as alloy fmt keeps them): whether each element starts on a new line, and then
   * whether the closing bracket does (one entry more than the elements). Overrides `multiline`.
   */
  readonly breaks?: readonly boolean[];
  /** A comment on the opening bracket's line, after the bracket (`[ // why`). */
  readonly open?: string;
  /** Comments before the closing bracket (after the last element, or alone in an empty list); `blankLine`s between them. */
  readonly inner?: readonly CommentLine[];
  /** A blank line before the closing bracket (alloy fmt keeps it after a comment). */
  readonly blankEnd?: boolean;
}

/** An object's layout; `quote` writes keys quoted even where they are identifiers ("all", or the keys to quote). */
export interface ObjectLayout extends ListLayout {
  readonly quote?: "all" | readonly string[];
}

/** The `breaks` of a layout, checked against the number of elements. */
function breaksOf(layout: ListLayout, count: number, path: string): { breaks?: readonly boolean[] } {
  if (layout.breaks === undefined) return {};
  if (layout.breaks.length !== count + 1) {
    throw new BuilderError(`${path}: breaks needs ${count + 1} entries (one per element and one for the closing bracket), got ${layout.breaks.length}`);
  }
  return { breaks: [...layout.breaks] };
}

function arrayDraft(items: readonly unknown[], path: string, layout: ListLayout): DraftExpr {
  const notes: (Notes | undefined)[] = [];
  const elements = items.map((v, i) => {
    if (v === undefined) throw new BuilderError(`${path}[${i}]: undefined has no Alloy form (use null)`);
    notes.push(notesOf(v));
    return toDraft(v, `${path}[${i}]`);
  });
  const ends = endsOf(layout);
  const multiline = layout.multiline ?? (hasLineComment(notes, ends) || elements.some(isMultiline));
  const breaks = breaksOf(layout, elements.length, path);
  checkLineComments(path, "array", notes, ends, breaks.breaks ?? Array.from({ length: elements.length + 1 }, () => multiline));
  return {
    kind: "array",
    elements,
    multiline,
    ...breaks,
    ...(notes.some((n) => n !== undefined) ? { notes } : {}),
    ...ends,
  };
}

function objectDraft(obj: object, path: string, layout: ObjectLayout): DraftExpr {
  const fields: DraftField[] = [];
  for (const [name, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (!isValidIdentifier(name) && quoteString(name) !== `"${name}"`) {
      // alloy fmt writes a quoted key's text between quotes escaped again, so `"a\\b"` would become `"a\\\\b"`.
      throw new BuilderError(`${path}: the object key ${quoteString(name)} needs escapes, which alloy fmt does not keep (it escapes them again); use a key without quotes, backslashes or control characters`);
    }
    const notes = notesOf(v);
    const quoted = layout.quote === "all" || (layout.quote !== undefined && layout.quote.includes(name));
    fields.push({ name, value: toDraft(v, `${path}.${name}`), ...(quoted ? { quoted } : {}), ...(notes !== undefined ? { notes } : {}) });
  }
  const ends = endsOf(layout);
  const multiline = layout.multiline ?? (fields.length > 0 || hasLineComment([], ends));
  const breaks = breaksOf(layout, fields.length, path);
  const notes = fields.map((f) => f.notes);
  checkLineComments(path, "object", notes, ends, breaks.breaks ?? Array.from({ length: fields.length + 1 }, () => multiline));
  return { kind: "object", fields, multiline, ...breaks, ...ends };
}

/** Whether a list has a `//` comment, which forces it over several lines. */
function hasLineComment(notes: readonly (Notes | undefined)[], ends: ListEnds): boolean {
  const texts = [...notes.flatMap((n) => [...(n?.before ?? []), ...(n?.after === undefined ? [] : [n.after])]), ...(ends.open === undefined ? [] : [ends.open]), ...(ends.inner ?? [])];
  return texts.some((t) => t.startsWith("//"));
}

/**
 * A `//` comment runs to the end of its line, so what follows it must start on a new line: the first element after
 * a comment on the opening bracket's line, the element a leading comment stands before, the next element (or the
 * closing bracket) after a comment at the end of an element's line, the closing bracket after inner comments.
 * `br`: the line break before each element and before the closing bracket.
 */
function checkLineComments(path: string, what: string, notes: readonly (Notes | undefined)[], ends: ListEnds, br: readonly boolean[]): void {
  const line = (c: string | undefined): boolean => c !== undefined && c.startsWith("//");
  const bad =
    (line(ends.open) && br[0] !== true) ||
    notes.some((n, i) => (n?.before.some(line) === true && br[i] !== true) || (line(n?.after) && br[i + 1] !== true)) ||
    ((ends.inner ?? []).some(line) && br[notes.length] !== true);
  if (bad) throw new BuilderError(`${path}: a // comment needs a line break after it (it runs to the end of its line): lay the ${what} out so that what follows the comment starts a new line`);
}

/** The comments of an annotated list element or field value. */
function notesOf(v: unknown): Notes | undefined {
  if (!(v instanceof Annotated)) return undefined;
  const { comment, trailing, blank, blankEnd } = v.annotation;
  if (blankEnd !== undefined) throw new BuilderError("blankEnd is for blocks (a blank line before their closing brace); give a list's with its layout");
  const before = commentLines(comment);
  const after = trailing === undefined ? undefined : commentTexts(trailing);
  if (after !== undefined && after.length !== 1) throw new BuilderError(`a trailing comment is one line: ${JSON.stringify(trailing)}`);
  if (before.length === 0 && after === undefined && blank === undefined) return undefined;
  return { before, ...(after !== undefined ? { after: after[0] as string } : {}), ...(blank !== undefined ? { blank } : {}) };
}

interface ListEnds {
  readonly open?: string;
  readonly inner?: string[];
  readonly blankEnd?: boolean;
}

/** The comments and blank line at a list's brackets, as drafts hold them. */
function endsOf(layout: ListLayout): ListEnds {
  let open: string | undefined;
  if (layout.open !== undefined) {
    const texts = commentTexts(layout.open);
    if (texts.length !== 1) throw new BuilderError(`the comment after an opening bracket is one line: ${JSON.stringify(layout.open)}`);
    open = texts[0];
  }
  const inner = commentLines(layout.inner);
  return {
    ...(open !== undefined ? { open } : {}),
    ...(inner.length > 0 ? { inner } : {}),
    ...(layout.blankEnd !== undefined ? { blankEnd: layout.blankEnd } : {}),
  };
}

/** A draft that `alloy fmt` prints over several lines. */
function isMultiline(e: DraftExpr): boolean {
  return (e.kind === "array" || e.kind === "object" || e.kind === "call") && e.multiline;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

function identifier(name: string, what: string): void {
  if (!isValidIdentifier(name)) throw new BuilderError(`${JSON.stringify(name)} is not a valid ${what} (letters, digits and _; not a keyword)`);
}

// ---- expression constructors -----------------------------------------------------------------------------------

/**
 * A reference by its dotted path (`ref("sys.env")`, `ref("argument.x.value")`): for names the builder does not model
 * (module arguments, custom components, references into other files). Its type is unknown, so it fits anywhere.
 */
export function ref(path: string): Expression<any> {
  const parts = path.split(".");
  for (const p of parts) identifier(p, `reference part of ${JSON.stringify(path)}`);
  return new Expression(referenceDraft(parts));
}

/** `a.b.c` from its parts (not checked: the builder's own names are identifiers). */
export function referenceDraft(parts: readonly string[]): DraftExpr {
  let draft: DraftExpr = { kind: "ident", name: parts[0] as string };
  for (const p of parts.slice(1)) draft = { kind: "access", value: draft, name: p };
  return draft;
}

/** A raw (backquoted) string: no escapes, so regexes and Windows paths read as written. */
export function raw(value: string): Expression<string> {
  if (value.includes("`")) throw new BuilderError(`raw strings cannot contain a backquote: ${JSON.stringify(value)}`);
  return new Expression({ kind: "literal", literal: "STRING", raw: "`" + value + "`" });
}

/**
 * A literal exactly as written in River (`"\u00e9"`, `1.50`, `0.0`): for sources whose spelling must be kept. It must
 * scan as one literal.
 */
export function literal(text: string): Expression<any> {
  const { file, diagnostics } = parse(`x = ${text}`);
  const stmt = file.body[0];
  if (diagnostics.length > 0 || file.body.length !== 1 || stmt?.kind !== "AttributeStmt" || stmt.value.kind !== "LiteralExpr" || stmt.value.raw !== text) {
    throw new BuilderError(`${JSON.stringify(text)} is not a single River literal`);
  }
  return new Expression({ kind: "literal", literal: stmt.value.literal, raw: text });
}

/** An array with a chosen layout (`multiline: true` puts each element on its own line, as alloy fmt then keeps). */
export function array<T>(elements: readonly In<T>[], layout: ListLayout = {}): Expression<T[]> {
  return new Expression(arrayDraft(elements, "array", layout));
}

/** An object with a chosen layout (`multiline: false` keeps it on one line; `quote` quotes keys). */
export function object<T>(fields: { readonly [key: string]: In<T> }, layout: ObjectLayout = {}): Expression<{ [key: string]: T }> {
  return new Expression(objectDraft(fields, "object", layout));
}

/** A call of a function value: `call(ref("argument.f.value"), 1)`. Stdlib functions are typed in `std`. */
export function call(callee: Expression<unknown>, args: readonly unknown[], layout: { readonly multiline?: boolean; readonly breaks?: readonly boolean[] } = {}): Expression<any> {
  return new Expression({
    kind: "call",
    callee: operand(callee.draft, 7),
    args: args.map((a, i) => toDraft(a, `argument ${i + 1}`)),
    multiline: layout.multiline ?? false,
    ...breaksOf(layout, args.length, "call"),
  });
}

/** `(value)`: explicit parentheses. The builder adds the ones precedence needs by itself. */
export function paren<T>(value: In<T>): Expression<T> {
  return new Expression({ kind: "paren", inner: toDraft(value) });
}

/** Wraps an operand in parentheses when its own operator binds looser than the place it goes (7: postfix). */
function operand(d: DraftExpr, precedence: number, rightOfLeftAssoc = false): DraftExpr {
  const own = d.kind === "binary" ? BINARY_PRECEDENCE[d.op] : d.kind === "unary" ? 6.5 : 8;
  if (own < precedence || (rightOfLeftAssoc && own === precedence)) return { kind: "paren", inner: d };
  return d;
}

function binary<R>(op: BinaryOp, left: unknown, right: unknown): Expression<R> {
  const p = BINARY_PRECEDENCE[op];
  const rightAssoc = op === "^";
  return new Expression({
    kind: "binary",
    op,
    left: operand(toDraft(left, "left operand"), p, rightAssoc),
    right: operand(toDraft(right, "right operand"), p, !rightAssoc),
  });
}

function unary<R>(op: UnaryOp, value: unknown): Expression<R> {
  return new Expression({ kind: "unary", op, value: operand(toDraft(value, "operand"), 6.5) });
}

type Num = In<number>;
type Str = In<string>;

function add(a: Str, b: Str): Expression<string>;
function add(a: Num, b: Num): Expression<number>;
function add(a: unknown, b: unknown): Expression<any> {
  return binary("+", a, b);
}

/** Alloy's operators. `+` adds numbers or concatenates strings. Parentheses are added where precedence needs them. */
export const op = {
  add,
  sub: (a: Num, b: Num): Expression<number> => binary("-", a, b),
  mul: (a: Num, b: Num): Expression<number> => binary("*", a, b),
  div: (a: Num, b: Num): Expression<number> => binary("/", a, b),
  mod: (a: Num, b: Num): Expression<number> => binary("%", a, b),
  pow: (a: Num, b: Num): Expression<number> => binary("^", a, b),
  eq: (a: unknown, b: unknown): Expression<boolean> => binary("==", a, b),
  ne: (a: unknown, b: unknown): Expression<boolean> => binary("!=", a, b),
  lt: (a: Num | Str, b: Num | Str): Expression<boolean> => binary("<", a, b),
  le: (a: Num | Str, b: Num | Str): Expression<boolean> => binary("<=", a, b),
  gt: (a: Num | Str, b: Num | Str): Expression<boolean> => binary(">", a, b),
  ge: (a: Num | Str, b: Num | Str): Expression<boolean> => binary(">=", a, b),
  and: (a: In<boolean>, b: In<boolean>): Expression<boolean> => binary("&&", a, b),
  or: (a: In<boolean>, b: In<boolean>): Expression<boolean> => binary("||", a, b),
  not: (a: In<boolean>): Expression<boolean> => unary("!", a),
  neg: (a: Num): Expression<number> => unary("-", a),
};
