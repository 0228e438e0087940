import type { BinaryOp, LiteralKind, UnaryOp } from "../ast/ast.ts";

/**
 * What the builder collects before it lays a config out: the AST's shape without positions, plus the layout choices
 * that `alloy fmt` keeps from the source (blank lines, one-line or multi-line lists, comments). `layout.ts` turns a
 * draft into AST nodes with positions; the canonical printer then decides everything else.
 */

/** Where a builder call was made, so that diagnostics can point at the user's TypeScript rather than at River. */
export interface CallSite {
  readonly filename: string;
  readonly line: number;
  readonly column: number;
}

export type DraftExpr =
  | { readonly kind: "literal"; readonly literal: LiteralKind; readonly raw: string }
  | { readonly kind: "ident"; readonly name: string }
  | { readonly kind: "access"; readonly value: DraftExpr; readonly name: string }
  | { readonly kind: "index"; readonly value: DraftExpr; readonly index: DraftExpr }
  | { readonly kind: "call"; readonly callee: DraftExpr; readonly args: readonly DraftExpr[]; readonly multiline: boolean; readonly breaks?: Breaks }
  | {
      readonly kind: "array";
      readonly elements: readonly DraftExpr[];
      readonly multiline: boolean;
      readonly breaks?: Breaks;
      /** Comments around each element (same index), if any. */
      readonly notes?: readonly (Notes | undefined)[];
      /** A comment on the opening bracket's line, after the bracket. */
      readonly open?: string;
      /** Comments before the closing bracket ("" a blank line between them). */
      readonly inner?: readonly string[];
      /** A blank line before the closing bracket (kept by alloy fmt after a comment). */
      readonly blankEnd?: boolean;
    }
  | {
      readonly kind: "object";
      readonly fields: readonly DraftField[];
      readonly multiline: boolean;
      readonly breaks?: Breaks;
      /** A comment on the opening brace's line, after the brace. */
      readonly open?: string;
      /** Comments before the closing brace ("" a blank line between them). */
      readonly inner?: readonly string[];
      readonly blankEnd?: boolean;
    }
  | { readonly kind: "unary"; readonly op: UnaryOp; readonly value: DraftExpr }
  | { readonly kind: "binary"; readonly op: BinaryOp; readonly left: DraftExpr; readonly right: DraftExpr }
  | { readonly kind: "paren"; readonly inner: DraftExpr };

/**
 * Where a list mixes layouts: a line break before each element (or field) and one more before the closing bracket.
 * Without it a list is on one line, or has every element on a line of its own (`multiline`).
 */
export type Breaks = readonly boolean[];

export interface DraftField {
  /** The key's value; written bare when it is an identifier (unless `quoted`), quoted otherwise. */
  readonly name: string;
  readonly quoted?: boolean;
  readonly value: DraftExpr;
  readonly notes?: Notes;
}

/** Comments on a list element or object field: on lines of their own before it, and at the end of its line. */
export interface Notes {
  /** Comments on lines of their own before it; "" stands for a blank line (between them, or before the element). */
  readonly before: readonly string[];
  readonly after?: string;
  /** A blank line before the element (before its comments); alloy fmt keeps it next to comments only. */
  readonly blank?: boolean;
}

interface Spaced {
  /**
   * A blank line before the item (before its leading comments, for a statement). Undefined: the canonical choice,
   * a blank line around blocks and none between attributes.
   */
  readonly blank?: boolean;
}

export interface DraftAttr extends Spaced {
  readonly kind: "attr";
  readonly name: string;
  readonly value: DraftExpr;
  readonly site?: CallSite;
}

export interface DraftBlock extends Spaced {
  readonly kind: "block";
  readonly name: readonly string[];
  readonly label?: string;
  readonly body: readonly DraftItem[];
  /** A blank line before the closing brace (alloy fmt keeps it after a comment that ends the body). */
  readonly blankEnd?: boolean;
  readonly site?: CallSite;
}

/**
 * A comment as written (`// text` or a slash-star comment). Comments directly before a statement are its leading
 * comments; a `trailing` one stays on the line of the statement before it.
 */
export interface DraftComment extends Spaced {
  readonly kind: "comment";
  readonly text: string;
  readonly trailing?: boolean;
}

export type DraftStmt = DraftAttr | DraftBlock;
export type DraftItem = DraftStmt | DraftComment;
