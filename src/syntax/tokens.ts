import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.ts";

/**
 * Token types shared by the scanner and the Chevrotain parser. Their `name`s are alloy's token names (what alloy's
 * messages print after "got"): punctuation by its text, everything else in capitals.
 *
 * The patterns are never used for lexing — river's scanner (scanner.ts) is hand-written to reproduce alloy's
 * terminator insertion and error recovery exactly — so every token is created with `Lexer.NA`.
 */
function token(name: string, ...categories: TokenType[]): TokenType {
  return createToken({ name, pattern: Lexer.NA, label: name, categories });
}

function category(name: string): TokenType {
  return createToken({ name, pattern: Lexer.NA });
}

// Categories let one grammar step accept a set of tokens (Chevrotain matches a token against its categories).
/** Any token that cannot start a statement inside a block body (everything but an identifier and `}`). */
export const StrayInBlock = category("StrayInBlock");
/** Any token that cannot start a statement at the top of a file (everything but an identifier). */
export const StrayInFile = category("StrayInFile");
export const Literal = category("Literal");
export const FieldKey = category("FieldKey");
export const UnaryOp = category("UnaryOp");
export const BinaryOp = category("BinaryOp");
/** Tokens that cannot start an expression, except ",": used to recover inside lists as alloy does. */
export const NotExpressionStart = category("NotExpressionStart");
/** Tokens that cannot start an object field (anything but an identifier, a string or "="): for recovery. */
export const NotFieldKey = category("NotFieldKey");

export const Ident = token("IDENT", FieldKey);
export const NumberLit = token("NUMBER", NotFieldKey, Literal, StrayInBlock, StrayInFile);
export const FloatLit = token("FLOAT", NotFieldKey, Literal, StrayInBlock, StrayInFile);
export const StringLit = token("STRING", Literal, FieldKey, StrayInBlock, StrayInFile);
export const BoolLit = token("BOOL", NotFieldKey, Literal, StrayInBlock, StrayInFile);
export const NullLit = token("NULL", NotFieldKey, Literal, StrayInBlock, StrayInFile);
export const Or = token("||", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const And = token("&&", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Not = token("!", NotFieldKey, UnaryOp, StrayInBlock, StrayInFile);
export const Assign = token("=", NotExpressionStart, StrayInBlock, StrayInFile);
export const Eq = token("==", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Neq = token("!=", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Lt = token("<", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Lte = token("<=", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Gt = token(">", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Gte = token(">=", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Add = token("+", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Sub = token("-", NotFieldKey, BinaryOp, UnaryOp, StrayInBlock, StrayInFile);
export const Mul = token("*", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Div = token("/", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Mod = token("%", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Pow = token("^", NotFieldKey, NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const LCurly = token("{", NotFieldKey, StrayInBlock, StrayInFile);
export const RCurly = token("}", NotFieldKey, NotExpressionStart, StrayInFile);
export const LParen = token("(", NotFieldKey, StrayInBlock, StrayInFile);
export const RParen = token(")", NotFieldKey, NotExpressionStart, StrayInBlock, StrayInFile);
export const LBrack = token("[", NotFieldKey, StrayInBlock, StrayInFile);
export const RBrack = token("]", NotFieldKey, NotExpressionStart, StrayInBlock, StrayInFile);
export const Comma = token(",", NotFieldKey, StrayInBlock, StrayInFile);
export const Dot = token(".", NotFieldKey, NotExpressionStart, StrayInBlock, StrayInFile);
export const Terminator = token("TERMINATOR", NotFieldKey, NotExpressionStart, StrayInBlock, StrayInFile);
export const Illegal = token("ILLEGAL", NotFieldKey, NotExpressionStart, StrayInBlock, StrayInFile);
export const Comment = token("COMMENT");

export const ALL_TOKENS: readonly TokenType[] = [
  StrayInBlock,
  StrayInFile,
  Literal,
  FieldKey,
  UnaryOp,
  BinaryOp,
  NotExpressionStart,
  NotFieldKey,
  Ident,
  NumberLit,
  FloatLit,
  StringLit,
  BoolLit,
  NullLit,
  Or,
  And,
  Not,
  Assign,
  Eq,
  Neq,
  Lt,
  Lte,
  Gt,
  Gte,
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Pow,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBrack,
  RBrack,
  Comma,
  Dot,
  Terminator,
  Illegal,
  Comment,
];

