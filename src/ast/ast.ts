/**
 * The River (Alloy syntax) AST. The parser and the typed builder both produce it; the formatter, checker and simulators
 * consume it. It mirrors alloy's syntax/ast so that behaviour can be compared node for node.
 *
 * Every node carries `start`/`end`: half-open UTF-16 offsets into the source text (for builder-made nodes, into the
 * text the builder renders). Punctuation positions (`lcurly`, `rbrack`, ...) are kept because the printer needs them to
 * place comments and to decide between one-line and multi-line layouts.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface File {
  readonly kind: "File";
  readonly name: string;
  readonly body: Stmt[];
  /** Every comment of the file, grouped into runs of adjacent comments, in source order. */
  readonly comments: CommentGroup[];
  readonly start: number;
  readonly end: number;
}

export type Stmt = AttributeStmt | BlockStmt;

export interface Comment extends Span {
  readonly kind: "Comment";
  /** The comment as written, including `//` or the slash-star delimiters; no trailing newline. */
  readonly text: string;
}

export type CommentGroup = Comment[];

/** `name = value` */
export interface AttributeStmt extends Span {
  readonly kind: "AttributeStmt";
  readonly name: Ident;
  readonly value: Expr;
}

/** `a.b.c "label" { body }` */
export interface BlockStmt extends Span {
  readonly kind: "BlockStmt";
  /** The name's parts: `["prometheus", "scrape"]`. */
  readonly name: string[];
  readonly namePos: number;
  /**
   * The label's text between the quotes, if there is one (an empty label `""` counts as none, as in alloy). Labels
   * must be valid identifiers, so this is also their value.
   */
  readonly label?: string;
  /** Offset of the label's opening quote. */
  readonly labelPos?: number;
  readonly body: Stmt[];
  readonly lcurly: number;
  readonly rcurly: number;
}

export interface Ident extends Span {
  readonly kind: "Ident";
  readonly name: string;
}

export type Expr =
  | IdentifierExpr
  | LiteralExpr
  | ArrayExpr
  | ObjectExpr
  | AccessExpr
  | IndexExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ParenExpr;

export interface IdentifierExpr extends Span {
  readonly kind: "IdentifierExpr";
  readonly ident: Ident;
}

export type LiteralKind = "NUMBER" | "FLOAT" | "STRING" | "BOOL" | "NULL";

export interface LiteralExpr extends Span {
  readonly kind: "LiteralExpr";
  readonly literal: LiteralKind;
  /** The literal exactly as written in the source (quotes and escapes included for strings). */
  readonly raw: string;
}

export interface ArrayExpr extends Span {
  readonly kind: "ArrayExpr";
  readonly elements: Expr[];
  readonly lbrack: number;
  readonly rbrack: number;
}

export interface ObjectExpr extends Span {
  readonly kind: "ObjectExpr";
  readonly fields: ObjectField[];
  readonly lcurly: number;
  readonly rcurly: number;
}

export interface ObjectField extends Span {
  readonly kind: "ObjectField";
  /**
   * The key. For a quoted key, the text between the quotes as written (escapes not decoded, as alloy keeps it; use
   * unquoteString(rawName) for its value). A key written `""` is not "quoted": its name is `""` itself, as in alloy.
   */
  readonly name: Ident;
  /** True if the key was written as a string literal. */
  readonly quoted: boolean;
  /** For a quoted key, the key exactly as written (with quotes). */
  readonly rawName?: string;
  readonly value: Expr;
}

/** `value.name` */
export interface AccessExpr extends Span {
  readonly kind: "AccessExpr";
  readonly value: Expr;
  readonly name: Ident;
}

/** `value[index]` */
export interface IndexExpr extends Span {
  readonly kind: "IndexExpr";
  readonly value: Expr;
  readonly index: Expr;
  readonly lbrack: number;
  readonly rbrack: number;
}

/** `value(args...)` */
export interface CallExpr extends Span {
  readonly kind: "CallExpr";
  readonly value: Expr;
  readonly args: Expr[];
  readonly lparen: number;
  readonly rparen: number;
}

export type UnaryOp = "!" | "-";

export interface UnaryExpr extends Span {
  readonly kind: "UnaryExpr";
  readonly op: UnaryOp;
  readonly opPos: number;
  readonly value: Expr;
}

export type BinaryOp = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%" | "^";

export interface BinaryExpr extends Span {
  readonly kind: "BinaryExpr";
  readonly op: BinaryOp;
  readonly opPos: number;
  readonly left: Expr;
  readonly right: Expr;
}

export interface ParenExpr extends Span {
  readonly kind: "ParenExpr";
  readonly inner: Expr;
  readonly lparen: number;
  readonly rparen: number;
}

export type Node = File | Stmt | Expr | Ident | ObjectField | Comment;

/** Binary operator precedence, lowest first, as in alloy (`^` is right-associative). */
export const BINARY_PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  "||": 1,
  "&&": 2,
  "==": 3,
  "!=": 3,
  "<": 3,
  "<=": 3,
  ">": 3,
  ">=": 3,
  "+": 4,
  "-": 4,
  "*": 5,
  "/": 5,
  "%": 5,
  "^": 6,
};

/** The dotted name of a block: `prometheus.scrape`. */
export function blockName(block: BlockStmt): string {
  return block.name.join(".");
}

/**
 * The dotted path of a reference expression (`a.b.c` → `["a","b","c"]`), or undefined when `expr` is not a plain chain
 * of identifiers and field accesses.
 */
export function referencePath(expr: Expr): string[] | undefined {
  if (expr.kind === "IdentifierExpr") return [expr.ident.name];
  if (expr.kind === "AccessExpr") {
    const base = referencePath(expr.value);
    return base === undefined ? undefined : [...base, expr.name.name];
  }
  return undefined;
}
