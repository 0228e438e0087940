/**
 * UTF-8 widths of river's texts: the one definition that columns (SourceFile), the printer's byte offsets
 * (format/positions.ts), the tab writer's output and the CLI's carets and SARIF columns all use, so that they agree
 * on every input, including files with bytes that are not UTF-8.
 *
 * Texts are JavaScript strings (UTF-16). A surrogate pair is one 4-byte character. A lone surrogate U+DC80–U+DCFF
 * stands for one undecodable byte of the original file (see decodeSource) and is that one byte again. Any other lone
 * surrogate (only a caller's own string can hold one) is 3 bytes, as the U+FFFD that TextEncoder writes for it.
 */

/**
 * UTF-8 bytes of the UTF-16 unit `c` followed by `next` (any number past the end of the text): 4 for a surrogate
 * pair, which covers both units, so a caller that gets 4 skips `next`.
 */
export function utf8Width(c: number, next: number): number {
  if (c < 0x80) return 1;
  if (c < 0x800) return 2;
  if (c >= 0xd800 && c <= 0xdbff) return (next & 0xfc00) === 0xdc00 ? 4 : 3;
  if (c >= 0xdc80 && c <= 0xdcff) return 1;
  return 3;
}

/** Number of UTF-8 bytes of `text.slice(from, to)` (a pair cut by `to` counts as a lone surrogate). */
export function utf8Length(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      n++;
      continue;
    }
    const w = utf8Width(c, i + 1 < to ? text.charCodeAt(i + 1) : 0);
    if (w === 4) i++;
    n += w;
  }
  return n;
}

/**
 * The UTF-16 index in `text` at which the 1-based byte column `column` of the line starting at `from` begins: the
 * first character that starts at or after that byte (the line's end, if the line is shorter). Stops at `to`.
 */
export function indexOfUtf8Column(text: string, column: number, from = 0, to = text.length): number {
  let bytes = 0;
  let i = from;
  while (i < to && bytes < column - 1) {
    const w = utf8Width(text.charCodeAt(i), i + 1 < to ? text.charCodeAt(i + 1) : 0);
    i += w === 4 ? 2 : 1;
    bytes += w;
  }
  return i;
}

/**
 * Encodes the character at `text[i]` (not ASCII) into `buf` at `len`, as utf8Width counts it, and returns the new
 * length: 4 bytes more for a surrogate pair, whose second unit the caller then skips. `buf` must have room for 4 bytes.
 */
export function encodeUtf8(buf: Uint8Array, len: number, text: string, i: number): number {
  let c = text.charCodeAt(i);
  if (c < 0x800) {
    buf[len++] = 0xc0 | (c >> 6);
    buf[len++] = 0x80 | (c & 0x3f);
    return len;
  }
  if (c >= 0xd800 && c <= 0xdfff) {
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
      const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      buf[len++] = 0xf0 | (cp >> 18);
      buf[len++] = 0x80 | ((cp >> 12) & 0x3f);
      buf[len++] = 0x80 | ((cp >> 6) & 0x3f);
      buf[len++] = 0x80 | (cp & 0x3f);
      return len;
    }
    if (c >= 0xdc80 && c <= 0xdcff) {
      buf[len++] = c & 0xff; // the undecodable byte it stands for
      return len;
    }
    c = 0xfffd;
  }
  buf[len++] = 0xe0 | (c >> 12);
  buf[len++] = 0x80 | ((c >> 6) & 0x3f);
  buf[len++] = 0x80 | (c & 0x3f);
  return len;
}
