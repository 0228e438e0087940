import { isEscaped, runeCount, type Piece } from "./pieces.ts";

/**
 * Elastic tabstops with the behaviour of Go's text/tabwriter as alloy configures it:
 * minwidth 0, tabwidth 8, padding 1, padchar ' ', flags DiscardEmptyColumns | TabIndent.
 *
 * Cells are terminated by `\t` (hard) or `\v` (soft); `\n` ends a line; `\f` ends a line and the current alignment
 * block. Tab-terminated cells in adjacent lines form a column padded to its widest cell plus one; leading empty cells
 * (indentation) are written as tabs. Widths count code points. Escaped pieces are cell text that is never interpreted.
 * Plain output is joined into one string per flushed block.
 *
 * Use: `write` every piece, then `finish()`.
 */
const PADDING = 1;
const TAB_WIDTH = 8;

interface Cell {
  /** Plain text of the cell, when it has no escaped part. */
  text: string;
  /** Plain and escaped parts, when the cell has an escaped part (a comment). */
  parts: Piece[] | undefined;
  /** Width in code points. */
  width: number;
  /** Terminated by a hard tab. */
  htab: boolean;
}

function isEmpty(cell: Cell): boolean {
  // Go tests the cell's byte size: an escaped segment (even empty) makes a cell non-empty.
  return cell.text === "" && cell.parts === undefined;
}

export class TabWriter {
  readonly #out: Piece[] = [];
  /** Plain text written since the last escaped piece, joined into one string at each flush (few long-lived objects). */
  #run: string[] = [];
  #lines: Cell[][] = [[]];
  #cell: Cell = { text: "", parts: undefined, width: 0, htab: false };
  #widths: number[] = [];

  /** Width of text in code points (the length, unless the text has astral characters). */
  #width(s: string): number {
    return /[\ud800-\udbff]/.test(s) ? runeCount(s) : s.length;
  }

  /** Writes text that may hold layout characters (`\t`, `\v`, `\n`, `\f`), or escaped text (never interpreted). */
  write(piece: Piece): void {
    if (isEscaped(piece)) {
      this.escaped(piece.escaped);
      return;
    }
    let start = 0;
    for (let i = 0; i < piece.length; i++) {
      const ch = piece.charCodeAt(i);
      if (ch > 12 || ch < 9) continue;
      if (i > start) this.#append(piece.slice(start, i));
      start = i + 1;
      this.control(ch);
    }
    if (start < piece.length) this.#append(start === 0 ? piece : piece.slice(start));
  }

  /** Writes text the caller knows holds no layout characters. */
  text(s: string): void {
    this.#append(s);
  }

  /** Writes text that is never interpreted (a comment): it is part of the current cell. */
  escaped(s: string): void {
    const cell = this.#cell;
    cell.parts ??= cell.text === "" ? [] : [cell.text];
    cell.text = "";
    cell.parts.push({ escaped: s });
    cell.width += this.#width(s);
  }

  /** A layout character: 9 tab and 11 vertical tab end a cell, 10 newline ends a line, 12 form feed also a block. */
  control(ch: number): void {
    const ncells = this.#terminateCell(ch === 9);
    if (ch === 10 || ch === 12) {
      this.#lines.push([]);
      // A form feed always flushes; so does a line with one cell (it cannot affect later alignment).
      if (ch === 12 || ncells === 1) this.flush();
    }
  }

  #append(text: string): void {
    const cell = this.#cell;
    if (cell.parts !== undefined) cell.parts.push(text);
    else cell.text += text;
    cell.width += this.#width(text);
  }

  #terminateCell(htab: boolean): number {
    this.#cell.htab = htab;
    const line = this.#lines[this.#lines.length - 1] as Cell[];
    line.push(this.#cell);
    this.#cell = { text: "", parts: undefined, width: 0, htab: false };
    return line.length;
  }

  flush(): void {
    if (!isEmpty(this.#cell)) this.#terminateCell(false);
    this.#format(0, this.#lines.length);
    this.#lines = [[]];
    this.#widths = [];
    this.#endRun();
  }

  /** Flushes the last lines and returns the output: plain and escaped pieces (plain ones may be adjacent). */
  finish(): Piece[] {
    this.flush();
    return this.#out;
  }

  #endRun(): void {
    if (this.#run.length > 0) this.#out.push(this.#run.join(""));
    this.#run = [];
  }

  #emit(p: Piece): void {
    if (isEscaped(p)) {
      this.#endRun();
      this.#out.push(p);
    } else this.#run.push(p);
  }

  /** Formats lines [line0, line1): finds column blocks left to right and writes lines once their widths are known. */
  #format(line0: number, line1: number): void {
    const column = this.#widths.length;
    for (let row = line0; row < line1; row++) {
      if (column >= (this.#lines[row] as Cell[]).length - 1) continue;
      // A cell exists in this column: this row starts a block of rows that all have it.
      this.#writeLines(line0, row);
      line0 = row;
      let width = 0;
      let discardable = true;
      for (; row < line1; row++) {
        const line = this.#lines[row] as Cell[];
        if (column >= line.length - 1) break;
        const c = line[column] as Cell;
        width = Math.max(width, c.width + PADDING);
        if (c.width > 0 || c.htab) discardable = false;
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
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i] as Cell[];
      let useTabs = true; // TabIndent: leading empty cells are padded with tabs
      for (let j = 0; j < line.length; j++) {
        const c = line[j] as Cell;
        if (isEmpty(c)) {
          if (j < widths.length) this.#emit(padding(c.width, widths[j] as number, useTabs));
        } else {
          useTabs = false;
          if (c.parts === undefined) this.#emit(c.text);
          else for (const p of c.parts) this.#emit(p);
          if (j < widths.length) this.#emit(padding(c.width, widths[j] as number, false));
        }
      }
      // The last buffered line has no newline of its own (the current, unterminated cell is empty when flushing).
      if (i + 1 !== this.#lines.length) this.#emit("\n");
    }
  }
}

function padding(textWidth: number, cellWidth: number, useTabs: boolean): string {
  if (useTabs) {
    const cw = Math.ceil(cellWidth / TAB_WIDTH) * TAB_WIDTH;
    return "\t".repeat(Math.ceil((cw - textWidth) / TAB_WIDTH));
  }
  return " ".repeat(cellWidth - textWidth);
}
