/**
 * Elastic tabstops with the behaviour of Go's text/tabwriter as alloy configures it (minwidth 0, tabwidth 8,
 * padding 1, padchar ' ', flags DiscardEmptyColumns | TabIndent), followed by alloy's trimmer, producing UTF-8 bytes.
 *
 * Cells are terminated by `\t` (hard) or `\v` (soft); `\n` ends a line; `\f` ends a line and the current alignment
 * block. Tab-terminated cells in adjacent lines form a column padded to its widest cell plus one; leading empty cells
 * (indentation) are written as tabs. Widths count code points. Escaped text (comments) is cell text that is never
 * interpreted; as in Go it is bracketed by 0xFF bytes in the buffer (a byte valid UTF-8 never holds), which count in
 * the cell's size but not its width.
 *
 * The trimmer (alloy's printer.trimmer) is applied as lines are written: trailing spaces and tabs are removed from
 * every line, but never from escaped text or from whitespace written before it, and the 0xFF brackets are dropped.
 *
 * Everything is kept in typed arrays (cell text in one byte buffer, cell records in parallel arrays), so formatting a
 * large file allocates almost nothing per token. Use: `text`/`write`/`escaped`/`control`, then `finish()`.
 */
import { encodeUtf8 } from "../source/utf8.ts";

const PADDING = 1;
const TAB_WIDTH = 8;
const ESCAPE = 0xff;

export class TabWriter {
  // The current block: cell text, and cells as parallel arrays (offset into buf, byte size, width, hard tab).
  #buf = new Uint8Array(1 << 12);
  #len = 0;
  /** Whether the buffer holds escaped text (0xFF brackets) since the last flush. */
  #hasEscapes = false;
  #cellStart = 0;
  #cellWidth = 0;
  #cellOff = new Int32Array(256);
  #cellSize = new Int32Array(256);
  #cellWidths = new Int32Array(256);
  #cellHtab = new Uint8Array(256);
  #cells = 0;
  /** Index of the first cell of each line; the last line is the one being written. */
  #lineFirst = new Int32Array(64);
  #lines = 1;
  /** Widths of the columns being formatted (a stack). */
  readonly #widths: number[] = [];

  // The output, trimmed as it is written.
  #out: Uint8Array<ArrayBuffer>;
  #outLen = 0;
  /** Output before this offset is never trimmed (escaped text and the whitespace before it). */
  #protect = 0;

  constructor(expectedSize = 1 << 16) {
    this.#out = new Uint8Array(Math.max(1 << 12, expectedSize + (expectedSize >> 3)));
  }

  /**
   * Writes text the caller knows holds no layout characters; returns its length in UTF-8 bytes (as utf8Width counts
   * them; a printed source never holds a lone surrogate, since the scanner rejects every one).
   */
  text(s: string): number {
    const start = this.#len;
    this.#encode(s, 0, false);
    return this.#len - start;
  }

  /** Writes text that may hold layout characters (`\t`, `\v`, `\n`, `\f`), which act as `control` does. */
  write(s: string): number {
    let bytes = 0;
    for (let i = 0; i < s.length; i++) {
      const start = this.#len;
      i = this.#encode(s, i, true);
      bytes += this.#len - start;
      if (i < s.length) {
        this.control(s.charCodeAt(i));
        bytes++;
      }
    }
    return bytes;
  }

  /** Writes one space. */
  space(): void {
    this.#byte(32);
    this.#cellWidth++;
  }

  /**
   * Encodes `s` from index `from` into the cell buffer as UTF-8 and counts its width; with `stopAtLayout`, stops at
   * the first tab, vertical tab, newline or form feed. Returns the index where it stopped.
   */
  #encode(s: string, from: number, stopAtLayout: boolean): number {
    const n = s.length;
    let buf = this.#buf;
    let len = this.#len;
    if (len + 3 * (n - from) > buf.length) buf = this.#growBuf(len + 3 * (n - from));
    let width = 0;
    let i = from;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (stopAtLayout && c <= 12 && c >= 9) break;
        buf[len++] = c;
      } else {
        const end = encodeUtf8(buf, len, s, i);
        if (end - len === 4) i++; // a surrogate pair
        len = end;
      }
      width++; // one code point
    }
    this.#len = len;
    this.#cellWidth += width;
    return i;
  }

  /** Writes text that is never interpreted (a comment) as part of the current cell; returns its UTF-8 length. */
  escaped(s: string): number {
    this.#hasEscapes = true;
    this.#byte(ESCAPE);
    const bytes = this.text(s);
    this.#byte(ESCAPE);
    return bytes;
  }

  #byte(b: number): void {
    if (this.#len === this.#buf.length) this.#growBuf(this.#len + 1);
    this.#buf[this.#len++] = b;
  }

  /** A layout character: 9 tab and 11 vertical tab end a cell, 10 newline ends a line, 12 form feed also a block. */
  control(ch: number): void {
    const ncells = this.#terminateCell(ch === 9);
    if (ch === 10 || ch === 12) {
      if (this.#lines === this.#lineFirst.length) this.#lineFirst = grow32(this.#lineFirst, this.#lines * 2);
      this.#lineFirst[this.#lines++] = this.#cells;
      // A form feed always flushes; so does a line with one cell (it cannot affect later alignment).
      if (ch === 12 || ncells === 1) this.flush();
    }
  }

  /** Ends the current cell; returns the number of cells of the current line. */
  #terminateCell(htab: boolean): number {
    const k = this.#cells;
    if (k === this.#cellOff.length) {
      this.#cellOff = grow32(this.#cellOff, k * 2);
      this.#cellSize = grow32(this.#cellSize, k * 2);
      this.#cellWidths = grow32(this.#cellWidths, k * 2);
      const h = new Uint8Array(k * 2);
      h.set(this.#cellHtab);
      this.#cellHtab = h;
    }
    this.#cellOff[k] = this.#cellStart;
    this.#cellSize[k] = this.#len - this.#cellStart;
    this.#cellWidths[k] = this.#cellWidth;
    this.#cellHtab[k] = htab ? 1 : 0;
    this.#cells = k + 1;
    this.#cellStart = this.#len;
    this.#cellWidth = 0;
    return k + 1 - (this.#lineFirst[this.#lines - 1] as number);
  }

  /** Formats and writes everything buffered. */
  flush(): void {
    if (this.#len > this.#cellStart) this.#terminateCell(false);
    this.#format(0, this.#lines);
    this.#hasEscapes = false;
    this.#len = 0;
    this.#cellStart = 0;
    this.#cellWidth = 0;
    this.#cells = 0;
    this.#lines = 1;
  }

  /** Flushes the last lines and returns the output: its trailing whitespace dropped, one newline added (alloy's). */
  finish(): Uint8Array {
    this.flush();
    this.#newline();
    return this.#out.subarray(0, this.#outLen);
  }

  /** Number of cells of a line. */
  #lineCells(line: number): number {
    const end = line + 1 < this.#lines ? (this.#lineFirst[line + 1] as number) : this.#cells;
    return end - (this.#lineFirst[line] as number);
  }

  /** Formats lines [line0, line1): finds column blocks left to right and writes lines once their widths are known. */
  #format(line0: number, line1: number): void {
    const column = this.#widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= this.#lineCells(row) - 1) continue;
      // A cell exists in this column: this row starts a block of rows that all have it.
      this.#writeLines(line0, row);
      line0 = row;
      let width = 0;
      let discardable = true;
      for (; row < line1; row++) {
        if (column >= this.#lineCells(row) - 1) break;
        const c = (this.#lineFirst[row] as number) + column;
        const w = this.#cellWidths[c] as number;
        width = Math.max(width, w + PADDING);
        if (w > 0 || this.#cellHtab[c] === 1) discardable = false;
      }
      if (discardable) width = 0;
      this.#widths.push(width);
      this.#format(line0, row);
      this.#widths.pop();
      line0 = row;
    }
    this.#writeLines(line0, line1);
  }

  #writeLines(line0: number, line1: number): void {
    const widths = this.#widths;
    const nw = widths.length;
    for (let i = line0; i < line1; i++) {
      const first = this.#lineFirst[i] as number;
      const n = this.#lineCells(i);
      let useTabs = true; // TabIndent: leading empty cells are padded with tabs
      for (let j = 0; j < n; j++) {
        const c = first + j;
        const size = this.#cellSize[c] as number;
        if (size === 0) {
          if (j < nw) this.#pad(this.#cellWidths[c] as number, widths[j] as number, useTabs);
        } else {
          useTabs = false;
          this.#copy(this.#cellOff[c] as number, size);
          if (j < nw) this.#pad(this.#cellWidths[c] as number, widths[j] as number, false);
        }
      }
      // The last buffered line has no newline of its own (the current, unterminated cell is empty when flushing).
      if (i + 1 !== this.#lines) this.#newline();
    }
  }

  #reserve(n: number): Uint8Array<ArrayBuffer> {
    if (this.#outLen + n > this.#out.length) {
      const bigger = new Uint8Array(Math.max(this.#out.length * 2, this.#outLen + n));
      bigger.set(this.#out.subarray(0, this.#outLen));
      this.#out = bigger;
    }
    return this.#out;
  }

  /** Copies cell text to the output, dropping escape brackets (and protecting what precedes them from trimming). */
  #copy(off: number, size: number): void {
    const out = this.#reserve(size);
    const buf = this.#buf;
    let o = this.#outLen;
    if (!this.#hasEscapes) {
      for (let k = off, end = off + size; k < end; k++) out[o++] = buf[k] as number;
    } else {
      for (let k = off, end = off + size; k < end; k++) {
        const b = buf[k] as number;
        if (b === ESCAPE) this.#protect = o;
        else out[o++] = b;
      }
    }
    this.#outLen = o;
  }

  #pad(textWidth: number, cellWidth: number, useTabs: boolean): void {
    let ch = 32;
    let n = cellWidth - textWidth;
    if (useTabs) {
      const cw = Math.ceil(cellWidth / TAB_WIDTH) * TAB_WIDTH;
      n = Math.ceil((cw - textWidth) / TAB_WIDTH);
      ch = 9;
    }
    const out = this.#reserve(n);
    let o = this.#outLen;
    for (let k = 0; k < n; k++) out[o++] = ch;
    this.#outLen = o;
  }

  /** Ends an output line: trailing spaces and tabs are dropped (the trimmer). */
  #newline(): void {
    this.#trimBack();
    this.#reserve(1)[this.#outLen++] = 10;
  }

  #trimBack(): void {
    const out = this.#out;
    let o = this.#outLen;
    while (o > this.#protect && (out[o - 1] === 32 || out[o - 1] === 9)) o--;
    this.#outLen = o;
  }

  #growBuf(min: number): Uint8Array<ArrayBuffer> {
    const bigger = new Uint8Array(Math.max(this.#buf.length * 2, min));
    bigger.set(this.#buf.subarray(0, this.#len));
    this.#buf = bigger;
    return bigger;
  }
}

function grow32(a: Int32Array, size: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
