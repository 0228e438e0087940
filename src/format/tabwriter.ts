import { isEscaped, runeCount, type Piece } from "./pieces.ts";

/**
 * Elastic tabstops with the behaviour of Go's text/tabwriter as alloy configures it:
 * minwidth 0, tabwidth 8, padding 1, padchar ' ', flags DiscardEmptyColumns | TabIndent.
 *
 * Cells are terminated by `\t` (hard) or `\v` (soft); `\n` ends a line; `\f` ends a line and the current alignment
 * block. Tab-terminated cells in adjacent lines form a column padded to its widest cell plus one; leading empty cells
 * (indentation) are written as tabs. Widths count code points. Escaped pieces are cell text that is never interpreted.
 */
export function tabwrite(input: readonly Piece[]): Piece[] {
  const w = new TabWriter();
  for (const piece of input) w.write(piece);
  w.flush();
  return w.output;
}

const PADDING = 1;
const TAB_WIDTH = 8;

interface Cell {
  /** Text of the cell (plain and escaped pieces). */
  readonly pieces: Piece[];
  /** Width in code points. */
  width: number;
  /** Terminated by a hard tab. */
  htab: boolean;
}

function newCell(): Cell {
  return { pieces: [], width: 0, htab: false };
}

function isEmpty(cell: Cell): boolean {
  // Go tests the cell's byte size: an escaped segment (even empty) makes a cell non-empty.
  return cell.pieces.length === 0;
}

class TabWriter {
  readonly output: Piece[] = [];
  #lines: Cell[][] = [[]];
  #cell: Cell = newCell();
  #widths: number[] = [];

  write(piece: Piece): void {
    if (isEscaped(piece)) {
      this.#cell.pieces.push(piece);
      this.#cell.width += runeCount(piece.escaped);
      return;
    }
    let start = 0;
    for (let i = 0; i < piece.length; i++) {
      const ch = piece.charCodeAt(i);
      if (ch !== 9 && ch !== 11 && ch !== 10 && ch !== 12) continue;
      if (i > start) this.#append(piece.slice(start, i));
      start = i + 1;
      const ncells = this.#terminateCell(ch === 9);
      if (ch === 10 || ch === 12) {
        this.#lines.push([]);
        // A form feed always flushes; so does a line with one cell (it cannot affect later alignment).
        if (ch === 12 || ncells === 1) this.flush();
      }
    }
    if (start < piece.length) this.#append(piece.slice(start));
  }

  #append(text: string): void {
    this.#cell.pieces.push(text);
    this.#cell.width += runeCount(text);
  }

  #terminateCell(htab: boolean): number {
    this.#cell.htab = htab;
    const line = this.#lines[this.#lines.length - 1] as Cell[];
    line.push(this.#cell);
    this.#cell = newCell();
    return line.length;
  }

  flush(): void {
    if (!isEmpty(this.#cell)) this.#terminateCell(false);
    this.#format(0, this.#lines.length);
    this.#lines = [[]];
    this.#cell = newCell();
    this.#widths = [];
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
    const out = this.output;
    const widths = this.#widths;
    for (let i = line0; i < line1; i++) {
      const line = this.#lines[i] as Cell[];
      let useTabs = true; // TabIndent: leading empty cells are padded with tabs
      for (let j = 0; j < line.length; j++) {
        const c = line[j] as Cell;
        if (isEmpty(c)) {
          if (j < widths.length) out.push(padding(c.width, widths[j] as number, useTabs));
        } else {
          useTabs = false;
          for (const p of c.pieces) out.push(p);
          if (j < widths.length) out.push(padding(c.width, widths[j] as number, false));
        }
      }
      // The last buffered line has no newline of its own (the current, unterminated cell is empty when flushing).
      if (i + 1 !== this.#lines.length) out.push("\n");
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
