import type { Comment, CommentGroup } from "../ast/ast.ts";
import { utf8Length } from "../source/utf8.ts";
import type { BytePositions } from "./positions.ts";
import type { TabWriter } from "./tabwriter.ts";

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
const END = Number.MAX_SAFE_INTEGER;

/**
 * alloy's printer state machine. Tokens arrive with (sometimes approximate) source positions; comments are written
 * before the first token that comes after them in the source, with whitespace chosen from where they stood. The output
 * goes straight to the tab writer: text, layout characters (tab, vertical tab, newline, form feed) and comments as
 * escaped text.
 *
 * Positions are kept as numbers: alloy's printer uses only the byte offset and the line of its positions ("AST space"
 * and the last written position), and only whether the output column is 1.
 */
export class Printer {
  /** Receives the output as it is produced (the tab writer). */
  readonly #out: TabWriter;
  #outputEmpty = true;
  #indent = 0;
  #lastTok: LastToken = "ILLEGAL";
  /** Pending whitespace instructions (at most WHITESPACE_CAPACITY). */
  readonly #whitespace = new Uint8Array(WHITESPACE_CAPACITY);
  #wsLen = 0;
  readonly #positions: BytePositions;
  // comments
  readonly #groups: CommentGroup[];
  #groupIdx = 0;
  #current: CommentGroup = [];
  /** Byte offset of the next comment group, or -1 when there are none left. */
  #commentOffset = -1;
  /** Approximate position in the source: byte offset and line (0 = none). */
  #posOffset = 0;
  #posLine = 1;
  /** Line of the last written text (0 = nothing written yet). */
  #lastLine = 0;
  #atLineStart = true;

  constructor(positions: BytePositions, comments: readonly CommentGroup[], out: TabWriter) {
    this.#out = out;
    this.#positions = positions;
    this.#groups = [...comments];
    this.#nextComment();
  }

  /** Adds comment groups that follow all the ones given so far (the formatter streams them with the statements). */
  addComments(groups: readonly CommentGroup[]): void {
    for (const g of groups) this.#groups.push(g);
    if (this.#commentOffset === -1) this.#nextComment();
  }

  /** Sets the approximate source position to a known one (a UTF-16 offset into the source). */
  at(offset: number): void {
    const b = this.#positions.byteOffset(offset);
    this.#posOffset = b;
    this.#posLine = this.#positions.lineOfByte(b);
  }

  ws(a: WS, b?: WS, c?: WS): void {
    this.#ws(a);
    if (b !== undefined) this.#ws(b);
    if (c !== undefined) this.#ws(c);
  }

  #ws(w: WS): void {
    if (w === WS.Ignore) return;
    if (this.#wsLen === WHITESPACE_CAPACITY) this.#writeWhitespace(WHITESPACE_CAPACITY);
    this.#whitespace[this.#wsLen++] = w;
    this.#lastTok = "LITERAL";
  }

  /**
   * Writes a token's text. `kind` is its token kind (alloy's name: IDENT, STRING, NUMBER, "(", ...); `punctuation` is
   * set for operators and brackets, the only tokens alloy checks for accidental combination with the previous one.
   */
  token(text: string, kind: LastToken, punctuation = false): void {
    // Separate tokens that would otherwise scan as one: `1` `.` and `/` `*`.
    if (punctuation && ((this.#lastTok === "NUMBER" && text[0] === ".") || (this.#lastTok === "/" && text[0] === "*"))) {
      this.#whitespace[0] = WS.Blank;
      this.#wsLen = 1;
    }
    this.#lastTok = kind;
    const nextOffset = this.#posOffset;
    const nextLine = this.#posLine;
    this.#flush(nextOffset, nextLine, kind);
    this.#writeString(nextOffset, nextLine, text, false, kind);
  }

  /** Writes the comments left at the end of the file. */
  finish(): void {
    this.#flush(END, END, "EOF");
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

  #commentBefore(nextOffset: number): boolean {
    return this.#commentOffset !== -1 && this.#commentOffset <= nextOffset;
  }

  #flush(nextOffset: number, nextLine: number, tok: LastToken): void {
    if (this.#commentBefore(nextOffset)) this.#injectComments(nextOffset, nextLine, tok);
    else if (tok !== "EOF" && this.#wsLen > 0) this.#writeWhitespace(this.#wsLen);
  }

  #injectComments(nextOffset: number, nextLine: number, tok: LastToken): void {
    let last: Comment | undefined;
    while (this.#commentBefore(nextOffset)) {
      for (const c of this.#current) {
        const b = this.#positions.byteOffset(c.start);
        const line = this.#positions.lineOfByte(b);
        this.#writeCommentPrefix(nextLine, line);
        this.#writeString(b, line, c.text, true);
        last = c;
      }
      this.#nextComment();
    }
    if (last !== undefined) this.#writeCommentSuffix(nextLine, tok, last);
  }

  #writeCommentPrefix(nextLine: number, commentLine: number): void {
    if (this.#outputEmpty) return; // nothing before the comment: no whitespace
    if (commentLine === this.#lastLine) {
      // Same line as the previous token: a tab, or a space when the next token follows on this line too.
      this.#writeByte(commentLine === nextLine ? 32 : 9, 1);
      return;
    }
    // On a later line: apply pending indentation changes up to the first other whitespace entry, which is dropped.
    const ws = this.#whitespace;
    let count = 0;
    for (let i = 0; i < this.#wsLen; i++) {
      const w = ws[i] as WS;
      if (w === WS.Indent || w === WS.Unindent) continue;
      if (w === WS.Blank || w === WS.VTab || w === WS.Newline || w === WS.Formfeed) ws[i] = WS.Ignore;
      count = i;
      break;
    }
    this.#writeWhitespace(count);
    const newlines = commentLine > 0 && this.#lastLine > 0 ? commentLine - this.#lastLine : 0;
    if (newlines > 0) this.#writeByte(12, Math.min(newlines, MAX_NEWLINES));
  }

  #writeCommentSuffix(nextLine: number, tok: LastToken, last: Comment): void {
    if (tok === "EOF") return; // no blank lines at the end of the file
    // alloy's EndPos of a comment: its start plus its (carriage-return-free) length, minus one.
    const lastEndLine = this.#positions.lineOfByte(this.#positions.byteOffset(last.start) + utf8Length(last.text) - 1);
    if (last.text[1] === "*" && nextLine === lastEndLine) this.#writeByte(32, 1);
    const newlines = nextLine - this.#lastLine;
    let droppedFormfeed = false;
    const ws = this.#whitespace;
    for (let i = 0; i < this.#wsLen; i++) {
      const w = ws[i] as WS;
      if (w === WS.Blank || w === WS.VTab) ws[i] = WS.Ignore;
      else if (w === WS.Newline || w === WS.Formfeed) {
        if (w === WS.Formfeed) droppedFormfeed = true;
        ws[i] = WS.Ignore;
      }
    }
    this.#writeWhitespace(this.#wsLen);
    if (newlines > 0) this.#writeByte(droppedFormfeed ? 12 : 10, Math.min(newlines, MAX_NEWLINES));
  }

  /** Writes `s` as if it stood at the given source position (line 0: unknown, keep the current one). */
  #writeString(offset: number, line: number, s: string, escaped: boolean, kind: LastToken = "COMMENT"): void {
    if (this.#atLineStart) this.#writeIndent();
    if (line > 0) {
      this.#posOffset = offset;
      this.#posLine = line;
    }
    this.#outputEmpty = false;
    // Only string literals and comments can hold tabs or line breaks (string literals' are interpreted by the tab
    // writer, as alloy's are).
    if (!escaped && kind !== "STRING") {
      this.#posOffset += this.#out.text(s);
      this.#atLineStart = false;
      this.#lastLine = this.#posLine;
      return;
    }
    this.#posOffset += escaped ? this.#out.escaped(s) : this.#out.write(s);
    let newlines = 0;
    let lastNewline = -1;
    for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) {
      newlines++;
      lastNewline = i;
    }
    if (s.includes("\f")) {
      for (let i = s.indexOf("\f"); i !== -1; i = s.indexOf("\f", i + 1)) {
        newlines++;
        lastNewline = Math.max(lastNewline, i);
      }
    }
    this.#posLine += newlines;
    // alloy sets the column to the bytes after the last line break (1 only if the text ends with one).
    this.#atLineStart = newlines > 0 && lastNewline === s.length - 1;
    this.#lastLine = this.#posLine;
  }

  #writeIndent(): void {
    const depth = this.#indent;
    if (depth > 0) {
      for (let i = 0; i < depth; i++) this.#out.control(9);
      this.#outputEmpty = false;
      this.#atLineStart = false;
    }
    this.#posOffset += depth;
  }

  /** Writes `n` copies of a space (32) or a layout character (tab, newline, form feed). */
  #writeByte(ch: number, n: number): void {
    if (this.#atLineStart) this.#writeIndent();
    if (ch === 32) for (let i = 0; i < n; i++) this.#out.space();
    else for (let i = 0; i < n; i++) this.#out.control(ch);
    this.#outputEmpty = false;
    this.#posOffset += n;
    if (ch === 10 || ch === 12) {
      this.#posLine += n;
      this.#atLineStart = true;
      return;
    }
    this.#atLineStart = false;
  }

  /** Carries out the first `n` pending whitespace instructions and drops them. */
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
          this.#writeByte(w, 1);
      }
    }
    ws.copyWithin(0, n, this.#wsLen);
    this.#wsLen -= n;
  }
}
