/**
 * Label-name rules of Prometheus' `model` package as relabelling applies them.
 */

/** UTF-8 validation scheme (Alloy's global default): any non-empty string that is valid UTF-8. */
export function isValidUtf8LabelName(name: string): boolean {
  return name.length > 0 && isWellFormedUtf16(name);
}

/** Legacy validation scheme: `^[a-zA-Z_][a-zA-Z0-9_]*$`. */
export function isValidLegacyLabelName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
    if (!letter && !(i > 0 && c >= 48 && c <= 57)) return false;
  }
  return true;
}

/**
 * Prometheus' `relabelTarget` regexp, `^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`, which a target label containing
 * `$` (and a labelmap replacement) must match under legacy names and in Alloy. Written as a scanner because the
 * regexp's nested repetition backtracks exponentially in JavaScript. The language it accepts: a sequence of word
 * characters (`[A-Za-z0-9_]`) and references (`$name` with `name` = `\w+`, or `${name}`), not starting with a digit
 * and not empty.
 */
export function isValidRelabelTargetTemplate(s: string): boolean {
  if (s.length === 0) return false;
  let i = 0;
  let first = true;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 36 /* $ */) {
      if (s.charCodeAt(i + 1) === 123 /* { */) {
        let j = i + 2;
        while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
        if (j === i + 2 || s.charCodeAt(j) !== 125 /* } */) return false;
        i = j + 1;
      } else {
        let j = i + 1;
        while (j < s.length && isWordChar(s.charCodeAt(j))) j++;
        if (j === i + 1) return false;
        i = j;
      }
    } else if (isWordChar(c)) {
      if (first && c >= 48 && c <= 57) return false;
      i++;
    } else {
      return false;
    }
    first = false;
  }
  return true;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** True when the string has no lone surrogate, i.e. it converts to valid UTF-8. */
export function isWellFormedUtf16(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return false;
    }
  }
  return true;
}

/** Orders strings by code point, which is the byte order of their UTF-8 encodings (Go's string order). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (U+D800–DFFF) stands for a code point above U+FFFF, so it sorts after every other BMP unit.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const HIGH_UNIT = /[\uD800-\uFFFF]/;

/**
 * Sorts `[name, value]` entries by name in code-point order, in place. JavaScript's native string order (UTF-16
 * units) agrees with code-point order unless a name holds a surrogate or a unit from U+E000 up, so the native
 * comparison is used when no name does.
 */
export function sortEntriesByName<T extends readonly [string, unknown]>(entries: T[]): T[] {
  if (entries.some((e) => HIGH_UNIT.test(e[0]))) return entries.sort((a, b) => compareCodePoints(a[0], b[0]));
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
