import { isLetterCodePoint } from "./scanner.ts";

const DIGIT = /\p{Nd}/u;

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
    if (!first && DIGIT.test(ch)) continue;
    return false;
  }
  return true;
}
