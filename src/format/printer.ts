import type { Comment, CommentGroup } from "../ast/ast.ts";
import { utf8Length } from "../source/source-file.ts";
import type { Piece } from "./pieces.ts";
import { NO_POS, type BytePositions, type Pos } from "./positions.ts";

/**
 * Whitespace instructions buffered between tokens. Blank, vtab, newline and formfeed become those characters (vtab
 * separates an attribute's name from `= value` for alignment; formfeed also ends an alignment run); indent/unindent
 * change the indentation level; ignore is a dropped entry.
 */
export const enum WS {
  Ignore = 0,
  Blank = 32,
  VTab = 11,
  Newline = 10,
  Formfeed = 12,
  Indent = 62,
  Unindent = 60,
}

/** What was written last: a token kind ("IDENT", "NUMBER", "/", ...) or "LITERAL" for whitespace. */
export type LastToken = string;

const WHITESPACE_CAPACITY = 16;
const MAX_NEWLINES = 2;

/**
 * alloy's printer state machine. Tokens arrive with (sometimes approximate) source positions; comments are written
 * before the first token that comes after them in the source, with whitespace chosen from where they stood. The output
 * is a list of pieces for the tab writer; comments are escaped pieces.
 */
export class Printer {
  readonly output: Piece[] = [];
  #text = "";
  #outputEmpty = true;
  #indent = 0;
  #lastTok: LastToken = "ILLEGAL";
  #whitespace: WS[] = [];
  readonly #positions: BytePositions;
  // comments
  readonly #groups: readonly CommentGroup[];
  #groupIdx = 0;
  #current: CommentGroup = [];
  /** Byte offset of the next comment group, or -1 when there are none left. */
  #commentOffset = -1;
  // positions: approximate position in the source ("AST space"), last written position, output column/line
  #pos: Pos = { offset: 0, line: 1, column: 1 };
  #last: Pos = { ...NO_POS };
  #outColumn = 1;

  constructor(positions: BytePositions, comments: readonly CommentGroup[]) {
    this.#positions = positions;
    this.#groups = comments;
    this.#nextComment();
  }

  /** Sets the approximate source position to a known one. */
  at(offset: number): void {
    this.#pos = this.#positions.at(offset);
  }

  ws(...items: WS[]): void {
    for (const w of items) {
      if (w === WS.Ignore) continue;
      if (this.#whitespace.length === WHITESPACE_CAPACITY) this.#writeWhitespace(WHITESPACE_CAPACITY);
      this.#whitespace.push(w);
      this.#lastTok = "LITERAL";
    }
  }

  /**
   * Writes a token's text. `kind` is its token kind (alloy's name: IDENT, STRING, NUMBER, "(", ...); `punctuation` is
   * set for operators and brackets, the only tokens alloy checks for accidental combination with the previous one.
   */
  token(text: string, kind: LastToken, punctuation = false): void {
    // Separate tokens that would otherwise scan as one: `1` `.` and `/` `*`.
    if (punctuation && ((this.#lastTok === "NUMBER" && text[0] === ".") || (this.#lastTok === "/" && text[0] === "*"))) {
      this.#whitespace = [WS.Blank];
    }
    this.#lastTok = kind;
    const next = { ...this.#pos };
    this.#flush(next, kind);
    this.#writeString(next, text, false);
  }

  /** Writes the comments left at the end of the file. */
  finish(): void {
    this.#flush({ offset: Number.MAX_SAFE_INTEGER, line: Number.MAX_SAFE_INTEGER, column: Number.MAX_SAFE_INTEGER }, "EOF");
    this.#flushText();
  }

  #flushText(): void {
    if (this.#text !== "") {
      this.output.push(this.#text);
      this.#text = "";
    }
  }

  #nextComment(): void {
    while (this.#groupIdx < this.#groups.length) {
      const g = this.#groups[this.#groupIdx++] as CommentGroup;
      if (g.length > 0) {
        this.#current = g;
        this.#commentOffset = this.#positions.byteOffset((g[0] as Comment).start);
        return;
      }
    }
    this.#commentOffset = -1;
  }

  #commentBefore(next: Pos): boolean {
    return this.#commentOffset !== -1 && this.#commentOffset <= next.offset;
  }

  #flush(next: Pos, tok: LastToken): void {
    if (this.#commentBefore(next)) this.#injectComments(next, tok);
    else if (tok !== "EOF") this.#writeWhitespace(this.#whitespace.length);
  }

  #injectComments(next: Pos, tok: LastToken): void {
    let last: Comment | undefined;
    while (this.#commentBefore(next)) {
      for (const c of this.#current) {
        this.#writeCommentPrefix(next, c);
        this.#writeString(this.#positions.at(c.start), c.text, true);
        last = c;
      }
      this.#nextComment();
    }
    if (last !== undefined) this.#writeCommentSuffix(next, tok, last);
  }

  #writeCommentPrefix(next: Pos, c: Comment): void {
    if (this.#outputEmpty) return; // nothing before the comment: no whitespace
    const cPos = this.#positions.at(c.start);
    if (cPos.line === this.#last.line) {
      // Same line as the previous token: a tab, or a space when the next token follows on this line too.
      this.#writeByte(cPos.line === next.line ? " " : "\t", 1);
      return;
    }
    // On a later line: apply pending indentation changes up to the first other whitespace entry, which is dropped.
    const ws = this.#whitespace;
    let count = 0;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i] as WS;
      if (w === WS.Indent || w === WS.Unindent) continue;
      if (w === WS.Blank || w === WS.VTab || w === WS.Newline || w === WS.Formfeed) ws[i] = WS.Ignore;
      count = i;
      break;
    }
    this.#writeWhitespace(count);
    const newlines = cPos.line > 0 && this.#last.line > 0 ? cPos.line - this.#last.line : 0;
    if (newlines > 0) this.#writeByte("\f", Math.min(newlines, MAX_NEWLINES));
  }

  #writeCommentSuffix(next: Pos, tok: LastToken, last: Comment): void {
    if (tok === "EOF") return; // no blank lines at the end of the file
    const lastEnd = this.#positions.atByte(this.#positions.byteOffset(last.start) + utf8Length(last.text) - 1);
    if (last.text[1] === "*" && next.line === lastEnd.line) this.#writeByte(" ", 1);
    const newlines = next.line - this.#last.line;
    let droppedFormfeed = false;
    const ws = this.#whitespace;
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i] as WS;
      if (w === WS.Blank || w === WS.VTab) ws[i] = WS.Ignore;
      else if (w === WS.Newline || w === WS.Formfeed) {
        if (w === WS.Formfeed) droppedFormfeed = true;
        ws[i] = WS.Ignore;
      }
    }
    this.#writeWhitespace(ws.length);
    if (newlines > 0) this.#writeByte(droppedFormfeed ? "\f" : "\n", Math.min(newlines, MAX_NEWLINES));
  }

  #writeString(pos: Pos, s: string, escaped: boolean): void {
    if (this.#outColumn === 1) this.#writeIndent();
    if (pos.line > 0) this.#pos = { ...pos };
    if (escaped) {
      this.#flushText();
      this.output.push({ escaped: s });
    } else this.#text += s;
    this.#outputEmpty = false;
    const bytes = utf8Length(s);
    let newlines = 0;
    let lastNewline = -1;
    for (let i = 0; i < s.length; i++) {
      const ch = s.charCodeAt(i);
      if (ch === 10 || ch === 12) {
        newlines++;
        lastNewline = i;
      }
    }
    this.#pos.offset += bytes;
    if (newlines > 0) {
      this.#pos.line += newlines;
      const column = utf8Length(s, lastNewline);
      this.#pos.column = column;
      this.#outColumn = column;
    } else {
      this.#pos.column += bytes;
      this.#outColumn += bytes;
    }
    this.#last = { ...this.#pos };
  }

  #writeIndent(): void {
    const depth = this.#indent;
    if (depth > 0) {
      this.#text += "\t".repeat(depth);
      this.#outputEmpty = false;
    }
    this.#pos.offset += depth;
    this.#pos.column += depth;
    this.#outColumn += depth;
  }

  #writeByte(ch: string, n: number): void {
    if (this.#outColumn === 1) this.#writeIndent();
    this.#text += ch.repeat(n);
    this.#outputEmpty = false;
    this.#pos.offset += n;
    if (ch === "\n" || ch === "\f") {
      this.#pos.line += n;
      this.#pos.column = 1;
      this.#outColumn = 1;
      return;
    }
    this.#pos.column += n;
    this.#outColumn += n;
  }

  #writeWhitespace(n: number): void {
    const ws = this.#whitespace;
    for (let i = 0; i < n; i++) {
      const w = ws[i] as WS;
      switch (w) {
        case WS.Ignore:
          break;
        case WS.Indent:
          this.#indent++;
          break;
        case WS.Unindent:
          this.#indent--;
          if (this.#indent < 0) throw new Error("printer: negative indentation");
          break;
        default:
          this.#writeByte(String.fromCharCode(w), 1);
      }
    }
    this.#whitespace = ws.slice(n);
  }
}
