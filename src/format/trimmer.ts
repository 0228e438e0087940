import { isEscaped, type Piece } from "./pieces.ts";

/**
 * Removes trailing spaces and tabs from every line and turns form feeds into newlines, passing escaped text through
 * verbatim (alloy's printer trimmer). Vertical tabs outside escaped text count as tabs.
 */
export function trim(pieces: readonly Piece[]): string {
  const out: string[] = [];
  let space = "";
  for (const piece of pieces) {
    if (isEscaped(piece)) {
      // Escaped text starts a text run: pending whitespace is kept.
      out.push(space, piece.escaped);
      space = "";
      continue;
    }
    let textStart = -1;
    for (let i = 0; i < piece.length; i++) {
      const ch = piece.charCodeAt(i);
      const isSpace = ch === 32 || ch === 9 || ch === 11;
      const isNewline = ch === 10 || ch === 12;
      if (!isSpace && !isNewline) {
        if (textStart < 0) {
          out.push(space);
          space = "";
          textStart = i;
        }
        continue;
      }
      if (textStart >= 0) {
        out.push(piece.slice(textStart, i));
        textStart = -1;
      }
      if (isSpace) space += ch === 11 ? "\t" : piece[i];
      else {
        space = "";
        out.push("\n");
      }
    }
    if (textStart >= 0) out.push(piece.slice(textStart));
  }
  return out.join("");
}
