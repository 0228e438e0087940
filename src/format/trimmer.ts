import { isEscaped, type Piece } from "./pieces.ts";

/**
 * Removes trailing spaces and tabs from every line, passing escaped text (comments) through verbatim: alloy's printer
 * trimmer. Whitespace right before escaped text is not trailing and is kept; at the very end it is dropped.
 *
 * alloy's trimmer also turns form feeds into newlines and vertical tabs into tabs; in the tab writer's plain output
 * neither can occur (both are consumed as cell and line breaks), so only trailing whitespace needs handling here.
 */
export function trim(pieces: readonly Piece[]): string {
  const out: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] as Piece;
    if (isEscaped(piece)) {
      out.push(piece.escaped);
      continue;
    }
    let text = piece.replace(TRAILING, "");
    const next = pieces[i + 1];
    if (next === undefined || !isEscaped(next)) text = text.replace(/[ \t]+$/, "");
    out.push(text);
  }
  return out.join("");
}

const TRAILING = /[ \t]+(?=\n)/g;
