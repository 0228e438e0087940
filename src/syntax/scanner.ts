import type { IToken, TokenType } from "chevrotain";
import * as T from "./tokens.ts";
import { DECIMAL_DIGIT, GRAPHIC, LETTER } from "./unicode-tables.ts";

/** A lexical error, reported at a UTF-16 offset. */
export interface ScanError {
  readonly offset: number;
  readonly message: string;
  /** Index (into `tokens`) of the token being scanned when the error was found: orders errors like alloy does. */
  readonly tokenIndex: number;
}

export interface ScannedComment {
  readonly start: number;
  readonly end: number;
  /** Comment text with `\r` removed as alloy removes it. */
  readonly text: string;
  /** Index (into `tokens`) of the first token after the comment. */
  readonly tokenIndex: number;
}

export interface ScanResult {
  /** Significant tokens (no comments), TERMINATORs included; ends without an EOF token. */
  readonly tokens: IToken[];
  readonly comments: ScannedComment[];
  readonly errors: ScanError[];
}

const enum Ch {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Bang = 33,
  Quote = 34,
  Percent = 37,
  Amp = 38,
  Apos = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Seven = 55,
  Nine = 57,
  Lt = 60,
  Eq = 61,
  Gt = 62,
  LBrack = 91,
  Backslash = 92,
  RBrack = 93,
  Caret = 94,
  Underscore = 95,
  Backtick = 96,
  LCurly = 123,
  Pipe = 124,
  RCurly = 125,
  BOM = 0xfeff,
}


function isAsciiLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === Ch.Underscore;
}

function isDecimal(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

/**
 * Whether `cp` is in a table of sorted [first, last] pairs (src/syntax/unicode-tables.ts: Unicode 15.0, as in the
 * Go release alloy is built with, independent of Node's ICU version).
 */
export function inRanges(table: readonly number[], cp: number): boolean {
  let lo = 0;
  let hi = (table.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < (table[2 * mid] as number)) hi = mid - 1;
    else if (cp > (table[2 * mid + 1] as number)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** alloy's `isLetter`: ASCII letters, `_`, or any Unicode letter. */
export function isLetterCodePoint(cp: number): boolean {
  return isAsciiLetter(cp) || (cp >= 0x80 && inRanges(LETTER, cp));
}

/** alloy's `isDigit`: ASCII digits or any Unicode decimal digit. */
function isDigitCodePoint(cp: number): boolean {
  return isDecimal(cp) || (cp >= 0x80 && inRanges(DECIMAL_DIGIT, cp));
}

/** Go's `%#U` rendering of a code point: `U+0023 '#'`. */
export function formatCodePoint(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, "0");
  return isPrintable(cp) ? `U+${hex} '${String.fromCodePoint(cp)}'` : `U+${hex}`;
}


/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrintable(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  return inRanges(GRAPHIC, cp);
}

/**
 * Scans River source into tokens, with alloy's rules: a TERMINATOR is inserted at a newline (or at the end of input)
 * after an identifier, a literal, `)`, `]` or `}`; a comment that runs to the end of such a line gets the TERMINATOR
 * before it. Lexical errors are collected and scanning goes on, as alloy's scanner does.
 */
export function scan(text: string): ScanResult {
  const scanner = new Scanner(text);
  const tokens: IToken[] = [];
  for (let chunk = scanner.nextChunk(); chunk !== undefined; chunk = scanner.nextChunk()) {
    for (const t of chunk) tokens.push(t);
  }
  return { tokens, comments: scanner.comments, errors: scanner.errors };
}

/**
 * An incremental scanner. `nextChunk()` returns the tokens up to and including a TERMINATOR outside all brackets: a
 * run of whole top-level statements in valid input. Parsing chunk by chunk keeps only one chunk's tokens
 * alive at a time. Token indices, comments and errors are numbered across the whole text.
 */
export class Scanner {
  readonly #text: string;
  #tokens: IToken[] = [];
  /** Tokens scanned so far, in all chunks. */
  #count = 0;
  readonly #comments: ScannedComment[] = [];
  readonly #errors: ScanError[] = [];
  /** Offset of the current character. */
  #pos = 0;
  /** Whether a newline here must become a TERMINATOR. */
  #insertTerm = false;
  /** Brackets, braces and parentheses open at this point. */
  readonly #open: TokenType[] = [];
  readonly #maxNesting: number;
  #tooDeep: IToken | undefined;
  #chunkEnded = false;
  #finished = false;

  readonly #chunkTokens: number;

  /**
   * `maxNesting`: depth of brackets beyond which `tooDeep` records the offending token. `chunkTokens`: a chunk ends at
   * the first TERMINATOR outside all brackets once it holds at least this many tokens (1: every top-level statement).
   */
  constructor(text: string, maxNesting = Number.MAX_SAFE_INTEGER, chunkTokens = 1) {
    this.#text = text;
    this.#maxNesting = maxNesting;
    this.#chunkTokens = chunkTokens;
    // Every character is checked once for NUL, bad encoding and stray BOMs, as alloy's next() does.
    this.#checkCharacters();
    if (text.charCodeAt(0) === Ch.BOM) this.#pos = 1;
  }

  /** Comments scanned so far, in source order. */
  get comments(): ScannedComment[] {
    return this.#comments;
  }

  /** Lexical errors found so far. */
  get errors(): ScanError[] {
    return this.#errors;
  }

  /** The first token that opened a bracket deeper than `maxNesting`, if any so far. */
  get tooDeep(): IToken | undefined {
    return this.#tooDeep;
  }

  /** Whether the last chunk has been returned. */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * The next chunk of tokens, or undefined after the last one. A statement that nests too deeply starts a chunk of
   * its own, so that the whole statements before it are parsed whatever the chunk size.
   */
  nextChunk(): IToken[] | undefined {
    if (this.#finished) return undefined;
    this.#tokens = this.#heldBack ?? [];
    this.#lastStatementEnd = 0;
    if (this.#heldBack !== undefined) {
      this.#heldBack = undefined;
      this.#tooDeep = this.#pendingTooDeep;
    }
    this.#chunkEnded = false;
    while (!this.#chunkEnded) {
      if (!this.#scanToken()) {
        this.#finished = true;
        break;
      }
    }
    if (this.#pendingTooDeep !== undefined && this.#tooDeep === undefined) {
      // The too-deep statement and what follows it go to the next chunk.
      this.#heldBack = this.#tokens.slice(this.#lastStatementEnd);
      this.#tokens.length = this.#lastStatementEnd;
    }
    return this.#tokens;
  }

  /** Tokens in this chunk up to the end of its last complete top-level statement. */
  #lastStatementEnd = 0;
  /** The start of a too-deep statement and what followed it in its chunk, returned as the next chunk. */
  #heldBack: IToken[] | undefined;
  /** The too-deep token, until the chunk holding it is returned. */
  #pendingTooDeep: IToken | undefined;

  #error(offset: number, message: string): void {
    this.#errors.push({ offset, message, tokenIndex: this.#count });
  }

  #checkCharacters(): void {
    const t = this.#text;
    // Fast path: nothing to report in the vast majority of files.
    if (!/[\0\ud800-\udfff\ufeff]/.test(t)) return;
    // Errors found here are attributed to the token being scanned at that point; they are merged in order later.
    this.#pendingCharErrors = [];
    for (let i = 0; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 0) this.#pendingCharErrors.push({ offset: i, message: "illegal character NUL" });
      else if (c >= 0xd800 && c <= 0xdbff) {
        const d = t.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
        else this.#pendingCharErrors.push({ offset: i, message: "illegal UTF-8 encoding" });
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        this.#pendingCharErrors.push({ offset: i, message: "illegal UTF-8 encoding" });
      } else if (c === Ch.BOM && i > 0) {
        this.#pendingCharErrors.push({ offset: i, message: "illegal byte order mark" });
      }
    }
  }

  #pendingCharErrors: { offset: number; message: string }[] = [];
  #pendingIndex = 0;

  /**
   * Reports character-level errors for every character before `upTo`. alloy's scanner reports such an error when it
   * reads the character, which is one ahead of the position it is looking at: callers pass the offset just past the
   * last character alloy has read at that point.
   */
  #flushCharErrors(upTo: number): void {
    const pending = this.#pendingCharErrors;
    while (this.#pendingIndex < pending.length && (pending[this.#pendingIndex] as { offset: number }).offset < upTo) {
      const e = pending[this.#pendingIndex++] as { offset: number; message: string };
      this.#errors.push({ offset: e.offset, message: e.message, tokenIndex: this.#count });
    }
  }

  #push(type: TokenType, start: number, end: number, image?: string): void {
    // alloy's scanner reads one character past a token before returning it; errors for that character belong here.
    if (this.#pendingIndex < this.#pendingCharErrors.length) this.#flushCharErrors(Math.min(end + 1, this.#text.length));
    const token = newToken(type, image ?? this.#text.slice(start, end), start, end, this.#count++);
    this.#tokens.push(token);
    if (type === LCURLY || type === LBRACK || type === LPAREN) {
      this.#open.push(type);
      if (this.#open.length > this.#maxNesting && this.#tooDeep === undefined && this.#pendingTooDeep === undefined) {
        if (this.#lastStatementEnd > 0) {
          // Whole statements precede it in this chunk: end the chunk after them (see nextChunk).
          this.#pendingTooDeep = token;
          this.#chunkEnded = true;
        } else this.#tooDeep = token;
      }
    } else if (type === RCURLY || type === RBRACK || type === RPAREN) {
      // Only a matching closer closes (a stray one is an error the parser reports).
      const top = this.#open[this.#open.length - 1];
      if ((type === RCURLY && top === LCURLY) || (type === RBRACK && top === LBRACK) || (type === RPAREN && top === LPAREN)) {
        this.#open.pop();
      }
    } else if (type === TERMINATOR && this.#open.length === 0) {
      this.#lastStatementEnd = this.#tokens.length;
      if (this.#tokens.length >= this.#chunkTokens) this.#chunkEnded = true;
    }
  }

  /** Scans one token (or comment). Returns false at the end of input. */
  #scanToken(): boolean {
    const t = this.#text;
    const n = t.length;
    // skip whitespace
    let p = this.#pos;
    for (;;) {
      const c = t.charCodeAt(p);
      if (c === Ch.Space || c === Ch.Tab || c === Ch.CR || (c === Ch.LF && !this.#insertTerm)) p++;
      else break;
    }
    this.#pos = p;
    if (p >= n) {
      this.#flushCharErrors(n);
      if (this.#insertTerm) {
        this.#insertTerm = false;
        this.#push(T.Terminator, p, p, "\n");
        return true;
      }
      return false;
    }
    const c = t.charCodeAt(p);
    // Code points are only needed beyond ASCII.
    const cp = c < 0x80 ? c : (t.codePointAt(p) as number);
    if (isAsciiLetter(c) || (c >= 0x80 && isLetterCodePoint(cp))) {
      let q = p + (cp > 0xffff ? 2 : 1);
      for (;;) {
        const d = t.charCodeAt(q);
        if (isAsciiLetter(d) || isDecimal(d)) {
          q++;
          continue;
        }
        if (d >= 0x80 && q < n) {
          const dcp = t.codePointAt(q) as number;
          if (isLetterCodePoint(dcp) || isDigitCodePoint(dcp)) {
            q += dcp > 0xffff ? 2 : 1;
            continue;
          }
        }
        break;
      }
      const word = t.slice(p, q);
      const len = q - p;
      const type = len === 4 && (word === "true" || word === "null") ? (word === "null" ? NULL : BOOL) : len === 5 && word === "false" ? BOOL : IDENT;
      this.#push(type, p, q, word);
      this.#pos = q;
      this.#insertTerm = true;
      return true;
    }
    const single = c < 128 ? SINGLE[c] : undefined;
    if (single !== undefined && !(c === Ch.Dot && isDecimal(t.charCodeAt(p + 1)))) {
      // Punctuation's image is its (interned) name; only literals and identifiers slice the source.
      this.#push(single, p, p + 1, single.name);
      this.#pos = p + 1;
      this.#insertTerm = SINGLE_TERMINATES[c] === 1;
      return true;
    }
    if (isDecimal(c) || (c === Ch.Dot && isDecimal(t.charCodeAt(p + 1)))) {
      this.#scanNumber(p);
      this.#insertTerm = true;
      return true;
    }
    let q = p + 1;
    const next = t.charCodeAt(q);
    let type: TokenType;
    switch (c) {
      case Ch.LF:
        // Only reachable when a terminator is due.
        this.#insertTerm = false;
        this.#push(T.Terminator, p, p + 1, "\n");
        this.#pos = p + 1;
        return true;
      case Ch.Apos:
        // alloy has already read the next character (and reported it if it is NUL or bad UTF-8).
        this.#flushCharErrors(p + 2);
        this.#error(p, "illegal single-quoted string; use double quotes");
        q = this.#scanString(p, Ch.Apos, true, false);
        this.#push(T.Illegal, p, q);
        this.#pos = q;
        this.#insertTerm = true;
        return true;
      case Ch.Quote:
        q = this.#scanString(p, Ch.Quote, true, false);
        this.#push(T.StringLit, p, q);
        this.#pos = q;
        this.#insertTerm = true;
        return true;
      case Ch.Backtick:
        q = this.#scanString(p, Ch.Backtick, false, true);
        this.#push(T.StringLit, p, q);
        this.#pos = q;
        this.#insertTerm = true;
        return true;
      case Ch.Pipe:
        if (next !== Ch.Pipe) {
          this.#flushCharErrors(q + 1);
          this.#error(q, "missing second | in ||");
        } else q++;
        type = T.Or;
        break;
      case Ch.Amp:
        if (next !== Ch.Amp) {
          this.#flushCharErrors(q + 1);
          this.#error(q, "missing second & in &&");
        } else q++;
        type = T.And;
        break;
      case Ch.Bang:
        type = next === Ch.Eq ? (q++, T.Neq) : T.Not;
        break;
      case Ch.Eq:
        type = next === Ch.Eq ? (q++, T.Eq) : T.Assign;
        break;
      case Ch.Lt:
        type = next === Ch.Eq ? (q++, T.Lte) : T.Lt;
        break;
      case Ch.Gt:
        type = next === Ch.Eq ? (q++, T.Gte) : T.Gt;
        break;
      case Ch.Slash:
        if (next === Ch.Slash || next === Ch.Star) {
          const lookahead = this.#insertTerm ? this.#commentRunsToLineEnd(p) : undefined;
          if (lookahead !== undefined) {
            // alloy reports bad characters as its look-ahead reads them, then again when it scans the comment.
            const rescan = this.#pendingIndex;
            this.#flushCharErrors(lookahead.read);
            this.#pendingIndex = rescan;
          }
          if (lookahead?.ends === true) {
            // The terminator comes before the comment; the comment is scanned on the next call.
            this.#insertTerm = false;
            this.#push(T.Terminator, p, p, "\n");
            this.#pos = p;
            return true;
          }
          this.#scanComment(p);
          this.#insertTerm = false;
          return true;
        }
        type = T.Div;
        break;
      default: {
        const width = cp > 0xffff ? 2 : 1;
        q = p + width;
        // NUL and bad encoding were reported once already by the character check; like alloy, the character is
        // then also reported as illegal. A stray BOM is reported only once.
        // A lone surrogate is what a JavaScript string holds where Go would have decoded U+FFFD from bad UTF-8.
        if (cp !== Ch.BOM) {
          this.#flushCharErrors(q + 1);
          const shown = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
          this.#error(p, `illegal character ${formatCodePoint(shown)}`);
        }
        this.#push(T.Illegal, p, q);
        this.#pos = q;
        // An illegal character keeps the terminator state as it was.
        return true;
      }
    }
    // Punctuation's image is its (interned) name; only literals and identifiers slice the source.
    this.#push(type, p, q, q - p === (type.name as string).length ? type.name : undefined);
    this.#pos = q;
    this.#insertTerm = false; // no operator ends a statement
    return true;
  }

  #scanNumber(start: number): void {
    const t = this.#text;
    let q = start;
    let type: TokenType = T.NumberLit;
    if (t.charCodeAt(q) !== Ch.Dot) while (isDecimal(t.charCodeAt(q))) q++;
    if (t.charCodeAt(q) === Ch.Dot) {
      type = T.FloatLit;
      q++;
      while (isDecimal(t.charCodeAt(q))) q++;
    }
    if ((t.charCodeAt(q) | 0x20) === 101 /* e */) {
      type = T.FloatLit;
      q++;
      const s = t.charCodeAt(q);
      if (s === Ch.Plus || s === Ch.Minus) q++;
      const digitsStart = q;
      while (isDecimal(t.charCodeAt(q))) q++;
      if (q === digitsStart) {
        this.#flushCharErrors(q + 1);
        this.#error(start, "exponent has no digits");
      }
    }
    this.#push(type, start, q);
    this.#pos = q;
  }

  /** Scans a string starting at its opening quote; returns the offset after it. */
  #scanString(start: number, until: number, escape: boolean, multiline: boolean): number {
    const t = this.#text;
    const n = t.length;
    let q = start + 1;
    for (;;) {
      if (q >= n || (!multiline && t.charCodeAt(q) === Ch.LF)) {
        this.#flushCharErrors(q + 1);
        this.#error(start, "string literal not terminated");
        return q;
      }
      const c = t.charCodeAt(q);
      q++;
      if (c === until) return q;
      if (escape && c === Ch.Backslash) q = this.#scanEscape(q);
    }
  }

  /** Scans an escape sequence after a backslash; on error stops at the offending character. */
  #scanEscape(at: number): number {
    const t = this.#text;
    const c = t.charCodeAt(at);
    let digits: number;
    let base: number;
    let max: number;
    let q = at;
    switch (c) {
      case 97: // a
      case 98: // b
      case 102: // f
      case 110: // n
      case 114: // r
      case 116: // t
      case 118: // v
      case Ch.Backslash:
      case Ch.Quote:
        return at + 1;
      case 120: // x
        q++;
        [digits, base, max] = [2, 16, 255];
        break;
      case 117: // u
        q++;
        [digits, base, max] = [4, 16, 0x10ffff];
        break;
      case 85: // U
        q++;
        [digits, base, max] = [8, 16, 0x10ffff];
        break;
      default:
        if (c >= Ch.Zero && c <= Ch.Seven) {
          [digits, base, max] = [3, 8, 255];
          break;
        }
        this.#flushCharErrors(at + 1);
        this.#error(at, at >= t.length ? "escape sequence not terminated" : "unknown escape sequence");
        return at;
    }
    let x = 0;
    for (; digits > 0; digits--) {
      const d = hexValue(t.charCodeAt(q));
      if (d >= base) {
        this.#flushCharErrors(q + 1);
        if (q >= t.length) this.#error(at, "escape sequence not terminated");
        else this.#error(at, `illegal character ${formatCodePoint(t.codePointAt(q) as number)} in escape sequence`);
        return q;
      }
      x = x * base + d;
      q++;
    }
    if (x > max || (x >= 0xd800 && x < 0xe000)) {
      this.#flushCharErrors(q + 1);
      this.#error(at, "escape sequence is invalid Unicode code point");
    }
    return q;
  }

  /**
   * Whether the comment(s) starting at `start` run to the end of the line (alloy's findLineEnd), and the offset just
   * past the last character this look-ahead read (alloy reports bad characters as it reads them, even here).
   */
  #commentRunsToLineEnd(start: number): { ends: boolean; read: number } {
    const t = this.#text;
    const n = t.length;
    let q = start + 1; // the character alloy is looking at
    while (t.charCodeAt(q) === Ch.Slash || t.charCodeAt(q) === Ch.Star) {
      if (t.charCodeAt(q) === Ch.Slash) return { ends: true, read: q + 1 };
      q++;
      while (q < n) {
        const c = t.charCodeAt(q);
        if (c === Ch.LF) return { ends: true, read: q + 1 };
        q++;
        if (c === Ch.Star && t.charCodeAt(q) === Ch.Slash) {
          q++;
          break;
        }
      }
      // An unterminated comment runs to the end of the input, which ends the line.
      while (t.charCodeAt(q) === Ch.Space || t.charCodeAt(q) === Ch.Tab || t.charCodeAt(q) === Ch.CR) q++;
      if (q >= n || t.charCodeAt(q) === Ch.LF) return { ends: true, read: Math.min(q + 1, n) };
      if (t.charCodeAt(q) !== Ch.Slash) return { ends: false, read: q + 1 };
      q++;
    }
    return { ends: false, read: Math.min(q + 1, n) };
  }

  #scanComment(start: number): void {
    const t = this.#text;
    const n = t.length;
    let q = start + 2;
    let block = false;
    if (t.charCodeAt(start + 1) === Ch.Slash) {
      while (q < n && t.charCodeAt(q) !== Ch.LF) q++;
    } else {
      block = true;
      let closed = false;
      while (q < n) {
        const c = t.charCodeAt(q);
        q++;
        if (c === Ch.Star && t.charCodeAt(q) === Ch.Slash) {
          q++;
          closed = true;
          break;
        }
      }
      if (!closed) {
        this.#flushCharErrors(n);
        this.#error(start, "block comment not terminated");
      }
    }
    let raw = t.slice(start, q);
    if (raw.includes("\r")) raw = stripCR(raw, block);
    this.#flushCharErrors(Math.min(q + 1, n));
    this.#comments.push({ start, end: q, text: raw, tokenIndex: this.#count });
    this.#pos = q;
  }
}

// Token types the hot paths compare against, as module constants (reading them needs no property look-up).
const LCURLY = T.LCurly;
const RCURLY = T.RCurly;
const LBRACK = T.LBrack;
const RBRACK = T.RBrack;
const LPAREN = T.LParen;
const RPAREN = T.RParen;
const TERMINATOR = T.Terminator;
const IDENT = T.Ident;
const BOOL = T.BoolLit;
const NULL = T.NullLit;

/**
 * Punctuation that is one character whatever follows it, by character code: its token type, and whether a newline
 * after it becomes a TERMINATOR. (Characters with a longer form, such as `=` and `==`, are scanned case by case.)
 */
const SINGLE: (TokenType | undefined)[] = new Array<TokenType | undefined>(128).fill(undefined);
const SINGLE_TERMINATES = new Uint8Array(128);
for (const [ch, type, terminates] of [
  ["{", T.LCurly, false],
  ["}", T.RCurly, true],
  ["(", T.LParen, false],
  [")", T.RParen, true],
  ["[", T.LBrack, false],
  ["]", T.RBrack, true],
  [",", T.Comma, false],
  [".", T.Dot, false],
  ["+", T.Add, false],
  ["-", T.Sub, false],
  ["*", T.Mul, false],
  ["%", T.Mod, false],
  ["^", T.Pow, false],
] as const) {
  SINGLE[ch.charCodeAt(0)] = type;
  SINGLE_TERMINATES[ch.charCodeAt(0)] = terminates ? 1 : 0;
}

/** A river token: what Chevrotain needs (type, image, offsets) plus its index. Lines and columns are computed lazily. */
export interface RiverToken extends IToken {
  readonly idx: number;
}


function newToken(type: TokenType, image: string, start: number, end: number, idx: number): RiverToken {
  // One object shape for every token (V8 keeps them compact); Chevrotain's endOffset is inclusive.
  // No line/column fields: river computes positions from offsets when it needs them.
  return { image, startOffset: start, endOffset: end - 1, tokenTypeIdx: type.tokenTypeIdx as number, tokenType: type, idx };
}

/** Removes `\r` from a comment as alloy does (a trailing one always; in block comments, not the one before the closing star-slash). */
function stripCR(raw: string, block: boolean): string {
  let s = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (!s.includes("\r")) return s;
  let out = "";
  for (let j = 0; j < s.length; j++) {
    const ch = s[j];
    if (ch !== "\r" || (block && out.length > 2 && out.endsWith("*") && s[j + 1] === "/")) out += ch;
  }
  s = out;
  return s;
}

function hexValue(c: number): number {
  if (c >= Ch.Zero && c <= Ch.Nine) return c - Ch.Zero;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 97 + 10;
  return 16;
}
