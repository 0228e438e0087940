import type { AttributeStmt, BlockStmt, Comment, CommentGroup, Expr, File, Ident, ObjectField, Stmt } from "../ast/ast.ts";
import { quoteString } from "../syntax/strings.ts";
import { isValidIdentifier } from "../syntax/identifier.ts";
import type { Breaks, DraftExpr, DraftItem, DraftStmt, Notes } from "./draft.ts";

/** A laid-out config: the AST, and the text its positions point into. */
export interface LaidOut {
  readonly file: File;
  /** Plain River for the AST's positions (unformatted; print `file` with printFile to get canonical text). */
  readonly text: string;
  /** The top-level statements' drafts, in the order of `file.body`. */
  readonly drafts: readonly DraftStmt[];
}

/**
 * Gives a draft positions. The printer reads layout from positions (which lines elements were on, where comments
 * stood, blank lines between statements), so the builder writes a plain rendition of its tree, one statement per line
 * and lists on one line or one element per line as the draft says, and makes each AST node point into it. The text is
 * valid River that parses to the same AST (a test checks it), but it is never the output: printFile prints the AST.
 */
export function layOut(items: readonly DraftItem[], name: string): LaidOut {
  const w = new Writer();
  const body = w.body(items, true);
  return {
    file: { kind: "File", name, body, comments: w.comments, start: 0, end: w.text.length },
    text: w.text,
    drafts: items.filter((i): i is DraftStmt => i.kind !== "comment"),
  };
}

class Writer {
  text = "";
  readonly comments: CommentGroup[] = [];
  /** Line of the last comment written, while no token followed it (a comment group grows only then). */
  #openGroupLine = -1;
  #line = 1;

  #put(s: string): number {
    const at = this.text.length;
    this.text += s;
    for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) this.#line++;
    return at;
  }

  /** Writes a token (ends the current comment group). */
  #tok(s: string): number {
    this.#openGroupLine = -1;
    return this.#put(s);
  }

  #comment(text: string): void {
    const c: Comment = { kind: "Comment", text, start: this.text.length, end: this.text.length + text.length };
    const group = this.comments[this.comments.length - 1];
    if (group !== undefined && this.#openGroupLine !== -1 && this.#line - this.#openGroupLine <= 1) group.push(c);
    else this.comments.push([c]);
    this.#put(text);
    this.#openGroupLine = this.#line;
  }

  /** A body's items, each on a line of its own (trailing comments stay on the line before). `top`: the file's body. */
  body(items: readonly DraftItem[], top: boolean): Stmt[] {
    const out: Stmt[] = [];
    const blanks = blankLines(items);
    items.forEach((item, i) => {
      if (item.kind === "comment" && item.trailing === true) {
        this.#put(" ");
        this.#comment(item.text);
        return;
      }
      if (!top || i > 0) this.#put(blanks[i] === true ? "\n\n" : "\n");
      if (item.kind === "comment") this.#comment(item.text);
      else out.push(this.#stmt(item));
    });
    return out;
  }

  #stmt(s: DraftStmt): Stmt {
    if (s.kind === "attr") {
      const name = this.#ident(s.name);
      this.#put(" ");
      this.#tok("=");
      this.#put(" ");
      const value = this.#expr(s.value);
      const stmt: AttributeStmt = { kind: "AttributeStmt", name, value, start: name.start, end: value.end };
      return stmt;
    }
    const joined = s.name.join(".");
    const namePos = this.#tok(joined);
    let labelPos: number | undefined;
    if (s.label !== undefined) {
      this.#put(" ");
      labelPos = this.#tok(quoteString(s.label));
    }
    this.#put(" ");
    const lcurly = this.#tok("{");
    const body = this.body(s.body, false);
    // `{ /* comment */ }` stays on one line; anything else closes on a line of its own.
    const onlyTrailing = s.body.every((i) => i.kind === "comment" && i.trailing === true && i.text.startsWith("/*"));
    if (s.body.length > 0) this.#put(onlyTrailing && s.blankEnd !== true ? " " : s.blankEnd === true ? "\n\n" : "\n");
    const rcurly = this.#tok("}");
    const block: BlockStmt = {
      kind: "BlockStmt",
      name: [...s.name],
      namePos,
      ...(s.label !== undefined ? { label: s.label, labelPos } : {}),
      body,
      lcurly,
      rcurly,
      start: namePos,
      end: rcurly + 1,
    };
    return block;
  }

  #ident(name: string): Ident {
    const start = this.#tok(name);
    return { kind: "Ident", name, start, end: start + name.length };
  }

  #expr(d: DraftExpr): Expr {
    switch (d.kind) {
      case "literal": {
        const start = this.#tok(d.raw);
        return { kind: "LiteralExpr", literal: d.literal, raw: d.raw, start, end: start + d.raw.length };
      }
      case "ident": {
        const ident = this.#ident(d.name);
        return { kind: "IdentifierExpr", ident, start: ident.start, end: ident.end };
      }
      case "access": {
        const value = this.#expr(d.value);
        this.#tok(".");
        const name = this.#ident(d.name);
        return { kind: "AccessExpr", value, name, start: value.start, end: name.end };
      }
      case "index": {
        const value = this.#expr(d.value);
        const lbrack = this.#tok("[");
        const index = this.#expr(d.index);
        const rbrack = this.#tok("]");
        return { kind: "IndexExpr", value, index, lbrack, rbrack, start: value.start, end: rbrack + 1 };
      }
      case "call": {
        const value = this.#expr(d.callee);
        const lparen = this.#tok("(");
        const br = lineBreaks(d.args.length, d.multiline, d.breaks);
        const args = this.#list(d.args, br);
        this.#close(d.args.length, undefined, br[d.args.length] === true, "");
        const rparen = this.#tok(")");
        return { kind: "CallExpr", value, args, lparen, rparen, start: value.start, end: rparen + 1 };
      }
      case "array": {
        const lbrack = this.#tok("[");
        this.#open(d.open);
        const br = lineBreaks(d.elements.length, d.multiline, d.breaks);
        const elements = this.#list(d.elements, br, d.notes, d.open !== undefined ? " " : "");
        this.#close(d.elements.length + (d.open !== undefined ? 1 : 0), d.inner, br[d.elements.length] === true, "", d.blankEnd);
        const rbrack = this.#tok("]");
        return { kind: "ArrayExpr", elements, lbrack, rbrack, start: lbrack, end: rbrack + 1 };
      }
      case "object": {
        const lcurly = this.#tok("{");
        this.#open(d.open);
        const br = lineBreaks(d.fields.length, d.multiline, d.breaks);
        const fields: ObjectField[] = [];
        d.fields.forEach((f, i) => {
          this.#before(f.notes, br[i] === true, " ");
          const quoted = f.quoted === true || !isValidIdentifier(f.name);
          const rawName = quoteString(f.name);
          const keyStart = this.#tok(quoted ? rawName : f.name);
          // The parser keeps a quoted key's text between the quotes as written; quoteString wrote it.
          const keyName = quoted ? rawName.slice(1, -1) : f.name;
          const name: Ident = { kind: "Ident", name: keyName, start: keyStart, end: keyStart + (quoted ? rawName.length : f.name.length) };
          this.#put(" ");
          this.#tok("=");
          this.#put(" ");
          const value = this.#expr(f.value);
          if (i + 1 < d.fields.length || br[d.fields.length] === true) this.#tok(",");
          this.#after(f.notes);
          fields.push({ kind: "ObjectField", name, quoted, ...(quoted ? { rawName } : {}), value, start: keyStart, end: value.end });
        });
        this.#close(d.fields.length + (d.open !== undefined ? 1 : 0), d.inner, br[d.fields.length] === true, " ", d.blankEnd);
        const rcurly = this.#tok("}");
        return { kind: "ObjectExpr", fields, lcurly, rcurly, start: lcurly, end: rcurly + 1 };
      }
      case "unary": {
        const opPos = this.#tok(d.op);
        const value = this.#expr(d.value);
        return { kind: "UnaryExpr", op: d.op, opPos, value, start: opPos, end: value.end };
      }
      case "binary": {
        const left = this.#expr(d.left);
        this.#put(" ");
        const opPos = this.#tok(d.op);
        this.#put(" ");
        const right = this.#expr(d.right);
        return { kind: "BinaryExpr", op: d.op, opPos, left, right, start: left.start, end: right.end };
      }
      case "paren": {
        const lparen = this.#tok("(");
        const inner = this.#expr(d.inner);
        const rparen = this.#tok(")");
        return { kind: "ParenExpr", inner, lparen, rparen, start: lparen, end: rparen + 1 };
      }
    }
  }

  /**
   * Comma-separated expressions, each after a line break or on the line before as `br` says (a comma after the last
   * one when the closing bracket is on a line of its own). `first`: what goes before the first one on the bracket's line.
   */
  #list(items: readonly DraftExpr[], br: Breaks, notes?: readonly (Notes | undefined)[], first = ""): Expr[] {
    return items.map((item, i) => {
      this.#before(notes?.[i], br[i] === true, i === 0 ? first : " ");
      const e = this.#expr(item);
      if (i + 1 < items.length || br[items.length] === true) this.#tok(",");
      this.#after(notes?.[i]);
      return e;
    });
  }

  /** A comment on an opening bracket's line. */
  #open(comment: string | undefined): void {
    if (comment === undefined) return;
    this.#put(" ");
    this.#comment(comment);
  }

  /**
   * What comes before a list element or field: its line break (or `separator`) and its leading comments, with the
   * blank lines among them ("" entries; only where the element starts a line).
   */
  #before(notes: Notes | undefined, lineBreak: boolean, separator: string): void {
    if (lineBreak && notes?.blank === true) this.#put("\n");
    let comments = 0;
    for (const c of notes?.before ?? []) {
      if (c === "") {
        if (lineBreak) this.#put("\n");
        continue;
      }
      this.#put(lineBreak ? "\n" : separator);
      this.#comment(c);
      separator = " ";
      comments++;
    }
    if (lineBreak) this.#put("\n");
    else if (comments > 0) this.#put(" ");
    else this.#put(separator);
  }

  /** A comment at the end of a list element's line (after its comma). */
  #after(notes: Notes | undefined): void {
    if (notes?.after === undefined) return;
    this.#put(" ");
    this.#comment(notes.after);
  }

  /**
   * What comes before a closing bracket: comments (each on a line of its own in a multi-line list, else on the
   * bracket's line; "" entries are blank lines between them), then a line break when the bracket starts a line
   * (`multiline`), or `pad` in a one-line list that has something in it (`count`: elements and comments so far).
   */
  #close(count: number, comments: readonly string[] | undefined, multiline: boolean, pad: string, blank = false): void {
    if (multiline && blank) this.#put("\n");
    for (const c of comments ?? []) {
      if (c === "") {
        if (multiline) this.#put("\n");
        continue;
      }
      this.#put(multiline ? "\n" : count > 0 ? " " : pad);
      this.#comment(c);
      count++;
    }
    if (count > 0) this.#put(multiline ? "\n" : pad);
  }
}

/** The line breaks of a list: as given, or all (a multi-line list) or none. */
function lineBreaks(count: number, multiline: boolean, breaks: Breaks | undefined): Breaks {
  if (breaks !== undefined) return breaks;
  return Array.from({ length: count + 1 }, () => multiline);
}

/**
 * Which items of a body get a blank line before them. An item's own `blank` decides for it; otherwise the canonical
 * choice: blocks are set apart from what comes before and after them, and a statement's blank line goes before its
 * leading comments (the comments right before it).
 */
export function blankLines(items: readonly DraftItem[]): boolean[] {
  const out: boolean[] = items.map(() => false);
  let prev: DraftStmt | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as DraftItem;
    if (item.kind === "comment") continue;
    let first = i;
    while (first > 0) {
      const before = items[first - 1] as DraftItem;
      if (before.kind !== "comment" || before.trailing === true) break;
      first--;
    }
    out[first] = prev !== undefined && (item.kind === "block" || prev.kind === "block");
    prev = item;
  }
  items.forEach((item, i) => {
    if (item.blank !== undefined) out[i] = item.blank;
  });
  return out;
}
