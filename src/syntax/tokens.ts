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

export const Ident = token("IDENT", FieldKey);
export const NumberLit = token("NUMBER", Literal, StrayInBlock, StrayInFile);
export const FloatLit = token("FLOAT", Literal, StrayInBlock, StrayInFile);
export const StringLit = token("STRING", Literal, FieldKey, StrayInBlock, StrayInFile);
export const BoolLit = token("BOOL", Literal, StrayInBlock, StrayInFile);
export const NullLit = token("NULL", Literal, StrayInBlock, StrayInFile);
export const Or = token("||", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const And = token("&&", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Not = token("!", UnaryOp, StrayInBlock, StrayInFile);
export const Assign = token("=", NotExpressionStart, StrayInBlock, StrayInFile);
export const Eq = token("==", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Neq = token("!=", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Lt = token("<", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Lte = token("<=", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Gt = token(">", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Gte = token(">=", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Add = token("+", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Sub = token("-", BinaryOp, UnaryOp, StrayInBlock, StrayInFile);
export const Mul = token("*", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Div = token("/", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Mod = token("%", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const Pow = token("^", NotExpressionStart, BinaryOp, StrayInBlock, StrayInFile);
export const LCurly = token("{", StrayInBlock, StrayInFile);
export const RCurly = token("}", NotExpressionStart, StrayInFile);
export const LParen = token("(", StrayInBlock, StrayInFile);
export const RParen = token(")", NotExpressionStart, StrayInBlock, StrayInFile);
export const LBrack = token("[", StrayInBlock, StrayInFile);
export const RBrack = token("]", NotExpressionStart, StrayInBlock, StrayInFile);
export const Comma = token(",", StrayInBlock, StrayInFile);
export const Dot = token(".", NotExpressionStart, StrayInBlock, StrayInFile);
export const Terminator = token("TERMINATOR", NotExpressionStart, StrayInBlock, StrayInFile);
export const Illegal = token("ILLEGAL", NotExpressionStart, StrayInBlock, StrayInFile);
export const Comment = token("COMMENT");

export const ALL_TOKENS: readonly TokenType[] = [
  StrayInBlock,
  StrayInFile,
  Literal,
  FieldKey,
  UnaryOp,
  BinaryOp,
  NotExpressionStart,
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

