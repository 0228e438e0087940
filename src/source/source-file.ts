import { utf8Length } from "./utf8.ts";

/**
 * A source text with its name and a lazily built line table.
 *
 * Offsets everywhere in river are UTF-16 indices into `text` (what JavaScript strings index by). Lines are 1-based.
 * Columns are 1-based and count UTF-8 bytes from the start of the line, exactly as alloy (Go) counts them, so that
 * `file:line:col` in our diagnostics points where alloy's would.
 */
export class SourceFile {
  readonly name: string;
  readonly text: string;
  #lineStarts: number[] | undefined;
  /** The last position computed: its line's start, its offset and its byte count from the line's start. */
  #last: { lineStart: number; offset: number; bytes: number } | undefined;

  constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
  }

  /** Offsets at which each line starts (line 1 starts at 0). */
  get lineStarts(): readonly number[] {
    if (this.#lineStarts === undefined) {
      const starts = [0];
      const t = this.text;
      for (let i = t.indexOf("\n"); i !== -1; i = t.indexOf("\n", i + 1)) starts.push(i + 1);
      this.#lineStarts = starts;
    }
    return this.#lineStarts;
  }

  /**
   * 1-based line and byte column of a UTF-16 offset. The bytes are counted on from the previous position asked for when
   * it is earlier on the same line: diagnostics come in source order, and a line of noise (a minified or binary file)
   * has thousands of them, each of which counted from the line's start (200 KB took three minutes).
   */
  position(offset: number): Position {
    const starts = this.lineStarts;
    const line = lineAt(starts, offset);
    const lineStart = starts[line - 1] as number;
    const last = this.#last;
    const bytes =
      last !== undefined && last.lineStart === lineStart && last.offset <= offset
        ? last.bytes + utf8Length(this.text, last.offset, offset)
        : utf8Length(this.text, lineStart, offset);
    // Not between the halves of a surrogate pair, which count 4 bytes together and 3 each apart.
    const before = this.text.charCodeAt(offset - 1);
    this.#last = before >= 0xd800 && before <= 0xdbff ? undefined : { lineStart, offset, bytes };
    return { line, column: bytes + 1, offset };
  }

  /** The text of a 1-based line, without its newline. */
  lineText(line: number): string {
    const starts = this.lineStarts;
    const start = starts[line - 1];
    if (start === undefined) return "";
    const next = starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }
}

/** 1-based line of `offset` in a table of line starts (sorted, the first 0), by binary search. */
export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

export interface Position {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column in UTF-8 bytes, as alloy counts it. */
  readonly column: number;
  /** UTF-16 offset into the text. */
  readonly offset: number;
}
