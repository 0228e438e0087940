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
  let run: string[] = [];
  // Plain text up to an escaped piece (or the end) is trimmed as a whole: whitespace before escaped text is kept.
  const endRun = (beforeEscaped: boolean) => {
    let text = (run.length === 1 ? (run[0] as string) : run.join("")).replace(TRAILING, "");
    if (!beforeEscaped) text = text.replace(/[ \t]+$/, "");
    out.push(text);
    run = [];
  };
  for (const piece of pieces) {
    if (isEscaped(piece)) {
      endRun(true);
      out.push(piece.escaped);
    } else run.push(piece);
  }
  endRun(false);
  return out.join("");
}

const TRAILING = /[ \t]+(?=\n)/g;
