import type { IRecognitionException, IToken } from "chevrotain";
import type { Comment, CommentGroup, File, Node, Stmt } from "../ast/ast.ts";
import { children } from "../ast/walk.ts";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import { EOF } from "./chevrotain.ts";
import { RiverParser, tokenIndex, type ActionError } from "./parser.ts";
import { Scanner, type ScannedComment } from "./scanner.ts";

export interface ParseOptions {
  /** Name used in diagnostics (default `<stdin>`, as alloy fmt names standard input). */
  readonly filename?: string;
}

export interface ParseResult {
  /** The AST. When `diagnostics` holds errors it is a best-effort partial tree. */
  readonly file: File;
  readonly diagnostics: Diagnostic[];
  readonly source: SourceFile;
}

/**
 * Deepest nesting of brackets, braces and parentheses river parses. alloy (Go, growable stacks) has no limit, but a
 * JavaScript stack has one; beyond this depth river reports a diagnostic instead of overflowing. Real configurations
 * nest a handful of levels. (Measured on Node 20's default stack: objects nested in objects overflow the parser
 * above ~117 levels, arrays ~265, parentheses ~440, calls ~500, blocks ~780. A RangeError is still caught as a last
 * resort.)
 */
export const MAX_NESTING = 100;

/**
 * Deepest AST river accepts (a chain of 1,000 `+` or unary operators is that deep). Every later stage (printer,
 * checker, evaluator) may recurse over the tree; this bound keeps them all within the stack.
 */
export const MAX_AST_DEPTH = 1000;

/**
 * How many tokens a chunk of top-level statements holds at least (see ParseSession). Larger chunks mean fewer parser
 * runs, smaller ones that a chunk's tokens and AST die young, before a garbage collection moves them to the old
 * generation. Measured on the 4.8 MB benchmark file, formatting in-process: one statement per chunk 335 ms, 100
 * tokens 329 ms, 200 tokens 316 ms, 400 tokens 326 ms, 2,048 tokens slower than one statement.
 */
export const CHUNK_TOKENS = 200;

// Building a Chevrotain parser runs a grammar analysis; do it once, lazily, and reuse the instance.
let sharedParser: RiverParser | undefined;

function parser(): RiverParser {
  sharedParser ??= new RiverParser();
  return sharedParser;
}

interface PendingError {
  readonly order: number;
  /** 0: scanner, 1: alloy's direct diagnostics, 2: alloy's addErrorf errors (dropped when on the line of the previous one). */
  readonly rank: 0 | 1 | 2;
  readonly seq: number;
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

/** Parses River source into an AST, reporting every syntax error with alloy's message and position. */
export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const session = new ParseSession(text, options);
  const body: Stmt[] = [];
  for (let chunk = session.next(); chunk !== undefined; chunk = session.next()) {
    for (const stmt of chunk.statements) body.push(stmt);
  }
  const { diagnostics, comments } = session.finish();
  const file: File = { kind: "File", name: session.source.name, body, comments, start: 0, end: text.length };
  return { file, diagnostics, source: session.source };
}

/** Top-level statements parsed from one chunk of tokens, and the comment groups scanned with them. */
export interface ParsedChunk {
  readonly statements: Stmt[];
  readonly comments: CommentGroup[];
}

/**
 * Parses a text chunk by chunk (runs of whole top-level statements, see Scanner.nextChunk), so that only one chunk's
 * tokens are alive at a time and a caller can consume statements as they come (the formatter prints and drops them).
 * Diagnostics are merged in alloy's order at the end.
 */
export class ParseSession {
  readonly source: SourceFile;
  readonly #scanner: Scanner;
  readonly #pending: PendingError[] = [];
  readonly #comments: CommentGroup[] = [];
  #commentsSeen = 0;
  #scanErrorsSeen = 0;
  /** Sequence numbers: per chunk, parser errors are numbered after everything before them. */
  #seq = 0;
  #stopped = false;

  /** `chunkTokens`: see CHUNK_TOKENS (tests vary it: results must not depend on it). */
  constructor(text: string, options: ParseOptions = {}, chunkTokens = CHUNK_TOKENS) {
    this.source = new SourceFile(options.filename ?? "<stdin>", text);
    this.#scanner = new Scanner(text, MAX_NESTING, chunkTokens);
  }

  /** Whether any error has been found so far. */
  get hasErrors(): boolean {
    return this.#pending.length > 0 || this.#scanner.errors.length > 0;
  }

  /** Parses the next chunk, or returns undefined at the end. */
  next(): ParsedChunk | undefined {
    const tokens = this.#scanner.nextChunk();
    if (tokens === undefined) return undefined;
    const last = this.#scanner.finished;
    let statements: Stmt[] = [];
    const tooDeep = this.#scanner.tooDeep;
    if (tooDeep !== undefined && !this.#stopped) {
      // Nothing from here on is parsed; scanning goes on for the scanner's errors.
      this.#stopped = true;
      this.#pushTooDeep(tooDeep);
    }
    if (!this.#stopped && tokens.length > 0) statements = this.#parseChunk(tokens, last);
    return { statements, comments: this.#newComments() };
  }

  #parseChunk(tokens: IToken[], last: boolean): Stmt[] {
    const p = parser();
    const textLength = this.source.text.length;
    let statements: Stmt[] = [];
    try {
      p.start(tokens);
      statements = p.file();
      if (!last && (p.actionErrors.length > 0 || p.recognitionErrors.length > 0)) {
        // alloy's recovery can skip across what river treats as the next chunk: parse the rest of the text together
        // with this chunk, as alloy would (errors are rare; streaming matters for valid files). A statement nested
        // too deeply cannot be parsed: the rest stops before it (the scanner starts a chunk there).
        for (let more = this.#scanner.nextChunk(); more !== undefined; more = this.#scanner.nextChunk()) {
          if (this.#scanner.tooDeep !== undefined) break;
          for (const t of more) tokens.push(t);
        }
        const tooDeep = this.#scanner.tooDeep;
        last = tooDeep === undefined;
        p.start(tokens);
        statements = p.file();
        if (tooDeep !== undefined) {
          this.#stopped = true;
          this.#pushTooDeep(tooDeep);
        }
      }
    } catch (err) {
      // A safety net: the bracket limit should keep the parser within the stack.
      if (!(err instanceof RangeError)) throw err;
      sharedParser = undefined;
      this.#stopped = true;
      const first = tokens[0] as IToken;
      this.#push({ order: tokenIndex(first), rank: 1, start: first.startOffset, end: first.startOffset, message: "expression is nested too deeply for river to parse" });
      return [];
    }
    const base = this.#seq;
    for (const e of p.actionErrors) this.#pending.push(fromActionError(e, base + e.seq, textLength));
    for (const e of p.recognitionErrors) {
      // A chunk ends where the next one starts; an error "at EOF" of an inner chunk is an artefact of chunking.
      if (!last && e.token.tokenType === EOF) continue;
      this.#pending.push(fromRecognitionError(e, base + (p.errorSeq.get(e) ?? 0), textLength));
    }
    this.#seq = base + p.actionErrors.length + p.recognitionErrors.length + 1;
    // The shared parser would otherwise keep this chunk's tokens and tree (and through them the text) alive.
    p.start([]);
    const deep = findDeepNode(statements, tokens.length);
    if (deep !== undefined) {
      this.#push({
        order: tokenIndex(tokens[tokens.length - 1] as IToken),
        rank: 1,
        start: deep.start,
        end: deep.start,
        message: `expression is nested more than ${MAX_AST_DEPTH} levels deep; river cannot process it (split it up)`,
      });
    }
    return statements;
  }

  #pushTooDeep(tok: IToken): void {
    this.#push({
      order: tokenIndex(tok),
      rank: 1,
      start: tok.startOffset,
      end: tok.startOffset + 1,
      message: `nesting is deeper than ${MAX_NESTING} levels; river cannot parse this (flatten the expression)`,
    });
  }

  #push(e: Omit<PendingError, "seq">): void {
    this.#pending.push({ ...e, seq: this.#seq++ });
  }

  #newComments(): CommentGroup[] {
    const all = this.#scanner.comments;
    const groups = groupComments(all.slice(this.#commentsSeen), this.source);
    this.#commentsSeen = all.length;
    for (const g of groups) this.#comments.push(g);
    return groups;
  }

  /** Diagnostics in alloy's order (scanner errors included) and all comment groups. */
  finish(): { diagnostics: Diagnostic[]; comments: CommentGroup[] } {
    while (this.next() !== undefined) {
      /* parse what is left */
    }
    const pending = this.#pending;
    for (const e of this.#scanner.errors.slice(this.#scanErrorsSeen)) {
      pending.push({ order: e.tokenIndex, rank: 0, seq: 0, start: e.offset, end: e.offset, message: e.message });
    }
    this.#scanErrorsSeen = this.#scanner.errors.length;
    pending.sort((a, b) => a.order - b.order || a.rank - b.rank || a.seq - b.seq);
    const diagnostics: Diagnostic[] = [];
    let lastDroppableLine = -1;
    for (const e of pending) {
      const d = diagnosticAt(this.source, "error", "E_SYNTAX", e.message, e.start, e.end);
      if (e.rank === 2) {
        // alloy ignores a second parser error on the line of the previous one.
        if (d.line === lastDroppableLine) continue;
        lastDroppableLine = d.line;
      }
      diagnostics.push(d);
    }
    return { diagnostics, comments: this.#comments };
  }
}

function fromActionError(e: ActionError, seq: number, textLength: number): PendingError {
  const tokStart = Number.isNaN(e.token.startOffset) ? textLength : e.token.startOffset;
  const start = e.start ?? tokStart;
  return {
    order: e.order,
    rank: e.droppable ? 2 : 1,
    seq,
    start,
    end: e.end ?? start,
    message: e.message,
  };
}

function fromRecognitionError(e: IRecognitionException, seq: number, textLength: number): PendingError {
  // Chevrotain's EOF token has no offset: alloy reports the end of the input.
  const start = Number.isNaN(e.token.startOffset) ? textLength : e.token.startOffset;
  return { order: tokenIndex(e.token), rank: 2, seq, start, end: start, message: e.message };
}

/**
 * The first node deeper than MAX_AST_DEPTH, found without recursion. Only expressions can get that deep (blocks and
 * brackets are limited by MAX_NESTING), and only with more operator or postfix tokens than MAX_AST_DEPTH.
 */
function findDeepNode(body: readonly Stmt[], tokenCount: number): Node | undefined {
  if (tokenCount <= MAX_AST_DEPTH) return undefined;
  const nodes: Node[] = [...body];
  const depths: number[] = body.map(() => 1);
  while (nodes.length > 0) {
    const node = nodes.pop() as Node;
    const depth = depths.pop() as number;
    if (depth > MAX_AST_DEPTH) return node;
    switch (node.kind) {
      case "BlockStmt":
        for (const s of node.body) (nodes.push(s), depths.push(depth + 1));
        break;
      case "AttributeStmt":
        nodes.push(node.value);
        depths.push(depth + 1);
        break;
      case "LiteralExpr":
      case "IdentifierExpr":
        break;
      default:
        for (const child of children(node)) (nodes.push(child), depths.push(depth + 1));
    }
  }
  return undefined;
}

/**
 * Groups comments as alloy does: comments with no token between them, each starting at most one line after the
 * previous one ended, form one group.
 */
function groupComments(comments: readonly ScannedComment[], source: SourceFile): CommentGroup[] {
  const groups: CommentGroup[] = [];
  let current: Comment[] = [];
  let lastTokenIndex = -1;
  let endLine = -1;
  for (const c of comments) {
    const startLine = source.position(c.start).line;
    if (current.length > 0 && (c.tokenIndex !== lastTokenIndex || startLine > endLine + 1)) {
      groups.push(current);
      current = [];
    }
    current.push({ kind: "Comment", text: c.text, start: c.start, end: c.end });
    lastTokenIndex = c.tokenIndex;
    endLine = startLine + (c.text.startsWith("/*") ? countNewlines(c.text) : 0);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
}
