import { lineAt } from "../source/source-file.ts";
import { utf8Width } from "../source/utf8.ts";

/**
 * Byte offsets and lines for a source text, so that the printer's position arithmetic (which alloy does in bytes)
 * gives the same lines as alloy's. For pure-ASCII text, UTF-16 offsets and byte offsets coincide and no table is built.
 */
export class BytePositions {
  readonly #text: string;
  readonly #ascii: boolean;
  #byteOf: Uint32Array | undefined;
  #lineStarts: readonly number[] | undefined;
  readonly #utf16Starts: (() => readonly number[]) | undefined;

  /** `lineStarts`: the text's line table in UTF-16 offsets, if one is built anyway (shared, not built twice). */
  constructor(text: string, lineStarts?: () => readonly number[]) {
    this.#text = text;
    this.#utf16Starts = lineStarts;
    // eslint-disable-next-line no-control-regex
    this.#ascii = !/[^\x00-\x7f]/.test(text);
  }

  /** Byte offset of a UTF-16 offset. */
  byteOffset(offset: number): number {
    if (this.#ascii) return offset;
    if (this.#byteOf === undefined) {
      const t = this.#text;
      const table = new Uint32Array(t.length + 1);
      let b = 0;
      for (let i = 0; i < t.length; i++) {
        table[i] = b;
        const c = t.charCodeAt(i);
        if (c < 0x80) {
          b++;
          continue;
        }
        const w = utf8Width(c, i + 1 < t.length ? t.charCodeAt(i + 1) : 0);
        // A surrogate pair is one 4-byte character; its second half never starts a token.
        if (w === 4) table[++i] = b;
        b += w;
      }
      table[t.length] = b;
      this.#byteOf = table;
    }
    return this.#byteOf[offset] as number;
  }

  /** Byte offsets at which lines start. */
  #starts(): readonly number[] {
    if (this.#lineStarts === undefined) {
      const shared = this.#utf16Starts?.();
      if (shared !== undefined && this.#ascii) this.#lineStarts = shared;
      else if (shared !== undefined) this.#lineStarts = shared.map((s) => (s === 0 ? 0 : this.byteOffset(s - 1) + 1));
      else {
        const starts = [0];
        const t = this.#text;
        for (let i = t.indexOf("\n"); i !== -1; i = t.indexOf("\n", i + 1)) starts.push(this.byteOffset(i) + 1);
        this.#lineStarts = starts;
      }
    }
    return this.#lineStarts;
  }

  #lastLine = 0;

  /**
   * 1-based line of a byte offset. The printer asks in nearly increasing order, so the previous answer is tried (and
   * its successor) before a binary search.
   */
  lineOfByte(byteOffset: number): number {
    const starts = this.#starts();
    const last = this.#lastLine;
    if (last > 0 && (starts[last - 1] as number) <= byteOffset) {
      const next = starts[last];
      if (next === undefined || byteOffset < next) return last;
      const after = starts[last + 1];
      if (after === undefined || byteOffset < after) return (this.#lastLine = last + 1);
    }
    return (this.#lastLine = lineAt(starts, byteOffset));
  }

  /** 1-based line of a UTF-16 offset. */
  line(offset: number): number {
    return this.lineOfByte(this.byteOffset(offset));
  }
}
