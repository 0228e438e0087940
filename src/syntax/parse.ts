import type { IRecognitionException, IToken } from "chevrotain";
import type { Comment, CommentGroup, File, Node, Stmt } from "../ast/ast.ts";
import { children } from "../ast/walk.ts";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import { RiverParser, tokenIndex, type ActionError } from "./parser.ts";
import { scan, type ScannedComment } from "./scanner.ts";
import * as T from "./tokens.ts";

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
 * somewhere above 100 levels, blocks above 800; bench/README.md has the figures.)
 */
export const MAX_NESTING = 100;

/**
 * Deepest AST river accepts (a chain of 1,000 `+` or unary operators is that deep). Every later stage (printer,
 * checker, evaluator) may recurse over the tree; this bound keeps them all within the stack.
 */
export const MAX_AST_DEPTH = 1000;

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
  const source = new SourceFile(options.filename ?? "<stdin>", text);
  const scanned = scan(text);
  const tokens = scanned.tokens;

  const pending: PendingError[] = [];
  let seq = 0;
  for (const e of scanned.errors) {
    pending.push({ order: e.tokenIndex, rank: 0, seq: seq++, start: e.offset, end: e.offset, message: e.message });
  }

  let body: File["body"] = [];
  const tooDeep = findTooDeep(tokens);
  if (tooDeep !== undefined) {
    pending.push({
      order: tokenIndex(tooDeep),
      rank: 1,
      seq: seq++,
      start: tooDeep.startOffset,
      end: tooDeep.startOffset + 1,
      message: `nesting is deeper than ${MAX_NESTING} levels; river cannot parse this (flatten the expression)`,
    });
  } else {
    const p = parser();
    p.start(tokens);
    try {
      body = p.file();
    } catch (err) {
      // A safety net: the bracket limit above should keep the parser within the stack.
      if (!(err instanceof RangeError)) throw err;
      sharedParser = undefined;
      pending.push({
        order: 0,
        rank: 1,
        seq: seq++,
        start: 0,
        end: 0,
        message: "expression is nested too deeply for river to parse",
      });
    }
    // Parser errors are numbered after the scanner's, keeping the order the parser found them in.
    const deep = findDeepNode(body, tokens.length);
    if (deep !== undefined) {
      pending.push({
        order: Number.MAX_SAFE_INTEGER,
        rank: 1,
        seq: seq++,
        start: deep.start,
        end: deep.start,
        message: `expression is nested more than ${MAX_AST_DEPTH} levels deep; river cannot process it (split it up)`,
      });
    }
    for (const e of p.actionErrors) pending.push(fromActionError(e, seq + e.seq, text.length));
    for (const e of p.recognitionErrors) pending.push(fromRecognitionError(e, seq + (p.errorSeq.get(e) ?? 0), text.length));
  }

  pending.sort((a, b) => a.order - b.order || a.rank - b.rank || a.seq - b.seq);
  const diagnostics: Diagnostic[] = [];
  let lastDroppableLine = -1;
  for (const e of pending) {
    const d = diagnosticAt(source, "error", "E_SYNTAX", e.message, e.start, e.end);
    if (e.rank === 2) {
      // alloy ignores a second parser error on the line of the previous one.
      if (d.line === lastDroppableLine) continue;
      lastDroppableLine = d.line;
    }
    diagnostics.push(d);
  }

  const file: File = {
    kind: "File",
    name: source.name,
    body,
    comments: groupComments(scanned.comments, source),
    start: 0,
    end: text.length,
  };
  return { file, diagnostics, source };
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
  const tok = e.token;
  const start = Number.isNaN(tok.startOffset) || tok.tokenType === T.Terminator && tok.image === "\n" && tok.startOffset >= textLength
    ? textLength
    : tok.startOffset;
  return { order: tokenIndex(tok), rank: 2, seq, start: Number.isNaN(start) ? textLength : start, end: Number.isNaN(start) ? textLength : start, message: e.message };
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

function findTooDeep(tokens: readonly IToken[]): IToken | undefined {
  let depth = 0;
  for (const tok of tokens) {
    const t = tok.tokenType;
    if (t === T.LCurly || t === T.LBrack || t === T.LParen) {
      if (++depth > MAX_NESTING) return tok;
    } else if (t === T.RCurly || t === T.RBrack || t === T.RParen) {
      depth = Math.max(0, depth - 1);
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
