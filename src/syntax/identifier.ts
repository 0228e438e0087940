import { inRanges, isLetterCodePoint } from "./scanner.ts";
import { DECIMAL_DIGIT } from "./unicode-tables.ts";

/** Whether `s` scans as exactly one identifier (not a keyword), as alloy's scanner.IsValidIdentifier decides. */
export function isValidIdentifier(s: string): boolean {
  if (s === "" || s === "true" || s === "false" || s === "null") return false;
  let first = true;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (isLetterCodePoint(cp)) {
      first = false;
      continue;
    }
    if (!first && ((cp >= 48 && cp <= 57) || inRanges(DECIMAL_DIGIT, cp))) continue;
    return false;
  }
  return true;
}
