/**
 * Printer output travels through the tab writer and the trimmer as a list of pieces: plain text, which they interpret
 * (tabs, vertical tabs, newlines and form feeds are layout instructions), and escaped text (comments), which they pass
 * through untouched and measure as a single cell fragment. This models Go's tabwriter.Escape brackets without an
 * in-band sentinel character.
 */
export type Piece = string | Escaped;

export interface Escaped {
  readonly escaped: string;
}

export function isEscaped(p: Piece): p is Escaped {
  return typeof p !== "string";
}

/** Number of Unicode code points in `s` (Go's utf8.RuneCountInString for valid UTF-8). */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
