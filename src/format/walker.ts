import type { ArrayExpr, BlockStmt, CallExpr, Expr, File, Ident, Node, ObjectExpr, Stmt } from "../ast/ast.ts";
import { utf8Length } from "../source/utf8.ts";
import { quoteString } from "../syntax/strings.ts";
import type { BytePositions } from "./positions.ts";
import { Printer, WS } from "./printer.ts";

/**
 * Walks the AST and feeds the printer tokens and whitespace instructions, with alloy's layout rules: statements one
 * per line, a blank line before every block but the first of a body and wherever the source had one, arrays, objects
 * and calls one-line or multi-line as written (with trailing commas when multi-line), `=` aligned across runs.
 */
export class Walker {
  readonly #p: Printer;
  readonly #pos: BytePositions;

  constructor(printer: Printer, positions: BytePositions) {
    this.#p = printer;
    this.#pos = positions;
  }

  #previousTop: Stmt | undefined;

  file(f: File): void {
    for (const s of f.body) this.topLevel(s);
  }

  /** Prints the next top-level statement (the formatter streams them as they are parsed). */
  topLevel(s: Stmt): void {
    this.#stmt(s, this.#previousTop);
    this.#previousTop = s;
  }

  /** Line of a node's first character. */
  #startLine(n: Node): number {
    return this.#pos.line(n.start);
  }

  /** Line of a node's last character, computed as alloy's ast.EndPos does. */
  #endLine(n: Node): number {
    return this.#pos.lineOfByte(this.#endByte(n));
  }

  #endByte(n: Node): number {
    switch (n.kind) {
      case "AttributeStmt":
        return this.#endByte(n.value);
      case "BlockStmt":
        return this.#pos.byteOffset(n.rcurly);
      case "Ident":
        // alloy measures an identifier by its name, even for a quoted object key (whose name excludes the quotes).
        return this.#pos.byteOffset(n.start) + utf8Length(n.name) - 1;
      case "IdentifierExpr":
        return this.#endByte(n.ident);
      case "LiteralExpr":
        return this.#pos.byteOffset(n.start) + utf8Length(n.raw) - 1;
      case "ArrayExpr":
        return this.#pos.byteOffset(n.rbrack);
      case "ObjectExpr":
        return this.#pos.byteOffset(n.rcurly);
      case "AccessExpr":
        return this.#endByte(n.name);
      case "IndexExpr":
        return this.#pos.byteOffset(n.rbrack);
      case "CallExpr":
        return this.#pos.byteOffset(n.rparen);
      case "UnaryExpr":
        return this.#endByte(n.value);
      case "BinaryExpr":
        return this.#endByte(n.right);
      case "ParenExpr":
        return this.#pos.byteOffset(n.rparen);
      default:
        return this.#pos.byteOffset(n.end) - 1;
    }
  }

  #nodeLines(n: Node): number {
    return this.#endLine(n) - this.#startLine(n) + 1;
  }

  #stmts(stmts: readonly Stmt[]): void {
    let prev: Stmt | undefined;
    for (const s of stmts) {
      this.#stmt(s, prev);
      prev = s;
    }
  }

  /** A statement of a body, after `prev` (undefined for the first). */
  #stmt(s: Stmt, prev: Stmt | undefined): void {
    const p = this.#p;
    let spaced = false;
    // Two blocks are always separated by a blank line (any statement before a block, in fact).
    if (prev !== undefined && s.kind === "BlockStmt") {
      p.ws(WS.Formfeed);
      spaced = true;
    }
    // A blank line in the source between two statements is kept.
    if (prev !== undefined && !spaced && this.#startLine(s) - this.#endLine(prev) > 1) p.ws(WS.Formfeed);
    this.#statementBody(s);
    // A statement spanning several lines ends the alignment run.
    p.ws(this.#nodeLines(s) > 1 ? WS.Formfeed : WS.Newline);
  }

  #statementBody(s: Stmt): void {
    if (s.kind === "AttributeStmt") {
      this.#ident(s.name, true);
      this.#p.ws(WS.VTab);
      this.#p.token("=", "=", true);
      this.#p.ws(WS.Blank);
      this.#expr(s.value);
    } else this.#block(s);
  }

  #ident(id: Ident, withPos: boolean): void {
    if (withPos) this.#p.at(id.start);
    this.#p.token(id.name, "IDENT");
  }

  #block(s: BlockStmt): void {
    const p = this.#p;
    p.at(s.namePos);
    p.token(s.name.join("."), "IDENT");
    if (s.label !== undefined && s.label !== "") {
      p.ws(WS.Blank);
      p.at(s.labelPos as number);
      p.token(quoteString(s.label), "STRING");
    }
    p.ws(WS.Blank);
    p.at(s.lcurly);
    p.token("{", "{", true);
    p.ws(WS.Indent);
    if (s.body.length > 0) {
      p.ws(WS.Formfeed);
      this.#stmts(s.body);
    } else p.ws(WS.Blank);
    p.ws(WS.Unindent);
    p.at(s.rcurly);
    p.token("}", "}", true);
  }

  #expr(e: Expr): void {
    const p = this.#p;
    switch (e.kind) {
      case "LiteralExpr":
        p.at(e.start);
        p.token(e.raw, e.literal);
        return;
      case "ArrayExpr":
        this.#array(e);
        return;
      case "ObjectExpr":
        this.#object(e);
        return;
      case "IdentifierExpr":
        this.#ident(e.ident, true);
        return;
      case "AccessExpr":
        this.#expr(e.value);
        p.token(".", ".", true);
        this.#ident(e.name, false);
        return;
      case "IndexExpr":
        this.#expr(e.value);
        p.at(e.lbrack);
        p.token("[", "[", true);
        this.#expr(e.index);
        p.at(e.rbrack);
        p.token("]", "]", true);
        return;
      case "CallExpr":
        this.#call(e);
        return;
      case "UnaryExpr":
        p.at(e.opPos);
        p.token(e.op, e.op, true);
        this.#expr(e.value);
        return;
      case "BinaryExpr":
        this.#expr(e.left);
        p.ws(WS.Blank);
        p.at(e.opPos);
        p.token(e.op, e.op, true);
        p.ws(WS.Blank);
        this.#expr(e.right);
        return;
      case "ParenExpr":
        p.token("(", "(", true);
        this.#expr(e.inner);
        p.token(")", ")", true);
        return;
    }
  }

  #differentLines(a: number, bLine: number): boolean {
    return this.#pos.lineOfByte(a) !== bLine;
  }

  #array(e: ArrayExpr): void {
    const p = this.#p;
    p.at(e.lbrack);
    p.token("[", "[", true);
    let prev = this.#pos.byteOffset(e.lbrack);
    const n = e.elements.length;
    for (let i = 0; i < n; i++) {
      const el = e.elements[i] as Expr;
      let newline = false;
      if (this.#differentLines(prev, this.#startLine(el))) {
        // Indent before the newline so that comments written before it are indented too.
        p.ws(WS.Indent, WS.Formfeed);
        newline = true;
      } else if (i > 0) p.ws(WS.Blank);
      prev = this.#endByte(el);
      this.#expr(el);
      if (i + 1 < n) p.token(",", ",", true);
      if (newline) p.ws(WS.Unindent);
    }
    if (n > 0 && this.#differentLines(prev, this.#pos.line(e.rbrack))) {
      p.token(",", ",", true);
      p.ws(WS.Indent, WS.Formfeed, WS.Unindent);
    }
    p.at(e.rbrack);
    p.token("]", "]", true);
  }

  #object(e: ObjectExpr): void {
    const p = this.#p;
    p.at(e.lcurly);
    p.token("{", "{", true);
    p.ws(WS.Indent);
    let prev = this.#pos.byteOffset(e.lcurly);
    const n = e.fields.length;
    for (let i = 0; i < n; i++) {
      const field = e.fields[i] as (typeof e.fields)[number];
      if (this.#differentLines(prev, this.#startLine(field.name))) {
        // Keep aligning `=` if the previous field's value was on one line.
        p.ws(i > 0 && this.#nodeLines((e.fields[i - 1] as typeof field).value) === 1 ? WS.Newline : WS.Formfeed);
      } else if (i > 0) p.ws(WS.Blank);
      prev = this.#endByte(field.name);
      p.at(field.name.start);
      if (field.quoted) p.token(quoteString(field.name.name), "STRING");
      else p.token(field.name.name, "IDENT");
      p.ws(WS.VTab);
      p.token("=", "=", true);
      p.ws(WS.Blank);
      this.#expr(field.value);
      if (i + 1 < n) p.token(",", ",", true);
    }
    if (n > 0 && this.#differentLines(prev, this.#pos.line(e.rcurly))) {
      p.token(",", ",", true);
      p.ws(WS.Formfeed);
    }
    p.ws(WS.Unindent);
    p.at(e.rcurly);
    p.token("}", "}", true);
  }

  #call(e: CallExpr): void {
    const p = this.#p;
    this.#expr(e.value);
    p.token("(", "(", true);
    let prev = this.#pos.byteOffset(e.lparen);
    const n = e.args.length;
    for (let i = 0; i < n; i++) {
      const arg = e.args[i] as Expr;
      let newline = false;
      if (this.#differentLines(prev, this.#startLine(arg))) {
        p.ws(WS.Formfeed, WS.Indent);
        newline = true;
      }
      this.#expr(arg);
      prev = this.#endByte(arg);
      if (i + 1 < n) {
        p.token(",", ",", true);
        p.ws(WS.Blank);
      }
      if (newline) p.ws(WS.Unindent);
    }
    if (this.#differentLines(prev, this.#pos.line(e.rparen))) {
      p.token(",", ",", true);
      p.ws(WS.Formfeed);
    }
    p.token(")", ")", true);
  }
}
