import { isEscaped, type Piece } from "./pieces.ts";

/**
 * Removes trailing spaces and tabs from every line and turns form feeds into newlines, passing escaped text through
 * verbatim (alloy's printer trimmer). Vertical tabs outside escaped text count as tabs. Whitespace right before escaped
 * text is kept (it is not trailing); at the very end it is dropped.
 */
export function trim(pieces: readonly Piece[]): string {
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    if (isEscaped(piece)) {
      out.push(piece.escaped);
      continue;
    }
    let text = piece.replace(/\v/g, "\t").replace(/[ \t]+(?=[\n\f])/g, "").replace(/\f/g, "\n");
    const next = pieces[i + 1];
    if (next === undefined || !isEscaped(next)) text = text.replace(/[ \t]+$/, "");
    out.push(text);
  }
  return out.join("");
}
