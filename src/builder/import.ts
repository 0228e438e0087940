import type { ArrayExpr, BlockStmt, CallExpr, Comment, Expr, File, Node, ObjectExpr, Stmt } from "../ast/ast.ts";
import { BINARY_PRECEDENCE, referencePath } from "../ast/ast.ts";
import { walk } from "../ast/walk.ts";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { COMPONENTS, CONFIG_BLOCKS, STDLIB } from "../schema/index.ts";
import type { BlockSchema } from "../schema/model.ts";
import { childBlocks } from "../schema/index.ts";
import type { SourceFile } from "../source/source-file.ts";
import { parse } from "../syntax/parse.ts";
import { quoteString, unquoteString } from "../syntax/strings.ts";
import { isValidIdentifier } from "../syntax/identifier.ts";
import type { DraftItem } from "./draft.ts";
import { blankLines } from "./layout.ts";
import { toDraft } from "./values.ts";

export interface ImportOptions {
  /** Name of the source in diagnostics. */
  readonly filename?: string;
  /** Module the generated code imports the builder from. Default "river/builder". */
  readonly from?: string;
}

export interface ImportResult {
  /** The TypeScript module (empty when the source has syntax errors or a layout the builder cannot express). */
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * Turns River source into a TypeScript module that rebuilds it with the builder: formatting the built config gives
 * the source formatted, comments included. Components use the typed constructors and props objects where the
 * statements' order and comments allow, an ordered `body(...)` elsewhere; references to components of the file use
 * their typed exports. A few layouts have no builder form (comments inside expressions other than arrays and objects,
 * or in block headers; two comments at the end of one line of a list); they get an IMPORT_LAYOUT diagnostic saying
 * where.
 */
export function importAlloy(source: string, options: ImportOptions = {}): ImportResult {
  const filename = options.filename ?? "<stdin>";
  const parsed = parse(source, { filename });
  if (parsed.diagnostics.some((d) => d.severity === "error")) return { text: "", diagnostics: parsed.diagnostics };
  try {
    return { text: new Importer(parsed.file, parsed.source).module(options.from ?? "river/builder"), diagnostics: [] };
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    const pos = parsed.source.position(err.offset);
    return {
      text: "",
      diagnostics: [{ severity: "error", code: "IMPORT_LAYOUT", message: err.message, filename, line: pos.line, column: pos.column }],
    };
  }
}

/** A layout the builder has no way to express, at a source offset. */
class Unsupported extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** Generated code, laid out by `render`: an atom, or a call, object or array of code. */
type Code =
  | string
  | { readonly kind: "call"; readonly head: string; readonly args: readonly Code[] }
  | { readonly kind: "object"; readonly entries: readonly (readonly [string, Code])[] }
  | { readonly kind: "array"; readonly items: readonly Code[] }
  | { readonly kind: "thunk"; readonly body: Code };

const call = (head: string, ...args: Code[]): Code => ({ kind: "call", head, args });
const js = (value: string): string => JSON.stringify(value);

interface Defined {
  readonly variable: string;
  readonly index: number;
  readonly exports: Readonly<Record<string, string>>;
}

/** What an item of a body is, with the layout facts the builder needs. */
interface Item {
  readonly node: Stmt | Comment;
  /** Source had a blank line before it. */
  readonly blank: boolean;
  /** A comment on the line of what came before. */
  readonly trailing: boolean;
}

class Importer {
  readonly #file: File;
  readonly #source: SourceFile;
  readonly #comments: Comment[];
  /** Top-level components by `name.label`. */
  readonly #defined = new Map<string, Defined>();
  readonly #used = new Set<string>();
  /** Comments inside statements that the code generated so far keeps (around list elements and fields). */
  readonly #claimed = new Set<Comment>();
  /** Index of each top-level statement in the file's body. */
  readonly #index = new Map<Stmt, number>();
  /** Every proper prefix of every reference path (`a\0b` for `a.b.c`): the components something refers to. */
  readonly #referenced = new Set<string>();
  /** Index of the top-level statement being converted (references at or after it need a thunk). */
  #current = 0;
  #forward = false;

  constructor(file: File, source: SourceFile) {
    this.#file = file;
    this.#source = source;
    // In source order (as the parser groups them): lists and bodies find theirs by binary search.
    this.#comments = file.comments.flat().sort((a, b) => a.start - b.start);
    file.body.forEach((s, index) => this.#index.set(s, index));
    // One walk for the whole file, not one per component: a config of thousands of components would take minutes.
    walk(file, (n) => {
      if (n.kind !== "AccessExpr") return true;
      const path = referencePath(n);
      if (path !== undefined) for (let k = 1; k < path.length; k++) this.#referenced.add(path.slice(0, k).join("\0"));
      return true;
    });
    const taken = new Set(["config"]);
    file.body.forEach((s, index) => {
      if (s.kind !== "BlockStmt" || s.label === undefined) return;
      const schema = Object.hasOwn(COMPONENTS, s.name.join(".")) ? COMPONENTS[s.name.join(".")] : undefined;
      if (schema === undefined) return;
      let variable = identifierFor(`${s.name[s.name.length - 1]}_${s.label}`);
      for (let n = 2; taken.has(variable); n++) variable = identifierFor(`${s.name[s.name.length - 1]}_${s.label}_${n}`);
      taken.add(variable);
      this.#defined.set(`${s.name.join(".")}.${s.label}`, { variable, index, exports: schema.exports });
    });
  }

  #line(offset: number): number {
    return this.#source.position(offset).line;
  }

  /** Line of a node's last character. */
  #endLine(n: Stmt | Comment): number {
    return this.#line(Math.max(n.start, n.end - 1));
  }

  module(from: string): string {
    const all = this.#items(this.#file.body, 0, this.#file.end, undefined);
    // Comments that open the file, set apart from the first statement by a blank line, are the config's header.
    let headerEnd = 0;
    while (headerEnd < all.length && all[headerEnd]?.node.kind === "Comment" && (headerEnd === 0 || !all[headerEnd]?.blank) && !all[headerEnd]?.trailing) headerEnd++;
    if (!(headerEnd > 0 && all[headerEnd]?.node.kind !== "Comment" && all[headerEnd]?.blank === true)) headerEnd = 0;
    const header = all.slice(0, headerEnd).map((i) => js((i.node as Comment).text));
    const items = all.slice(headerEnd);
    const defaults = this.#defaults(items);
    const statements = items.map((item, i) => {
      // The first item of a file never has a blank line before it.
      const blank = i > 0 && !item.trailing && item.blank !== defaults[i] ? `{ blank: ${item.blank} }` : undefined;
      if (item.node.kind === "Comment") {
        const opts = [item.trailing ? "trailing: true" : undefined, blank?.slice(2, -2)].filter((o) => o !== undefined);
        return `config.comment(${js(item.node.text)}${opts.length === 0 ? "" : `, { ${opts.join(", ")} }`});`;
      }
      this.#current = this.#index.get(item.node) ?? 0;
      return this.#topLevel(item.node, blank);
    });
    this.#checkComments();
    const names = ["Config", ...[...this.#used].sort()];
    const config = header.length === 0 ? "new Config()" : render(call("new Config", { kind: "object", entries: [["comment", { kind: "array", items: header }]] }), "");
    const lines = [`import { ${names.join(", ")} } from ${js(from)};`, "", `const config = ${config};`, ""];
    for (const s of statements) lines.push(s, "");
    lines.push("export default config;");
    return lines.join("\n") + "\n";
  }

  /** Comments inside statements must have been taken by a list element or field: not elsewhere in expressions or block headers. */
  #checkComments(): void {
    const inside: [number, number][] = [];
    walk(this.#file, (n: Node) => {
      if (n.kind === "AttributeStmt") {
        inside.push([n.start, n.end]);
        return false;
      }
      if (n.kind === "BlockStmt") inside.push([n.start, n.lcurly + 1]);
      return true;
    });
    // The ranges are disjoint (an attribute holds no statement; a block's range is its header): binary search.
    inside.sort((x, y) => x[0] - y[0]);
    for (const c of this.#comments) {
      if (this.#claimed.has(c) || !strictlyInside(inside, c.start)) continue;
      throw new Unsupported("the builder keeps comments between statements and around list elements and object fields; this one is elsewhere", c.start);
    }
  }

  /** The statements and comments of a body between offsets `from` and `to`, with layout facts. */
  #items(stmts: readonly Stmt[], from: number, to: number, open: number | undefined): Item[] {
    const nodes: (Stmt | Comment)[] = [...stmts];
    const spans = stmts.map((s): [number, number] => [s.start, s.end]);
    for (const c of this.#commentsBetween(from - 1, to)) {
      const i = firstStartingAfter(spans, c.start) - 1;
      if (i >= 0 && c.start < (spans[i] as [number, number])[1]) continue; // inside a statement
      nodes.push(c);
    }
    nodes.sort((a, b) => a.start - b.start);
    let prevEnd = open === undefined ? undefined : this.#line(open);
    let prevComment = false;
    return nodes.map((node) => {
      const start = this.#line(node.start);
      const trailing = prevEnd !== undefined && start === prevEnd;
      // alloy fmt starts statements on a line of their own, except after a comment on the same line.
      if (trailing && prevComment && node.kind !== "Comment") throw new Unsupported("a statement shares its line with a comment before it; the builder starts each statement on a line of its own", node.start);
      const blank = prevEnd !== undefined && start - prevEnd > 1;
      prevEnd = this.#endLine(node);
      prevComment = node.kind === "Comment";
      return { node, blank, trailing: trailing && node.kind === "Comment" };
    });
  }

  /** The drafts' blank-line defaults, to spell out only the blank lines that differ from them. */
  #defaults(items: readonly Item[]): boolean[] {
    const drafts: DraftItem[] = items.map((i) =>
      i.node.kind === "Comment"
        ? { kind: "comment", text: i.node.text, ...(i.trailing ? { trailing: true } : {}) }
        : i.node.kind === "BlockStmt"
          ? { kind: "block", name: i.node.name, body: [] }
          : { kind: "attr", name: i.node.name.name, value: { kind: "literal", literal: "NULL", raw: "null" } },
    );
    return blankLines(drafts);
  }

  /**
   * A top-level statement; `annotation` is its `{ blank }` when the source's blank line is not the default (a block
   * gets `blankEnd` in it too, when it has a blank line before its closing brace).
   */
  #topLevel(stmt: Stmt, annotation: string | undefined): string {
    const opts = [annotation?.slice(2, -2), stmt.kind === "BlockStmt" && this.#blankEnd(stmt) ? "blankEnd: true" : undefined].filter((o) => o !== undefined);
    const extra = opts.length === 0 ? [] : [`{ ${opts.join(", ")} }`];
    if (stmt.kind === "AttributeStmt") {
      this.#forward = false;
      const value = this.#expr(stmt.value);
      return `${render(call("config.attr", js(stmt.name.name), this.#forward ? { kind: "thunk", body: value } : value, ...extra), "")};`;
    }
    const name = stmt.name.join(".");
    const component = Object.hasOwn(COMPONENTS, name) ? COMPONENTS[name] : undefined;
    if (component !== undefined && stmt.label !== undefined) {
      this.#forward = false;
      const props = this.#propsOrBody(stmt, component, [component]);
      const propsCode: Code = this.#forward ? { kind: "thunk", body: props } : props;
      const defined = this.#defined.get(`${name}.${stmt.label}`);
      const prefix = defined !== undefined && this.#isReferenced(name, stmt.label) ? `const ${defined.variable} = ` : "";
      return `${prefix}${render(call(`config.${name}`, js(stmt.label), propsCode, ...extra), "", prefix.length)};`;
    }
    const schema = Object.hasOwn(CONFIG_BLOCKS, name) ? CONFIG_BLOCKS[name] : undefined;
    this.#forward = false;
    const contents = schema !== undefined && schema.body === undefined ? this.#propsOrBody(stmt, schema, [schema]) : this.#body(stmt);
    const code: Code = this.#forward ? { kind: "thunk", body: contents } : contents;
    return `${render(call("config.block", js(name), stmt.label === undefined ? "undefined" : js(stmt.label), code, ...extra), "")};`;
  }

  /** Whether a reference names something of component `name.label` (one of its exports). */
  #isReferenced(name: string, label: string): boolean {
    return this.#referenced.has([...name.split("."), label].join("\0"));
  }

  /** A block's contents as a props object when its statements fit one, else as an ordered body. */
  #propsOrBody(block: BlockStmt, schema: BlockSchema, path: readonly BlockSchema[]): Code {
    return this.#props(block, schema, path) ?? this.#body(block);
  }

  /** Whether a block has a blank line between its body's last comment and `}` (alloy fmt keeps it). */
  #blankEnd(block: BlockStmt): boolean {
    const items = this.#items(block.body, block.lcurly + 1, block.rcurly, block.lcurly);
    const last = items[items.length - 1];
    return last !== undefined && last.node.kind === "Comment" && this.#line(block.rcurly) - this.#endLine(last.node) > 1;
  }

  #props(block: BlockStmt, schema: BlockSchema, path: readonly BlockSchema[]): Code | undefined {
    const items = this.#items(block.body, block.lcurly + 1, block.rcurly, block.lcurly);
    const notes = this.#statementNotes(items);
    if (notes === undefined) return undefined;
    const blocks = childBlocks(path, schema);
    const entries: [string, Code][] = [];
    const lists = new Map<string, Code[]>();
    const seen = new Set<string>();
    let last = "";
    for (const [i, item] of items.entries()) {
      if (item.node.kind === "Comment") continue;
      const s = item.node;
      const note = notes.get(i);
      if (s.kind === "AttributeStmt") {
        const key = s.name.name;
        if (!Object.hasOwn(schema.arguments, key) || seen.has(key)) return undefined;
        seen.add(key);
        last = key;
        entries.push([key, this.#annotated(this.#expr(s.value), note ?? [])]);
        continue;
      }
      const name = s.name.join(".");
      const child = Object.hasOwn(blocks, name) ? blocks[name] : undefined;
      if (child === undefined) return undefined;
      const key = child.enum ?? name;
      const labeled = child.labeled === true;
      if (labeled !== (s.label !== undefined)) return undefined;
      if (child.body !== undefined) return undefined;
      const inner = this.#props(s, child, [...path, child]);
      if (inner === undefined || typeof inner === "string" || inner.kind !== "object") return undefined;
      const props: Code = labeled ? { kind: "object", entries: [["$label", js(s.label as string)], ...inner.entries] } : inner;
      const member: Code = child.enum !== undefined ? { kind: "object", entries: [[name.slice(child.enum.length + 1), props]] } : props;
      const value = this.#annotated(member, [...(note ?? []), ...(this.#blankEnd(s) ? ["blankEnd: true"] : [])]);
      if (child.enum !== undefined || child.repeatable !== false) {
        if (seen.has(key) && last !== key) return undefined; // the same block again after others: order lost
        const existing = lists.get(key);
        if (existing !== undefined) existing.push(value);
        else {
          const list: Code[] = [value];
          lists.set(key, list);
          entries.push([key, { kind: "array", items: list }]);
        }
      } else {
        if (seen.has(key)) return undefined;
        entries.push([key, value]);
      }
      seen.add(key);
      last = key;
    }
    return { kind: "object", entries };
  }

  /**
   * The annotation of each statement of a props body (by item index): its leading comments, a trailing comment, and
   * the blank line before it where it is not the default. Undefined when the comments do not all fit annotations
   * (comments at the end of the body, a blank line inside a run of comments): the body form keeps those.
   */
  #statementNotes(items: readonly Item[]): Map<number, string[]> | undefined {
    const defaults = this.#defaults(items);
    const notes = new Map<number, string[]>();
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as Item;
      if (item.node.kind === "Comment") continue;
      let first = i;
      while (first > 0 && (items[first - 1] as Item).node.kind === "Comment" && !(items[first - 1] as Item).trailing) first--;
      const leading = items.slice(first, i);
      if (leading.some((c, k) => k > 0 && c.blank) || (leading.length > 0 && item.blank)) return undefined;
      const head = items[first] as Item;
      const after = items[i + 1];
      const trailing = after !== undefined && after.trailing ? after : undefined;
      if (trailing !== undefined && items[i + 2]?.trailing === true) return undefined;
      const opts = [
        leading.length === 0 ? undefined : `comment: [${leading.map((c) => js((c.node as Comment).text)).join(", ")}]`,
        trailing === undefined ? undefined : `trailing: ${js((trailing.node as Comment).text)}`,
        // Blank lines matter only before attributes and comments: alloy fmt sets every block apart anyway.
        head.blank !== defaults[first] && (item.node.kind === "AttributeStmt" || leading.length > 0) ? `blank: ${head.blank}` : undefined,
      ].filter((o) => o !== undefined);
      if (opts.length > 0) notes.set(i, opts);
    }
    // Every comment must be some statement's: none at the end of the body or first in a trailing position.
    const taken = new Set<number>();
    items.forEach((item, i) => {
      if (item.node.kind === "Comment") return;
      for (let k = i - 1; k >= 0 && (items[k] as Item).node.kind === "Comment" && !(items[k] as Item).trailing; k--) taken.add(k);
      if (items[i + 1]?.trailing === true) taken.add(i + 1);
    });
    return items.every((item, i) => item.node.kind !== "Comment" || taken.has(i)) ? notes : undefined;
  }

  #annotated(value: Code, opts: readonly string[]): Code {
    if (opts.length === 0) return value;
    this.#used.add("annotate");
    return call("annotate", value, `{ ${opts.join(", ")} }`);
  }

  /** A block's contents as `body(...)`: statements and comments in order. */
  #body(block: BlockStmt): Code {
    this.#used.add("body");
    const items = this.#items(block.body, block.lcurly + 1, block.rcurly, block.lcurly);
    const defaults = this.#defaults(items);
    const args = items.map((item, i): Code => {
      const blank = item.blank !== defaults[i] && !item.trailing ? `blank: ${item.blank}` : undefined;
      if (item.node.kind === "Comment") {
        this.#used.add("comment");
        const opts = [item.trailing ? "trailing: true" : undefined, blank].filter((o) => o !== undefined);
        return opts.length === 0 ? call("comment", js(item.node.text)) : call("comment", js(item.node.text), `{ ${opts.join(", ")} }`);
      }
      const blankEnd = item.node.kind === "BlockStmt" && this.#blankEnd(item.node) ? "blankEnd: true" : undefined;
      const opts = [blank, blankEnd].filter((o) => o !== undefined);
      const annotation = opts.length === 0 ? [] : [`{ ${opts.join(", ")} }`];
      if (item.node.kind === "AttributeStmt") {
        this.#used.add("attr");
        return call("attr", js(item.node.name.name), this.#expr(item.node.value), ...annotation);
      }
      this.#used.add("block");
      const s = item.node;
      const contents = this.#body(s);
      return call("block", js(s.name.join(".")), s.label === undefined ? "undefined" : js(s.label), contents, ...annotation);
    });
    return call("body", ...args);
  }

  // ---- expressions ------------------------------------------------------------------------------------------

  #expr(e: Expr): Code {
    switch (e.kind) {
      case "LiteralExpr":
        return this.#literal(e.literal, e.raw);
      case "ArrayExpr":
        return this.#array(e);
      case "ObjectExpr":
        return this.#object(e);
      case "IdentifierExpr":
      case "AccessExpr": {
        const path = referencePath(e);
        if (path !== undefined) return this.#reference(path);
        const value = e.kind === "AccessExpr" ? this.#asExpression(e.value) : "";
        return `${render(value, "")}.field(${js(e.kind === "AccessExpr" ? e.name.name : "")})`;
      }
      case "IndexExpr":
        return `${render(this.#asExpression(e.value), "")}.index(${render(this.#expr(e.index), "")})`;
      case "CallExpr":
        return this.#call(e);
      case "UnaryExpr":
        if (e.op === "-" && e.value.kind === "LiteralExpr" && (e.value.literal === "NUMBER" || e.value.literal === "FLOAT")) {
          const n = this.#literal(e.value.literal, e.value.raw);
          if (typeof n === "string" && /^[0-9]/.test(n)) return `-${n}`;
        }
        this.#used.add("op");
        return call(e.op === "-" ? "op.neg" : "op.not", this.#expr(e.value));
      case "BinaryExpr":
        this.#used.add("op");
        return call(`op.${BINARY_NAMES[e.op]}`, this.#expr(e.left), this.#expr(e.right));
      case "ParenExpr":
        this.#used.add("paren");
        return call("paren", this.#expr(e.inner));
    }
  }

  /** Code for an expression used as the receiver of `.field`/`.index`: an Expression, not a plain value. */
  #asExpression(e: Expr): Code {
    if (e.kind === "LiteralExpr") {
      this.#used.add("literal");
      return call("literal", js(e.raw));
    }
    if (e.kind === "ArrayExpr" || e.kind === "ObjectExpr") {
      const code = this.#expr(e);
      if (typeof code !== "string" && (code.kind === "array" || code.kind === "object")) {
        this.#used.add(e.kind === "ArrayExpr" ? "array" : "object");
        return call(e.kind === "ArrayExpr" ? "array" : "object", code);
      }
      return code;
    }
    if (e.kind === "UnaryExpr" && e.op === "-") {
      this.#used.add("op");
      return call("op.neg", this.#expr(e.value));
    }
    return this.#expr(e);
  }

  #literal(kind: string, raw: string): Code {
    if (kind === "BOOL" || kind === "NULL") return raw;
    if (kind === "STRING") {
      if (raw.startsWith("`")) {
        this.#used.add("raw");
        return call("raw", js(raw.slice(1, -1)));
      }
      const value = unquoteString(raw);
      if (quoteString(value) === raw) return js(value);
    } else {
      const n = Number(raw);
      const back = Number.isFinite(n) ? toDraft(n) : undefined;
      if (back?.kind === "literal" && back.raw === raw) return String(n);
    }
    this.#used.add("literal");
    return call("literal", js(raw));
  }

  #reference(path: readonly string[]): Code {
    for (let k = path.length - 2; k >= 1; k--) {
      const defined = this.#defined.get(path.slice(0, k + 1).join("."));
      const exp = path[k + 1] as string;
      if (defined === undefined || !Object.hasOwn(defined.exports, exp)) continue;
      if (defined.index >= this.#current) this.#forward = true;
      let code = `${defined.variable}.${exp}`;
      for (const f of path.slice(k + 2)) code += `.field(${js(f)})`;
      return code;
    }
    const name = path.join(".");
    const entry = Object.hasOwn(STDLIB.entries, name) ? STDLIB.entries[name] : undefined;
    if (entry?.kind === "constant") {
      this.#used.add("std");
      return `std.${name}`;
    }
    this.#used.add("ref");
    return call("ref", js(name));
  }

  #call(e: CallExpr): Code {
    const layout = this.#layout(e.lparen, e.args, e.rparen);
    const path = referencePath(e.value);
    const name = path?.join(".");
    const args = e.args.map((a) => this.#expr(a));
    const options = this.#layoutOptions(layout, false, this.#commentsIn(e.lparen, e.rparen), e.lparen);
    if (name !== undefined && Object.hasOwn(STDLIB.entries, name) && STDLIB.entries[name]?.kind === "function" && options === undefined) {
      this.#used.add("std");
      return call(`std.${name}`, ...args);
    }
    this.#used.add("call");
    const callee = path !== undefined ? this.#reference(path) : this.#asExpression(e.value);
    const list: Code = { kind: "array", items: args };
    return options === undefined ? call("call", callee, list) : call("call", callee, list, `{ ${options} }`);
  }

  /** Whether comments stand directly between two brackets (not inside nested lists, which check their own). */
  #commentsIn(open: number, close: number): boolean {
    const first = this.#comments[this.#firstCommentAfter(open)];
    return first !== undefined && first.start < close;
  }

  /** The comments that start strictly between offsets `open` and `close`, in source order. */
  #commentsBetween(open: number, close: number): Comment[] {
    const out: Comment[] = [];
    for (let i = this.#firstCommentAfter(open); i < this.#comments.length && (this.#comments[i] as Comment).start < close; i++) out.push(this.#comments[i] as Comment);
    return out;
  }

  /** Index of the first comment starting after offset `at` (the number of comments if none). */
  #firstCommentAfter(at: number): number {
    let lo = 0;
    let hi = this.#comments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#comments[mid] as Comment).start <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #array(e: ArrayExpr): Code {
    const layout = this.#layout(e.lbrack, e.elements, e.rbrack);
    const notes = this.#notes(e.lbrack, e.elements.map((el) => [el.start, endOffset(el)]), e.rbrack, layout.multiline);
    const items = e.elements.map((el, i) => this.#noted(this.#expr(el), notes.around[i]));
    // The builder's default: multi-line when an element is.
    const byDefault = e.elements.some((el) => (el.kind === "ArrayExpr" || el.kind === "ObjectExpr" || el.kind === "CallExpr") && this.#spans(el));
    const options = [this.#layoutOptions(layout, byDefault, false, e.lbrack), this.#innerOption(notes)].filter((o) => o !== undefined);
    if (options.length === 0) return { kind: "array", items };
    this.#used.add("array");
    return call("array", { kind: "array", items }, `{ ${options.join(", ")} }`);
  }

  #spans(e: ArrayExpr | ObjectExpr | CallExpr): boolean {
    if (e.kind === "ArrayExpr") return this.#layout(e.lbrack, e.elements, e.rbrack).multiline;
    if (e.kind === "CallExpr") return this.#layout(e.lparen, e.args, e.rparen).multiline;
    return this.#objectLayout(e).multiline;
  }

  #object(e: ObjectExpr): Code {
    const layout = this.#objectLayout(e);
    const notes = this.#notes(e.lcurly, e.fields.map((f) => [f.start, endOffset(f.value)]), e.rcurly, layout.multiline);
    const entries: [string, Code][] = [];
    const quoted: string[] = [];
    for (const [i, f] of e.fields.entries()) {
      // alloy fmt writes a key's text between double quotes: a raw-string key without escapes reads as a quoted one.
      const rawName = f.rawName?.startsWith("`") === true ? `"${f.rawName.slice(1, -1)}"` : f.rawName;
      const key = f.quoted ? unquoteString(rawName as string) : f.name.name;
      if (f.quoted && (quoteString(key) !== rawName || rawName !== `"${key}"`)) {
        throw new Unsupported("the builder writes no object key with escapes (alloy fmt escapes them again); this key has some", f.start);
      }
      if (f.quoted && isValidIdentifier(key)) quoted.push(key);
      if (/^(0|[1-9][0-9]*)$/.test(key) || key === "__proto__" || entries.some(([k]) => k === key)) {
        throw new Unsupported(`the object key ${quoteString(key)} cannot keep its place in a TypeScript object`, f.start);
      }
      entries.push([key, this.#noted(this.#expr(f.value), notes.around[i])]);
    }
    const value: Code = { kind: "object", entries };
    const quote = quoted.length === 0 ? undefined : quoted.length === e.fields.length ? `quote: "all"` : `quote: [${quoted.map(js).join(", ")}]`;
    const options = [this.#layoutOptions(layout, e.fields.length > 0, false, e.lcurly), quote, this.#innerOption(notes)].filter((o) => o !== undefined);
    if (options.length === 0) return value;
    this.#used.add("object");
    return call("object", value, `{ ${options.join(", ")} }`);
  }

  /**
   * The comments of a list (array or object) whose items span `ranges` (start, last character): one on the opening
   * bracket's line; for each item, the comments before it (on lines of their own, or on its line in a list that mixes
   * layouts) and one at the end of its line; the comments before the closing bracket. In a one-line list every comment
   * is on that line. `null` entries stand for the blank lines that alloy fmt keeps after a comment.
   */
  #notes(open: number, ranges: readonly (readonly [number, number])[], close: number, multiline: boolean): ListNotes {
    const inList = this.#commentsBetween(open, close).filter((c) => !strictlyInside(ranges, c.start));
    const around: ItemNotes[] = ranges.map(() => ({ before: [] }));
    const inner: (Comment | null)[] = [];
    let opening: Comment | undefined;
    const openLine = this.#line(open);
    for (const c of inList) {
      const after = firstStartingAfter(ranges, c.start);
      const next = after === ranges.length ? -1 : after;
      const prev = next === -1 ? ranges.length - 1 : next - 1;
      const prevLine = this.#line(prev === -1 ? open : (ranges[prev] as readonly [number, number])[1]);
      const nextLine = this.#line(next === -1 ? close : (ranges[next] as readonly [number, number])[0]);
      const line = this.#line(c.start);
      const endLine = this.#line(c.end - 1);
      const target = around[prev];
      const before = (): void => {
        if (next === -1) inner.push(c);
        else around[next]?.before.push(c);
      };
      if (!multiline) {
        if (line !== prevLine) throw new Unsupported("the builder keeps comments in a one-line list on its line; this one is elsewhere", c.start);
        before();
      } else if (line === prevLine && endLine < nextLine) {
        // At the end of a line: the opening bracket's, or an item's.
        if (prev === -1 && opening === undefined && inner.length === 0) opening = c;
        else if (prev >= 0 && target !== undefined && target.after === undefined) target.after = c;
        else throw new Unsupported("the builder keeps one comment at the end of a list's line; this line has more", c.start);
      } else if ((line > prevLine && endLine < nextLine) || (line === prevLine && endLine === nextLine)) {
        // On lines of their own before an item or the closing bracket, or (in a list that mixes layouts) between
        // two items on one line.
        before();
      } else {
        throw new Unsupported("the builder keeps comments in a list on lines of their own or at the end of an element's line; this one is elsewhere", c.start);
      }
      this.#claimed.add(c);
    }
    // Blank lines between a list's items matter next to comments only (alloy fmt drops the others): after the
    // comment on the opening bracket's line or an item's, before an item's comments, among them and after them.
    const blankAfter = (c: Comment, nextStart: number): boolean => this.#line(nextStart) - this.#line(c.end - 1) > 1;
    const spaced = (list: (Comment | null)[], end: number): (Comment | null)[] =>
      list.flatMap((c, i) => {
        const nextStart = i + 1 < list.length ? (list[i + 1] as Comment).start : end;
        return c !== null && blankAfter(c, nextStart) ? [c, null] : [c];
      });
    let prevLine = this.#line(opening !== undefined ? opening.end - 1 : open);
    let prevHasComment = opening !== undefined;
    ranges.forEach(([start, end], i) => {
      const a = around[i] as ItemNotes;
      const first = a.before[0]?.start ?? start;
      if ((prevHasComment || a.before.length > 0) && this.#line(first) - prevLine > 1) a.blank = true;
      a.before = spaced(a.before, start);
      prevLine = this.#line(a.after !== undefined ? a.after.end - 1 : end);
      prevHasComment = a.after !== undefined;
    });
    const closeFrom = inner[0]?.start ?? close;
    const blankEnd = multiline && (prevHasComment || inner.length > 0) && this.#line(closeFrom) - prevLine > 1;
    return { ...(opening !== undefined ? { open: opening } : {}), around, inner: spaced(inner, close), blankEnd };
  }

  /** A list element or field value with its comments, as `annotate(value, {...})`. */
  #noted(value: Code, notes: ItemNotes | undefined): Code {
    if (notes === undefined || (notes.before.length === 0 && notes.after === undefined && notes.blank === undefined)) return value;
    this.#used.add("annotate");
    const opts = [
      notes.before.length === 0 ? undefined : `comment: ${this.#commentLines(notes.before)}`,
      notes.after === undefined ? undefined : `trailing: ${js(notes.after.text)}`,
      notes.blank === undefined ? undefined : `blank: ${notes.blank}`,
    ].filter((o) => o !== undefined);
    return call("annotate", value, `{ ${opts.join(", ")} }`);
  }

  /** Comments and blank lines (`null`) as a `CommentLine` array. */
  #commentLines(lines: readonly (Comment | null)[]): string {
    if (lines.includes(null)) this.#used.add("blankLine");
    return `[${lines.map((c) => (c === null ? "blankLine" : js(c.text))).join(", ")}]`;
  }

  #innerOption(notes: ListNotes): string | undefined {
    const open = notes.open === undefined ? undefined : `open: ${js(notes.open.text)}`;
    const inner = notes.inner.length === 0 ? undefined : `inner: ${this.#commentLines(notes.inner)}`;
    return [open, inner, notes.blankEnd ? "blankEnd: true" : undefined].filter((o) => o !== undefined).join(", ") || undefined;
  }

  /**
   * How a list is laid out: one element per line, all on one line, or mixed (`breaks`: a line break before each
   * element and before the closing bracket, as alloy fmt keeps them). A mixed list counts as multi-line.
   */
  #layout(open: number, items: readonly Expr[], close: number): Layout {
    // An empty list with comments: on lines of their own when the brackets are on different lines.
    if (items.length === 0) return { multiline: this.#commentsIn(open, close) && this.#line(open) !== this.#line(close) };
    return layoutOf(this.#line(open), items.map((item) => [this.#line(item.start), this.#line(endOffset(item))]), this.#line(close));
  }

  /** An object's layout: alloy fmt compares each key's line with the previous key's, not with the previous value's end. */
  #objectLayout(e: ObjectExpr): Layout {
    if (e.fields.length === 0) return this.#layout(e.lcurly, [], e.rcurly);
    return layoutOf(this.#line(e.lcurly), e.fields.map((f) => [this.#line(f.name.start), this.#line(f.name.start)]), this.#line(e.rcurly));
  }

  /**
   * The layout options of a list for `array`/`object`/`call`. `hasComments`: a call with comments in it, which the
   * builder has no form for with a mixed layout (arrays and objects keep theirs with annotations).
   */
  #layoutOptions(layout: Layout, byDefault: boolean, hasComments: boolean, at: number): string | undefined {
    if (layout.breaks === undefined) return layout.multiline === byDefault ? undefined : `multiline: ${layout.multiline}`;
    if (hasComments) throw new Unsupported("the builder keeps comments only in lists with all elements on one line or one per line", at);
    return `multiline: true, breaks: [${layout.breaks.join(", ")}]`;
  }
}

/** The comments around a list element or field; `null` a blank line. */
interface ItemNotes {
  before: (Comment | null)[];
  after?: Comment;
  blank?: boolean;
}

/** The comments of a list: on its opening bracket's line, around its items, before its closing bracket. */
interface ListNotes {
  readonly open?: Comment;
  readonly around: readonly ItemNotes[];
  readonly inner: readonly (Comment | null)[];
  readonly blankEnd: boolean;
}

interface Layout {
  readonly multiline: boolean;
  readonly breaks?: readonly boolean[];
}

/** A list's layout from the lines of its opening bracket, its items (first and last line) and its closing bracket. */
/** Index of the first of `ranges` (sorted by start) that starts after offset `at`; `ranges.length` if none. */
function firstStartingAfter(ranges: readonly (readonly [number, number])[], at: number): number {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as readonly [number, number])[0] <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether `at` is strictly inside one of `ranges` (sorted by start, disjoint). */
function strictlyInside(ranges: readonly (readonly [number, number])[], at: number): boolean {
  const range = ranges[firstStartingAfter(ranges, at) - 1];
  return range !== undefined && range[0] < at && at < range[1];
}

function layoutOf(open: number, items: readonly (readonly [number, number])[], close: number): Layout {
  if (items.length === 0) return { multiline: false };
  let prev = open;
  const breaks: boolean[] = [];
  for (const [first, last] of items) {
    breaks.push(first !== prev);
    prev = last;
  }
  breaks.push(close !== prev);
  if (breaks.every((b) => b)) return { multiline: true };
  if (breaks.every((b) => !b)) return { multiline: false };
  return { multiline: true, breaks };
}

/** Offset of an expression's last character, as the printer measures it. */
function endOffset(e: Expr): number {
  switch (e.kind) {
    case "ArrayExpr":
      return e.rbrack;
    case "ObjectExpr":
      return e.rcurly;
    case "CallExpr":
      return e.rparen;
    case "IndexExpr":
      return e.rbrack;
    case "ParenExpr":
      return e.rparen;
    case "BinaryExpr":
      return endOffset(e.right);
    case "UnaryExpr":
      return endOffset(e.value);
    default:
      return e.end - 1;
  }
}

const BINARY_NAMES: Readonly<Record<keyof typeof BINARY_PRECEDENCE, string>> = {
  "+": "add",
  "-": "sub",
  "*": "mul",
  "/": "div",
  "%": "mod",
  "^": "pow",
  "==": "eq",
  "!=": "ne",
  "<": "lt",
  "<=": "le",
  ">": "gt",
  ">=": "ge",
  "&&": "and",
  "||": "or",
};

/** A TypeScript identifier from a River label (labels are identifiers; TypeScript's are narrower). */
function identifierFor(s: string): string {
  const id = s.replace(/[^\p{L}\p{Nd}_$]/gu, "_");
  return /^[\p{L}_$]/u.test(id) ? id : `_${id}`;
}

/**
 * Lays code out: on one line when it fits in 100 columns (`column`: where it starts), else one element per line.
 */
function render(code: Code, indent: string, column = indent.length): string {
  const flat = renderFlat(code);
  if (column + flat.length <= 100 && !flat.includes("\n")) return flat;
  const inner = `${indent}  `;
  if (typeof code === "string") return code;
  switch (code.kind) {
    case "call": {
      // `f(a, {` ... `})` when only the last argument is long, else one argument per line.
      const init = code.args.slice(0, -1).map(renderFlat);
      const lastArg = code.args[code.args.length - 1];
      const head = `${code.head}(${init.map((a) => `${a}, `).join("")}`;
      if (lastArg !== undefined && typeof lastArg !== "string" && lastArg.kind !== "call" && column + head.length <= 100 && init.every((a) => a.length <= 60)) {
        return `${head}${render(lastArg, indent, column + head.length)})`;
      }
      return `${code.head}(\n${code.args.map((a) => `${inner}${render(a, inner)},`).join("\n")}\n${indent})`;
    }
    case "thunk":
      return `() => (${render(code.body, indent, column + "() => (".length)})`;
    case "array":
      return `[\n${code.items.map((i) => `${inner}${render(i, inner)},`).join("\n")}\n${indent}]`;
    case "object":
      return `{\n${code.entries.map(([k, v]) => `${inner}${propertyKey(k)}: ${render(v, inner, inner.length + propertyKey(k).length + 2)},`).join("\n")}\n${indent}}`;
  }
}

function renderFlat(code: Code): string {
  if (typeof code === "string") return code;
  switch (code.kind) {
    case "call":
      return `${code.head}(${code.args.map(renderFlat).join(", ")})`;
    case "thunk":
      return `() => (${renderFlat(code.body)})`;
    case "array":
      return `[${code.items.map(renderFlat).join(", ")}]`;
    case "object":
      return code.entries.length === 0 ? "{}" : `{ ${code.entries.map(([k, v]) => `${propertyKey(k)}: ${renderFlat(v)}`).join(", ")} }`;
  }
}

function propertyKey(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : js(k);
}
