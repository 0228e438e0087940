/**
 * Go's `strings.ToLower` / `strings.ToUpper`: every rune is mapped on its own with Unicode's *simple* case mapping
 * (UnicodeData.txt), with Go 1.26's Unicode 15.0.0 tables.
 *
 * JavaScript's `toUpperCase`/`toLowerCase` use the *full* mapping (SpecialCasing.txt: `ß` → `SS`, `ﬁ` → `FI`, `İ` →
 * `i̇`), apply the context-sensitive final sigma (`ΣΑΣ` → `σας`), and follow a newer Unicode. We map one code point
 * at a time (which removes the context), keep the JS answer when it is a single code point (then it is the simple
 * mapping), and use the simple mapping for the few code points whose full mapping has several code points. Case
 * pairs added after Unicode 15.0 are left unmapped, as Go leaves them.
 */

/** Code points whose JS mapping is several code points: their Go (simple) upper-case mapping, when it is not itself. */
function simpleUpperOfSpecial(cp: number): number {
  // Greek with ypogegrammeni: the lower-case forms map to the title-case forms (U+1F80 → U+1F88, ...).
  if ((cp >= 0x1f80 && cp <= 0x1f87) || (cp >= 0x1f90 && cp <= 0x1f97) || (cp >= 0x1fa0 && cp <= 0x1fa7)) {
    return cp + 8;
  }
  if (cp === 0x1fb3) return 0x1fbc;
  if (cp === 0x1fc3) return 0x1fcc;
  if (cp === 0x1ff3) return 0x1ffc;
  return cp; // ß, ŉ, ǰ, ΐ, ΰ, և, ẖ…ẚ, ὐ…, the title-case forms, ﬀ…ﬗ: no simple upper-case mapping
}

/** Case pairs that Unicode added after 15.0.0 (so Go 1.26 does not map them), as inclusive ranges. */
const POST_15_CASE_RANGES: readonly (readonly [number, number])[] = [
  [0x019b, 0x019b],
  [0x0264, 0x0264],
  [0x1c89, 0x1c8a],
  [0xa7cb, 0xa7cf],
  [0xa7d2, 0xa7d5],
  [0xa7da, 0xa7dc],
  [0x10d50, 0x10d65],
  [0x10d70, 0x10d85],
  [0x16ea0, 0x16eb8],
  [0x16ebb, 0x16ed3],
];

function isPost15CasePair(cp: number): boolean {
  for (const [lo, hi] of POST_15_CASE_RANGES) if (cp >= lo && cp <= hi) return true;
  return false;
}

function mapRune(cp: number, upper: boolean): number {
  if (isPost15CasePair(cp)) return cp;
  const ch = String.fromCodePoint(cp);
  const mapped = upper ? ch.toUpperCase() : ch.toLowerCase();
  const first = mapped.codePointAt(0);
  if (first !== undefined && mapped.length === (first > 0xffff ? 2 : 1)) return first;
  // Several code points: the full mapping. Use the simple one.
  if (upper) return simpleUpperOfSpecial(cp);
  return cp === 0x0130 ? 0x69 : cp; // İ → i is the only multi-code-point lower-case mapping
}

function mapString(s: string, upper: boolean): string {
  // ASCII fast path, as in Go.
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return upper ? s.toUpperCase() : s.toLowerCase();
  let out = "";
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += s[i]; // a lone surrogate (not valid UTF-8) is kept as is
    } else {
      out += String.fromCodePoint(mapRune(cp, upper));
    }
    i += width;
  }
  return out;
}

/** Go's `strings.ToLower`. */
export function goToLower(s: string): string {
  return mapString(s, false);
}

/** Go's `strings.ToUpper`. */
export function goToUpper(s: string): string {
  return mapString(s, true);
}
