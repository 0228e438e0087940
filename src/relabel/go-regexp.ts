/**
 * Go `regexp` (RE2 syntax, leftmost-first matching) on top of the re2js engine.
 *
 * re2js is a faithful RE2 port, but it differs from Go 1.26's `regexp/syntax` in a few places that relabel rules can
 * hit. This module closes those gaps before handing the pattern to re2js:
 *
 * - duplicate capture-group names are accepted by Go (`(?P<x>a)|(?P<x>b)`); re2js rejects them. We rename the later
 *   occurrences to fresh names and keep Go's name table ourselves, so template expansion sees the original names.
 * - `\p{...}` names: Go ≥ 1.25 looks names up loosely (case-insensitive, ignoring `_`, `-` and spaces) and accepts
 *   the general-category aliases (`\p{Letter}`, `\p{lu}`, `\p{any}`, `\p{ASCII}`). re2js only knows exact names, and
 *   knows binary properties (`\p{Emoji}`, `\p{White_Space}`) that Go rejects. We resolve every name the way Go does
 *   and rewrite it to the exact table name, or report Go's error.
 *
 * Everything else (inline flags, `\z`, `\Q…\E`, POSIX classes, ASCII `\d\s\w\b`, octal escapes, repeat limits, the
 * rejection of backreferences and lookaround) re2js already does as Go does; the unit tests pin each of them.
 */
import { RE2JS } from "re2js";

/** A regular expression that failed to compile, with Go's message (`error parsing regexp: ...`). */
export class GoRegexpSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GoRegexpSyntaxError";
  }
}

/** One match: the start/end UTF-16 offsets of the whole match and of every group (-1 when a group did not take part). */
export interface GoMatch {
  /** `[start0, end0, start1, end1, ...]` as Go's `FindStringSubmatchIndex`, in UTF-16 offsets. */
  readonly indices: readonly number[];
}

export interface GoRegexp {
  /** The pattern as given (before our rewriting). */
  readonly source: string;
  /** Capture-group names by group index (index 0 and unnamed groups are ""), as Go's `SubexpNames()`. */
  readonly subexpNames: readonly string[];
  /** Go's `MatchString`: is there a match anywhere in `text`? */
  test(text: string): boolean;
  /** Go's `FindStringSubmatchIndex`: the leftmost-first match, or undefined. */
  find(text: string): GoMatch | undefined;
  /** Go's `FindAllStringSubmatchIndex(text, -1)`: successive non-overlapping matches. */
  findAll(text: string): GoMatch[];
  /** Go's `ReplaceAllString(text, template)`. */
  replaceAll(text: string, template: string): string;
  /** Go's `ExpandString(nil, template, text, match)`. */
  expand(template: string, text: string, match: GoMatch): string;
}

/** Compiles `pattern` with Go's syntax and semantics. Throws GoRegexpSyntaxError as Go's regexp.Compile would fail. */
export function compileGoRegexp(pattern: string): GoRegexp {
  const rewritten = rewriteForRe2js(pattern);
  let re: RE2JS;
  try {
    re = RE2JS.compile(rewritten.pattern);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new GoRegexpSyntaxError(restoreNames(message, rewritten.renamed));
  }
  const groupCount = re.groupCount();
  const names: string[] = new Array<string>(groupCount + 1).fill("");
  for (const [name, index] of Object.entries(re.namedGroups())) {
    names[index] = rewritten.renamed.get(name) ?? name;
  }
  return new CompiledGoRegexp(pattern, re, names);
}

/**
 * Relabel rules test the same strings over and over (every target has the same label names, and many share values),
 * so each compiled regexp remembers its recent `test` and `replaceAll` answers. The memo is private to the instance,
 * bounded, and cannot change an answer.
 */
const MEMO_LIMIT = 4096;

class CompiledGoRegexp implements GoRegexp {
  readonly source: string;
  readonly subexpNames: readonly string[];
  readonly #re: RE2JS;
  readonly #tests = new Map<string, boolean>();
  readonly #replacements = new Map<string, string>();

  constructor(source: string, re: RE2JS, names: readonly string[]) {
    this.source = source;
    this.#re = re;
    this.subexpNames = names;
  }

  test(text: string): boolean {
    const known = this.#tests.get(text);
    if (known !== undefined) return known;
    const result = this.#re.test(text);
    if (this.#tests.size >= MEMO_LIMIT) this.#tests.clear();
    this.#tests.set(text, result);
    return result;
  }

  find(text: string): GoMatch | undefined {
    // The test is an order of magnitude cheaper than a submatch search; many values do not match.
    if (!this.test(text)) return undefined;
    const m = this.#re.matcher(text);
    if (!m.find()) return undefined;
    return { indices: groupIndices(m, this.subexpNames.length) };
  }

  findAll(text: string): GoMatch[] {
    if (!this.test(text)) return [];
    const m = this.#re.matcher(text);
    const out: GoMatch[] = [];
    let prevEnd = -1;
    let searchPos = 0;
    // Go's allMatches: an empty match right after the previous match is skipped; the search always advances.
    while (searchPos <= text.length && m.find(searchPos)) {
      const start = m.start(0);
      const end = m.end(0);
      if (!(start === end && end === prevEnd)) out.push({ indices: groupIndices(m, this.subexpNames.length) });
      prevEnd = end;
      const width = charWidthAt(text, searchPos);
      if (searchPos + width > end) searchPos += width;
      else if (searchPos + 1 > end) searchPos++;
      else searchPos = end;
    }
    return out;
  }

  replaceAll(text: string, template: string): string {
    const key = `${template}\u0000${text}`;
    const known = this.#replacements.get(key);
    if (known !== undefined) return known;
    const result = this.#replaceAll(text, template);
    if (this.#replacements.size >= MEMO_LIMIT) this.#replacements.clear();
    this.#replacements.set(key, result);
    return result;
  }

  #replaceAll(text: string, template: string): string {
    const m = this.#re.matcher(text);
    let out = "";
    let lastMatchEnd = 0;
    let searchPos = 0;
    // Go's ReplaceAllString: non-overlapping matches; an empty match right after a previous match is not replaced;
    // the search always advances by at least one character.
    while (searchPos <= text.length) {
      if (!m.find(searchPos)) break;
      const start = m.start(0);
      const end = m.end(0);
      out += text.slice(lastMatchEnd, start);
      if (end > lastMatchEnd || start === 0) {
        out += this.expand(template, text, { indices: groupIndices(m, this.subexpNames.length) });
      }
      lastMatchEnd = end;
      const width = charWidthAt(text, searchPos);
      if (searchPos + width > end) searchPos += width;
      else if (searchPos + 1 > end) searchPos++;
      else searchPos = end;
    }
    return out + text.slice(lastMatchEnd);
  }

  expand(template: string, text: string, match: GoMatch): string {
    return expandGoTemplate(template, text, match.indices, this.subexpNames);
  }
}

interface Re2jsMatcher {
  start(group?: number): number;
  end(group?: number): number;
}

function groupIndices(m: Re2jsMatcher, groups: number): number[] {
  const out: number[] = new Array<number>(groups * 2);
  for (let g = 0; g < groups; g++) {
    out[2 * g] = m.start(g);
    out[2 * g + 1] = m.end(g);
  }
  return out;
}

function charWidthAt(text: string, pos: number): number {
  if (pos >= text.length) return 1;
  const c = text.charCodeAt(pos);
  if (c >= 0xd800 && c <= 0xdbff && pos + 1 < text.length) {
    const d = text.charCodeAt(pos + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------------------------------
// Template expansion: Go's Regexp.Expand.

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Go's `Regexp.Expand`: `$name` / `${name}` where a name is the longest run of Unicode letters, digits and `_`; an
 * all-digit name without a leading zero is a group number; `$$` is `$`; a `$` that does not start a valid reference is
 * copied literally. Unknown, out-of-range and non-participating groups expand to "". A name refers to the first group
 * of that name that took part in the match.
 */
export function expandGoTemplate(
  template: string,
  text: string,
  indices: readonly number[],
  subexpNames: readonly string[],
): string {
  let out = "";
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf("$", i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    i = dollar;
    if (template.charCodeAt(i + 1) === 36 /* $ */) {
      out += "$";
      i += 2;
      continue;
    }
    const ref = extractReference(template, i + 1);
    if (ref === undefined) {
      out += "$";
      i++;
      continue;
    }
    i = ref.next;
    out += groupText(ref.name, text, indices, subexpNames);
  }
  return out;
}

function extractReference(template: string, at: number): { name: string; next: number } | undefined {
  let i = at;
  const brace = template.charCodeAt(i) === 123; /* { */
  if (brace) i++;
  const nameStart = i;
  while (i < template.length) {
    const cp = template.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === nameStart) return undefined;
  const name = template.slice(nameStart, i);
  if (brace) {
    if (template.charCodeAt(i) !== 125 /* } */) return undefined;
    i++;
  }
  return { name, next: i };
}

function groupText(name: string, text: string, indices: readonly number[], subexpNames: readonly string[]): string {
  const num = groupNumber(name);
  if (num >= 0) {
    const start = indices[2 * num];
    const end = indices[2 * num + 1];
    if (start === undefined || end === undefined || start < 0) return "";
    return text.slice(start, end);
  }
  for (let g = 0; g < subexpNames.length; g++) {
    if (subexpNames[g] !== name) continue;
    const start = indices[2 * g];
    const end = indices[2 * g + 1];
    if (start !== undefined && end !== undefined && start >= 0) return text.slice(start, end);
  }
  return "";
}

/** Go: an ASCII-digit name is a number unless it has a leading zero (and stays below 1e8); otherwise -1. */
function groupNumber(name: string): number {
  if (name.length > 1 && name.charCodeAt(0) === 48) return -1;
  let num = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57 || num >= 1e8) return -1;
    num = num * 10 + (c - 48);
  }
  return num;
}

// ---------------------------------------------------------------------------------------------------------------------
// Pattern rewriting (see the module comment).

interface Rewritten {
  readonly pattern: string;
  /** fresh name -> the original (duplicate) name */
  readonly renamed: ReadonlyMap<string, string>;
}

/** Unicode general categories as Go's `unicode.Categories` keys (Go ≥ 1.25 adds Cn and LC). */
const GO_CATEGORIES: readonly string[] = [
  "C", "Cc", "Cf", "Cn", "Co", "Cs", "L", "LC", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn", "N", "Nd", "Nl",
  "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm", "So", "Z", "Zl", "Zp", "Zs",
];

/** Go's `unicode.CategoryAliases` (from Unicode's PropertyValueAliases, general category). */
const GO_CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  Cased_Letter: "LC", Close_Punctuation: "Pe", Combining_Mark: "M", Connector_Punctuation: "Pc", Control: "Cc",
  Currency_Symbol: "Sc", Dash_Punctuation: "Pd", Decimal_Number: "Nd", Enclosing_Mark: "Me", Final_Punctuation: "Pf",
  Format: "Cf", Initial_Punctuation: "Pi", Letter: "L", Letter_Number: "Nl", Line_Separator: "Zl",
  Lowercase_Letter: "Ll", Mark: "M", Math_Symbol: "Sm", Modifier_Letter: "Lm", Modifier_Symbol: "Sk",
  Nonspacing_Mark: "Mn", Number: "N", Open_Punctuation: "Ps", Other: "C", Other_Letter: "Lo", Other_Number: "No",
  Other_Punctuation: "Po", Other_Symbol: "So", Paragraph_Separator: "Zp", Private_Use: "Co", Punctuation: "P",
  Separator: "Z", Space_Separator: "Zs", Spacing_Mark: "Mc", Surrogate: "Cs", Symbol: "S", Titlecase_Letter: "Lt",
  Unassigned: "Cn", Uppercase_Letter: "Lu", cntrl: "Cc", digit: "Nd", punct: "P",
};

/** Go's `unicode.Scripts` keys (Unicode 15.0.0, the tables of Go 1.26). re2js also knows later scripts; Go does not. */
const GO_SCRIPTS: readonly string[] = [
  "Adlam", "Ahom", "Anatolian_Hieroglyphs", "Arabic", "Armenian", "Avestan", "Balinese", "Bamum", "Bassa_Vah",
  "Batak", "Bengali", "Bhaiksuki", "Bopomofo", "Brahmi", "Braille", "Buginese", "Buhid", "Canadian_Aboriginal",
  "Carian", "Caucasian_Albanian", "Chakma", "Cham", "Cherokee", "Chorasmian", "Common", "Coptic", "Cuneiform",
  "Cypriot", "Cypro_Minoan", "Cyrillic", "Deseret", "Devanagari", "Dives_Akuru", "Dogra", "Duployan",
  "Egyptian_Hieroglyphs", "Elbasan", "Elymaic", "Ethiopic", "Georgian", "Glagolitic", "Gothic", "Grantha", "Greek",
  "Gujarati", "Gunjala_Gondi", "Gurmukhi", "Han", "Hangul", "Hanifi_Rohingya", "Hanunoo", "Hatran", "Hebrew",
  "Hiragana", "Imperial_Aramaic", "Inherited", "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Javanese",
  "Kaithi", "Kannada", "Katakana", "Kawi", "Kayah_Li", "Kharoshthi", "Khitan_Small_Script", "Khmer", "Khojki",
  "Khudawadi", "Lao", "Latin", "Lepcha", "Limbu", "Linear_A", "Linear_B", "Lisu", "Lycian", "Lydian", "Mahajani",
  "Makasar", "Malayalam", "Mandaic", "Manichaean", "Marchen", "Masaram_Gondi", "Medefaidrin", "Meetei_Mayek",
  "Mende_Kikakui", "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Miao", "Modi", "Mongolian", "Mro", "Multani",
  "Myanmar", "Nabataean", "Nag_Mundari", "Nandinagari", "New_Tai_Lue", "Newa", "Nko", "Nushu",
  "Nyiakeng_Puachue_Hmong", "Ogham", "Ol_Chiki", "Old_Hungarian", "Old_Italic", "Old_North_Arabian", "Old_Permic",
  "Old_Persian", "Old_Sogdian", "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Oriya", "Osage", "Osmanya",
  "Pahawh_Hmong", "Palmyrene", "Pau_Cin_Hau", "Phags_Pa", "Phoenician", "Psalter_Pahlavi", "Rejang", "Runic",
  "Samaritan", "Saurashtra", "Sharada", "Shavian", "Siddham", "SignWriting", "Sinhala", "Sogdian", "Sora_Sompeng",
  "Soyombo", "Sundanese", "Syloti_Nagri", "Syriac", "Tagalog", "Tagbanwa", "Tai_Le", "Tai_Tham", "Tai_Viet", "Takri",
  "Tamil", "Tangsa", "Tangut", "Telugu", "Thaana", "Thai", "Tibetan", "Tifinagh", "Tirhuta", "Toto", "Ugaritic", "Vai",
  "Vithkuqi", "Wancho", "Warang_Citi", "Yezidi", "Yi", "Zanabazar_Square",
];

/**
 * Go's `canonicalName`: first letter upper-cased, the rest lower-cased (ASCII only), `_`, `-` and spaces removed.
 */
export function canonicalUnicodeName(name: string): string {
  let out = "";
  let first = true;
  for (const ch of name) {
    if (ch === "_" || ch === "-" || ch === " ") continue;
    const c = ch.charCodeAt(0);
    if (first) {
      out += c >= 97 && c <= 122 && ch.length === 1 ? String.fromCharCode(c - 32) : ch;
      first = false;
    } else {
      out += c >= 65 && c <= 90 && ch.length === 1 ? String.fromCharCode(c + 32) : ch;
    }
  }
  return out;
}

interface UnicodeNameTable {
  /** canonical name -> name re2js understands */
  readonly names: ReadonlyMap<string, string>;
}

function buildUnicodeNameTable(): UnicodeNameTable {
  const names = new Map<string, string>();
  // Go's special cases; re2js implements the same ones under these exact spellings.
  for (const special of ["Any", "Assigned", "Ascii", "Lc"]) names.set(special, special);
  for (const cat of GO_CATEGORIES) if (!names.has(canonicalUnicodeName(cat))) names.set(canonicalUnicodeName(cat), cat);
  for (const script of GO_SCRIPTS) {
    const canon = canonicalUnicodeName(script);
    if (!names.has(canon)) names.set(canon, script);
  }
  for (const [alias, cat] of Object.entries(GO_CATEGORY_ALIASES)) {
    const canon = canonicalUnicodeName(alias);
    if (!names.has(canon)) names.set(canon, cat);
  }
  return { names };
}

const UNICODE_NAMES: UnicodeNameTable = buildUnicodeNameTable();

function isValidCaptureName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

/**
 * Walks the pattern the way Go's parser tokenises it (escapes, `\Q…\E`, character classes with a leading `]` and
 * POSIX `[:name:]`, groups) and rewrites `\p` names and duplicate group names. Anything malformed is left as is for
 * re2js to reject with the same message as Go.
 */
function rewriteForRe2js(pattern: string): Rewritten {
  const seen = new Set<string>();
  const duplicates: { at: number; length: number; name: string }[] = [];
  const unicodeEdits: { at: number; length: number; text: string }[] = [];
  const allNames = new Set<string>();
  let i = 0;
  const n = pattern.length;

  const handleUnicodeClass = (at: number): number => {
    // pattern[at] === "\\", pattern[at+1] is p or P.
    const open = pattern[at + 2];
    if (open === undefined) return n; // re2js reports it
    let name: string;
    let end: number;
    if (open === "{") {
      const close = pattern.indexOf("}", at + 3);
      if (close < 0) return n;
      name = pattern.slice(at + 3, close);
      end = close + 1;
    } else {
      const cp = pattern.codePointAt(at + 2) as number;
      name = String.fromCodePoint(cp);
      end = at + 2 + name.length;
    }
    let negate = false;
    if (name.startsWith("^")) {
      negate = true;
      name = name.slice(1);
    }
    const resolved = UNICODE_NAMES.names.get(canonicalUnicodeName(name));
    if (resolved === undefined) {
      throw new GoRegexpSyntaxError(
        `error parsing regexp: invalid character class range: \`${pattern.slice(at, end)}\``,
      );
    }
    unicodeEdits.push({ at, length: end - at, text: `\\${pattern[at + 1]}{${negate ? "^" : ""}${resolved}}` });
    return end;
  };

  while (i < n) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === "Q") {
        const endQ = pattern.indexOf("\\E", i + 2);
        i = endQ < 0 ? n : endQ + 2;
        continue;
      }
      if (next === "p" || next === "P") {
        i = handleUnicodeClass(i);
        continue;
      }
      i += 1 + (next === undefined ? 0 : charWidthAt(pattern, i + 1));
      continue;
    }
    if (c === "[") {
      i = skipClass(pattern, i, handleUnicodeClass);
      continue;
    }
    if (c === "(" && pattern[i + 1] === "?") {
      let nameStart = -1;
      if (pattern.startsWith("(?P<", i)) nameStart = i + 4;
      else if (pattern.startsWith("(?<", i) && pattern[i + 3] !== "=" && pattern[i + 3] !== "!") nameStart = i + 3;
      if (nameStart >= 0) {
        const close = pattern.indexOf(">", nameStart);
        if (close >= 0) {
          const name = pattern.slice(nameStart, close);
          if (isValidCaptureName(name)) {
            allNames.add(name);
            if (seen.has(name)) duplicates.push({ at: nameStart, length: name.length, name });
            else seen.add(name);
          }
          i = close + 1;
          continue;
        }
      }
    }
    i += charWidthAt(pattern, i);
  }

  const renamed = new Map<string, string>();
  const edits: { at: number; length: number; text: string }[] = [...unicodeEdits];
  let counter = 0;
  for (const dup of duplicates) {
    let fresh: string;
    do fresh = `${dup.name}_river_dup${++counter}`;
    while (allNames.has(fresh));
    allNames.add(fresh);
    renamed.set(fresh, dup.name);
    edits.push({ at: dup.at, length: dup.length, text: fresh });
  }
  if (edits.length === 0) return { pattern, renamed };
  edits.sort((a, b) => a.at - b.at);
  let out = "";
  let pos = 0;
  for (const e of edits) {
    out += pattern.slice(pos, e.at) + e.text;
    pos = e.at + e.length;
  }
  return { pattern: out + pattern.slice(pos), renamed };
}

/** Skips a character class starting at `start` (`[`); returns the index after its closing `]` (or the end). */
function skipClass(pattern: string, start: number, onUnicodeClass: (at: number) => number): number {
  let i = start + 1;
  const n = pattern.length;
  if (pattern[i] === "^") i++;
  let first = true;
  while (i < n) {
    const c = pattern[i];
    if (c === "]" && !first) return i + 1;
    first = false;
    if (c === "[" && pattern[i + 1] === ":") {
      const close = pattern.indexOf(":]", i + 2);
      if (close >= 0) {
        i = close + 2;
        continue;
      }
    }
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === "p" || next === "P") {
        i = onUnicodeClass(i);
        continue;
      }
      i += 1 + (next === undefined ? 0 : charWidthAt(pattern, i + 1));
      continue;
    }
    i += charWidthAt(pattern, i);
  }
  return n;
}

function restoreNames(message: string, renamed: ReadonlyMap<string, string>): string {
  let out = message;
  for (const [fresh, original] of renamed) out = out.split(fresh).join(original);
  return out;
}
