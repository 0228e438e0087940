import type { IOrAlt, IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from "chevrotain";
import { EmbeddedActionsParser, EMPTY_ALT, EOF } from "./chevrotain.ts";
import { BINARY_PRECEDENCE } from "../ast/ast.ts";
import type {
  AttributeStmt,
  BinaryOp,
  BlockStmt,
  Expr,
  Ident,
  LiteralKind,
  ObjectField,
  Stmt,
  UnaryOp,
} from "../ast/ast.ts";
import { isValidIdentifier } from "./identifier.ts";
import { quoteString } from "./strings.ts";
import * as T from "./tokens.ts";

/** An error found by the grammar actions (not by Chevrotain's recognizer), ordered by the token it was found at. */
export interface ActionError {
  readonly token: IToken;
  readonly message: string;
  /** Index of the token alloy would be looking at when it reports this error (orders the diagnostics). */
  readonly order: number;
  /** Offsets to report; default the token's. */
  readonly start?: number;
  readonly end?: number;
  /** alloy drops a second "addErrorf" error on the line of the previous one; direct diagnostics are never dropped. */
  readonly droppable: boolean;
  /** When it was found, counted together with the recognizer's errors. */
  readonly seq: number;
}

/** Index of a token in the scanned token list (the scanner stamps it); Chevrotain's EOF sorts last. */
export function tokenIndex(tok: IToken): number {
  return (tok as IToken & { idx?: number }).idx ?? Number.MAX_SAFE_INTEGER;
}

/** Alloy's display name of a token ("IDENT", "TERMINATOR", "}", "EOF", ...). */
export function tokenName(tok: IToken): string {
  return tok.tokenType === EOF ? "EOF" : tok.tokenType.name;
}

/**
 * Error messages worded as alloy words them. Chevrotain calls these with the rule being parsed; `context` holds the
 * expectation the grammar set just before the failing step (alloy's message depends on where in a rule it failed).
 */
class AlloyMessages implements IParserErrorMessageProvider {
  context: () => string | undefined = () => undefined;

  buildMismatchTokenMessage(options: { expected: TokenType; actual: IToken; ruleName: string }): string {
    const got = tokenName(options.actual);
    const expected = options.expected.name;
    const ctx = this.context();
    // At the end of input alloy's loops have stopped and its expect() names the token: "expected ], got EOF".
    if (ctx !== undefined && got !== "EOF") return `${ctx}, got ${got}`;
    return `expected ${expected}, got ${got}`;
  }

  buildNotAllInputParsedMessage(options: { firstRedundant: IToken; ruleName: string }): string {
    return `expected identifier, got ${tokenName(options.firstRedundant)}`;
  }

  buildNoViableAltMessage(options: { actual: IToken[]; ruleName: string }): string {
    const tok = options.actual[0];
    const got = tok ? tokenName(tok) : "EOF";
    return `${this.context() ?? "expected expression"}, got ${got}`;
  }

  buildEarlyExitMessage(options: { actual: IToken[]; ruleName: string }): string {
    const tok = options.actual[0];
    return `${this.context() ?? "unexpected token"}, got ${tok ? tokenName(tok) : "EOF"}`;
  }
}

const BINARY_OPS: ReadonlyMap<TokenType, BinaryOp> = new Map<TokenType, BinaryOp>([
  [T.Or, "||"],
  [T.And, "&&"],
  [T.Eq, "=="],
  [T.Neq, "!="],
  [T.Lt, "<"],
  [T.Lte, "<="],
  [T.Gt, ">"],
  [T.Gte, ">="],
  [T.Add, "+"],
  [T.Sub, "-"],
  [T.Mul, "*"],
  [T.Div, "/"],
  [T.Mod, "%"],
  [T.Pow, "^"],
]);

const LITERAL_KINDS: ReadonlyMap<TokenType, LiteralKind> = new Map<TokenType, LiteralKind>([
  [T.StringLit, "STRING"],
  [T.NumberLit, "NUMBER"],
  [T.FloatLit, "FLOAT"],
  [T.BoolLit, "BOOL"],
  [T.NullLit, "NULL"],
]);

/** Which token types (by tokenTypeIdx) match any of `types` (token types or categories), for RiverParser.#may. */
function nextTable(...types: TokenType[]): Uint8Array {
  const all = [...T.ALL_TOKENS, EOF];
  const table = new Uint8Array(Math.max(...all.map((t) => t.tokenTypeIdx as number)) + 1);
  for (const t of all) {
    const idx = t.tokenTypeIdx as number;
    if (types.some((want) => want === t || (t.CATEGORIES ?? []).includes(want))) table[idx] = 1;
  }
  return table;
}

const BINARY_OP_NEXT = nextTable(T.BinaryOp);
const UNARY_OP_NEXT = nextTable(T.UnaryOp);
const POSTFIX_NEXT = nextTable(T.Dot, T.LBrack, T.LParen, T.StringLit, T.LCurly);
const DOT_NEXT = nextTable(T.Dot);
const STRING_NEXT = nextTable(T.StringLit);

function end(tok: IToken): number {
  return (tok.endOffset as number) + 1;
}

// What a rule yields when Chevrotain's recovery gave up on it; such a parse always has errors, so the AST is only
// best effort.
const PLACEHOLDER_EXPR: Expr = { kind: "LiteralExpr", literal: "NULL", raw: "null", start: 0, end: 0 };
const PLACEHOLDER_FIELD: ObjectField = {
  kind: "ObjectField",
  name: { kind: "Ident", name: "", start: 0, end: 0 },
  quoted: false,
  value: PLACEHOLDER_EXPR,
  start: 0,
  end: 0,
};

/**
 * The River grammar as a Chevrotain parser producing river's AST directly (embedded actions). The productions follow
 * alloy's hand-written LL(1) parser (syntax/parser/internal.go) rule for rule, so that errors are found at the same
 * token. Each rule's doc comment gives its EBNF; grammar/river.ebnf holds the whole grammar.
 *
 * One instance is reused for every parse (Chevrotain's advice: building a parser is expensive, resetting is cheap).
 */
export class RiverParser extends EmbeddedActionsParser {
  readonly messages: AlloyMessages;
  actionErrors: ActionError[] = [];
  /**
   * The recognizer's errors since `start`, collected as Chevrotain saves them (its `errors` getter copies the list on
   * every call). It only ever adds errors: this grammar does not backtrack, which is when Chevrotain restores a list.
   */
  recognitionErrors: IRecognitionException[] = [];
  #context: string | undefined;
  #seq = 0;
  /** When each recognition error was found (same counter as action errors), so both can be merged in order. */
  readonly errorSeq = new WeakMap<object, number>();

  /**
   * `validate`: run Chevrotain's grammar validations (ambiguities, duplicate occurrence indices, ...). They cost start-up
   * time on every run of the CLI, so they are off by default; a test builds the parser with them.
   */
  constructor(options: { validate?: boolean } = {}) {
    const messages = new AlloyMessages();
    super(T.ALL_TOKENS as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 1,
      skipValidations: options.validate !== true,
      errorMessageProvider: messages,
    });
    this.messages = messages;
    messages.context = () => this.#context;
    this.performSelfAnalysis();
    this.#stampErrors();
  }

  /**
   * Resets the parser for new tokens. Everything that refers to the previous parse is dropped, so that the shared
   * parser does not keep its tokens, tree or source text alive (`start([])` after a parse does just that).
   */
  start(tokens: IToken[]): void {
    this.input = tokens;
    this.actionErrors = [];
    this.recognitionErrors = [];
    this.#context = undefined;
    this.#seq = 0;
    this.#fileStatements = [];
    this.#names = [];
    this.#label = undefined;
    this.#operand = PLACEHOLDER_EXPR;
  }

  /**
   * Wraps Chevrotain's (untyped) hook for every recognition error: stamps it with the shared sequence number and
   * collects it in `recognitionErrors`.
   */
  #stampErrors(): void {
    const self = this as unknown as { SAVE_ERROR(e: IRecognitionException): IRecognitionException };
    const save = self.SAVE_ERROR.bind(this);
    self.SAVE_ERROR = (error) => {
      this.errorSeq.set(error, this.#seq++);
      this.recognitionErrors.push(error);
      return save(error);
    };
  }

  /**
   * Whether the next token can start an iteration of a hot repetition (always true while Chevrotain records the
   * grammar). A MANY whose look-ahead fails does nothing at parse time but consider in-repetition recovery, which
   * Chevrotain only attempts when a terminal follows the loop in its rule (or at the end of the root rule); none of the
   * loops guarded with this has one, so skipping the call when this is false changes nothing but the time spent.
   */
  #may(next: Uint8Array): boolean {
    return this.RECORDING_PHASE || next[this.LA(1).tokenTypeIdx as number] === 1;
  }

  /**
   * alloy's `expect`: when the token is not `type`, the error is reported (worded by `context`; at the end of input
   * "expected <type>" unless `atEof`) and the token standing there is consumed in its place, as alloy does.
   * Returns the consumed token, or the one consumed instead (undefined at the end of input).
   */
  #expectMismatch(type: TokenType, context: string, atEof = false): IToken | undefined {
    const next = this.LA(1);
    const got = tokenName(next);
    const message = got === "EOF" && !atEof ? `expected ${type.name}, got EOF` : `${context}, got ${got}`;
    this.#actionError(next, message, true);
    if (next.tokenType === EOF) return undefined;
    this.SKIP_TOKEN();
    return next;
  }

  /**
   * Sets how the next failing step words its error: alloy's message depends on the step, not only the token. (Not
   * wrapped in ACTION: it is harmless during Chevrotain's recording phase, and this is on every expression's path.)
   */
  #expect(context: string): void {
    this.#context = context;
  }

  #actionError(
    token: IToken,
    message: string,
    droppable: boolean,
    start?: number,
    endOffset?: number,
    order: number = tokenIndex(token),
  ): void {
    this.actionErrors.push({ token, message, droppable, start, end: endOffset, order, seq: this.#seq++ });
  }

  /**
   * File = Body
   * Body = { Statement ( TERMINATOR | &end ) }
   */
  public file = this.RULE("file", (): Stmt[] => {
    return this.#body(T.StrayInFile, EOF);
  }, { recoveryValueFunc: () => this.#fileStatements });

  /**
   * The top-level statements parsed so far. When recovery gives up on the file (an unclosed bracket at the end of
   * the input, say), the file rule yields these: the statements before the failing one are kept in the partial tree,
   * however the input was split into chunks.
   */
  #fileStatements: Stmt[] = [];

  /**
   * The statements of a file or a block up to `until`; `stray` is what cannot start a statement there. (A helper,
   * not a rule: each rule that calls it records its own copy of these steps.)
   */
  #body(stray: TokenType, until: TokenType): Stmt[] {
    const body: Stmt[] = [];
    if (stray === T.StrayInFile) this.#fileStatements = body;
    const alternatives = stray === T.StrayInFile ? this.#fileItems : this.#blockItems;
    this.MANY(() => {
      const stmt = this.OR(alternatives);
      if (stmt !== undefined) body.push(stmt);
      this.#terminator(until);
    });
    return body;
  }

  // The alternatives of OR steps are built once per parser (Chevrotain calls them with the parser as `this`); state
  // they need from their rule is handed over in fields and read before anything else can change it.
  readonly #fileItems = this.#bodyItems(T.StrayInFile);
  readonly #blockItems = this.#bodyItems(T.StrayInBlock);

  /** What a body may hold: a statement, or a token that cannot start one. */
  #bodyItems(stray: TokenType): IOrAlt<Stmt | undefined>[] {
    return [
      { ALT: () => this.SUBRULE(this.statement) },
      {
        ALT: () => {
          this.#stray(this.CONSUME(stray));
          return undefined;
        },
      },
    ];
  }

  /**
   * A statement must be followed by a TERMINATOR unless the body ends right after it. Otherwise alloy reports
   * "expected TERMINATOR" (also at the end of input inside a block) and skips the rest of the statement: up to a
   * TERMINATOR outside the brackets opened since, which it consumes.
   */
  #terminator(until: TokenType): void {
    const term = this.OPTION(() => this.CONSUME(T.Terminator));
    this.ACTION(() => {
      if (term !== undefined) return;
      const next = this.LA(1);
      if (next.tokenType === until) return;
      this.#actionError(next, `expected TERMINATOR, got ${tokenName(next)}`, true);
      this.#skipStatement();
      if (this.LA(1).tokenType === T.Terminator) this.SKIP_TOKEN();
    });
  }

  /** alloy's consumeStatement: skips to a TERMINATOR where no bracket opened since is still open. */
  #skipStatement(): void {
    let curly = 0;
    let brack = 0;
    let paren = 0;
    for (let tok = this.LA(1); tok.tokenType !== EOF; tok = this.LA(1)) {
      const t = tok.tokenType;
      if (t === T.LCurly) curly++;
      else if (t === T.RCurly) curly--;
      else if (t === T.LBrack) brack++;
      else if (t === T.RBrack) brack--;
      else if (t === T.LParen) paren++;
      else if (t === T.RParen) paren--;
      else if (t === T.Terminator && curly <= 0 && brack <= 0 && paren <= 0) return;
      this.SKIP_TOKEN();
    }
  }

  /** Skips to the next identifier (which may start a statement), as alloy does after a statement it cannot parse. */
  #skipToIdentifier(): void {
    while (this.LA(1).tokenType !== T.Ident && this.LA(1).tokenType !== EOF) this.SKIP_TOKEN();
  }

  /** A token that cannot start a statement: "expected identifier", then alloy skips to the next identifier. */
  #stray(tok: IToken): void {
    this.ACTION(() => {
      this.#actionError(tok, `expected identifier, got ${tokenName(tok)}`, true);
      this.#skipToIdentifier();
    });
  }

  /**
   * Statement = Attribute | Block
   * Attribute = identifier "=" Expression
   * Block     = BlockName "{" Body "}"
   * BlockName = identifier { "." identifier } [ string ]
   */
  public statement = this.RULE("statement", (): Stmt | undefined => {
    const first = this.CONSUME(T.Ident);
    const names: IToken[] = [first];
    if (this.#may(DOT_NEXT)) this.MANY(() => {
      this.CONSUME(T.Dot);
      const name = this.OPTION2(() => this.CONSUME2(T.Ident));
      this.ACTION(() => {
        const part = name ?? this.#expectMismatch(T.Ident, "expected identifier", true);
        if (part !== undefined) names.push(part);
      });
    });
    let label: IToken | undefined;
    // (An OPTION does nothing when its look-ahead fails, so it is only entered when it can match.)
    if (this.#may(STRING_NEXT)) {
      this.OPTION(() => {
        label = this.CONSUME(T.StringLit);
      });
    }
    this.ACTION(() => {
      if (label !== undefined) this.#checkLabel(label);
      else {
        // Neither "=", "{" nor a label: alloy reports the missing label and skips one token.
        const next = this.LA(1);
        if (next.tokenType !== T.Assign && next.tokenType !== T.LCurly) {
          this.#actionError(next, `expected block label, got ${tokenName(next)}`, true);
          if (next.tokenType !== EOF) this.SKIP_TOKEN();
        }
      }
    });
    this.#names = names;
    this.#label = label;
    const stmt = this.OR(this.#statementKinds);
    if (stmt === undefined) {
      this.ACTION(() => {
        // alloy's wording depends on whether the name could be an attribute's (one part, no label).
        const validAttribute = names.length === 1 && (label === undefined || label.image.length <= 2);
        const next = this.LA(1);
        const what = validAttribute ? "expected attribute assignment or block body" : "expected block body";
        this.#actionError(next, `${what}, got ${tokenName(next)}`, true);
        this.#skipToIdentifier();
      });
    }
    return stmt;
  }, { recoveryValueFunc: () => undefined });

  /** The name parts and label of the statement being parsed, for #statementKinds. */
  #names: IToken[] = [];
  #label: IToken | undefined;

  /** What follows a statement's name: "=" (an attribute), "{" (a block), or nothing valid. */
  readonly #statementKinds: IOrAlt<Stmt | undefined>[] = [
    {
      ALT: (): AttributeStmt => {
        const names = this.#names;
        const label = this.#label;
        const assign = this.CONSUME(T.Assign);
        // alloy checks the name as soon as it has seen "=", before the value.
        this.ACTION(() => this.#checkAttributeName(names, label, tokenIndex(assign) + 1));
        const value = this.SUBRULE(this.expression);
        return this.ACTION((): AttributeStmt => {
          const first = names[0] as IToken;
          const name: Ident = { kind: "Ident", name: first.image, start: first.startOffset, end: end(first) };
          return { kind: "AttributeStmt", name, value, start: first.startOffset, end: value.end };
        });
      },
    },
    {
      ALT: (): BlockStmt => {
        const names = this.#names;
        const label = this.#label;
        const first = names[0] as IToken;
        const lcurly = this.CONSUME(T.LCurly);
        const body = this.SUBRULE(this.blockBody);
        this.#expect("expected }");
        const rcurly = this.CONSUME(T.RCurly);
        return this.ACTION(() => ({
          kind: "BlockStmt",
          name: names.map((n) => n.image),
          namePos: first.startOffset,
          label: label === undefined || label.image.length <= 2 ? undefined : label.image.slice(1, -1),
          labelPos: label === undefined || label.image.length <= 2 ? undefined : label.startOffset,
          body,
          lcurly: lcurly.startOffset,
          rcurly: rcurly.startOffset,
          start: first.startOffset,
          end: end(rcurly),
        }));
      },
    },
    // Anything else: the statement is given up and alloy skips to the next identifier.
    { ALT: EMPTY_ALT() },
  ];

  #checkLabel(label: IToken): void {
    if (!label.image.startsWith('"')) {
      this.#actionError(label, `expected block label to be a double quoted string, but got ${quoteString(label.image)}`, true);
    }
    if (label.image.length > 2) {
      const value = label.image.slice(1, -1);
      if (!isValidIdentifier(value)) {
        this.#actionError(label, `expected block label to be a valid identifier, but got ${quoteString(value)}`, true);
      }
    }
  }

  #checkAttributeName(names: IToken[], label: IToken | undefined, order: number): void {
    const first = names[0] as IToken;
    if (names.length !== 1) {
      const last = names[names.length - 1] as IToken;
      const message = `attribute names may only consist of a single identifier with no "."`;
      this.#actionError(first, message, false, first.startOffset, end(last), order);
    } else if (label !== undefined) {
      // Even an empty label ("") counts: alloy records the label's position whatever its text.
      this.#actionError(label, "attribute names may not have labels", false, label.startOffset, end(label), order);
    }
  }

  /** Body (of a block) = { Statement ( TERMINATOR | &"}" ) } */
  public blockBody = this.RULE("blockBody", (): Stmt[] => {
    return this.#body(T.StrayInBlock, T.RCurly);
  }, { recoveryValueFunc: () => [] });

  /**
   * Expression = UnaryExpr { binary_op UnaryExpr }
   *
   * alloy's grammar spells the precedence levels out (OrExpr = AndExpr { "||" AndExpr }, AndExpr = CmpExpr { "&&"
   * CmpExpr }, CmpExpr = AddExpr { cmp_op AddExpr }, AddExpr = MulExpr { add_op MulExpr }, MulExpr = PowExpr { mul_op
   * PowExpr }, PowExpr = UnaryExpr [ "^" PowExpr ]). They accept the same token sequences as this flat rule; the tree
   * is built by precedence climbing instead, which keeps the parser's stack shallow on deeply nested input.
   */
  public expression = this.RULE("expression", (): Expr => {
    const first = this.SUBRULE(this.unaryExpr);
    if (!this.#may(BINARY_OP_NEXT)) return first;
    const operands: Expr[] = [first];
    const ops: IToken[] = [];
    this.MANY(() => {
      ops.push(this.CONSUME(T.BinaryOp));
      operands.push(this.SUBRULE2(this.unaryExpr));
    });
    return this.ACTION(() => buildBinary(operands, ops));
  }, { recoveryValueFunc: () => PLACEHOLDER_EXPR });

  /** UnaryExpr = { "!" | "-" } OperExpr */
  public unaryExpr = this.RULE("unaryExpr", (): Expr => {
    this.#expect("expected expression");
    if (!this.#may(UNARY_OP_NEXT)) return this.SUBRULE(this.operExpr);
    const prefix: IToken[] = [];
    this.MANY(() => {
      prefix.push(this.CONSUME(T.UnaryOp));
    });
    let value = this.SUBRULE(this.operExpr);
    this.ACTION(() => {
      for (let i = prefix.length - 1; i >= 0; i--) {
        const op = prefix[i] as IToken;
        value = { kind: "UnaryExpr", op: op.image as UnaryOp, opPos: op.startOffset, value, start: op.startOffset, end: value.end };
      }
    });
    return value;
  }, { recoveryValueFunc: () => PLACEHOLDER_EXPR });

  /**
   * OperExpr   = PrimaryExpr { AccessExpr | IndexExpr | CallExpr }
   * AccessExpr = "." identifier
   * IndexExpr  = "[" Expression "]"
   * CallExpr   = "(" [ ExpressionList ] ")"
   *
   * A string or "{" after an operand is a block written where an expression belongs: it is parsed as a block to
   * report "cannot use a block as an expression", as alloy does.
   */
  public operExpr = this.RULE("operExpr", (): Expr => {
    let value = this.SUBRULE(this.primaryExpr);
    if (!this.#may(POSTFIX_NEXT)) return value;
    this.MANY(() => {
      this.#operand = value;
      value = this.OR(this.#postfixes);
    });
    return value;
  }, { recoveryValueFunc: () => PLACEHOLDER_EXPR });

  /** The operand a postfix applies to, for #postfixes. */
  #operand: Expr = PLACEHOLDER_EXPR;

  /** What may follow an operand: field access, indexing, a call, or a block written where an expression belongs. */
  readonly #postfixes: IOrAlt<Expr>[] = [
    {
      ALT: (): Expr => {
        const value = this.#operand;
        this.CONSUME(T.Dot);
        const ident = this.OPTION2(() => this.CONSUME(T.Ident));
        const name = this.ACTION(() => ident ?? this.#expectMismatch(T.Ident, "expected IDENT")) ?? this.LA(0);
        return this.ACTION(
          (): Expr => ({
            kind: "AccessExpr",
            value,
            name: { kind: "Ident", name: name.image, start: name.startOffset, end: end(name) },
            start: value.start,
            end: end(name),
          }),
        );
      },
    },
    {
      ALT: (): Expr => {
        const value = this.#operand;
        const lbrack = this.CONSUME(T.LBrack);
        const index = this.SUBRULE(this.expression);
        const closed = this.OPTION3(() => this.CONSUME(T.RBrack));
        const rbrack = this.ACTION(() => closed ?? this.#expectMismatch(T.RBrack, "expected ]")) ?? this.LA(0);
        return this.ACTION(
          (): Expr => ({
            kind: "IndexExpr",
            value,
            index,
            lbrack: lbrack.startOffset,
            rbrack: rbrack.startOffset,
            start: value.start,
            end: end(rbrack),
          }),
        );
      },
    },
    {
      ALT: (): Expr => {
        const value = this.#operand;
        const lparen = this.CONSUME(T.LParen);
        const args = this.SUBRULE(this.expressionList, { ARGS: [")"] });
        this.#expect("expected expression");
        const rparen = this.CONSUME(T.RParen);
        return this.ACTION(
          (): Expr => ({
            kind: "CallExpr",
            value,
            args,
            lparen: lparen.startOffset,
            rparen: rparen.startOffset,
            start: value.start,
            end: end(rparen),
          }),
        );
      },
    },
    {
      // A label-like string after an operand: alloy expects a block to follow (and rejects it as an expression).
      ALT: (): Expr => {
        const value = this.#operand;
        this.CONSUME(T.StringLit);
        const lcurly = this.OPTION4(() => this.CONSUME(T.LCurly));
        if (lcurly === undefined) {
          // Not a block after all: alloy reports the token, consumes it and skips the rest of the statement.
          this.ACTION(() => {
            this.#expectMismatch(T.LCurly, "expected {");
            this.#skipStatement();
          });
          return value;
        }
        this.SUBRULE(this.blockBody);
        this.#expect("expected }");
        const rcurly = this.CONSUME2(T.RCurly);
        this.ACTION(() => this.#blockAsExpression(value, rcurly));
        return value;
      },
    },
    {
      ALT: (): Expr => {
        const value = this.#operand;
        this.CONSUME2(T.LCurly);
        this.SUBRULE2(this.blockBody);
        this.#expect("expected }");
        const rcurly = this.CONSUME3(T.RCurly);
        this.ACTION(() => this.#blockAsExpression(value, rcurly));
        return value;
      },
    },
  ];

  /** The alternatives of primaryExpr. */
  readonly #primaryAlts: IOrAlt<Expr | undefined>[] = [
    {
      ALT: (): Expr => {
        const tok = this.CONSUME(T.Ident);
        return this.ACTION(() => ({
          kind: "IdentifierExpr",
          ident: { kind: "Ident", name: tok.image, start: tok.startOffset, end: end(tok) },
          start: tok.startOffset,
          end: end(tok),
        }));
      },
    },
    {
      ALT: (): Expr => {
        const tok = this.CONSUME(T.Literal);
        return this.ACTION(() => ({
          kind: "LiteralExpr",
          literal: LITERAL_KINDS.get(tok.tokenType) as LiteralKind,
          raw: tok.image,
          start: tok.startOffset,
          end: end(tok),
        }));
      },
    },
    {
      ALT: (): Expr => {
        const lparen = this.CONSUME(T.LParen);
        const inner = this.SUBRULE(this.expression);
        const closed = this.OPTION(() => this.CONSUME(T.RParen));
        const rparen = this.ACTION(() => closed ?? this.#expectMismatch(T.RParen, "expected )")) ?? this.LA(0);
        return this.ACTION(() => ({
          kind: "ParenExpr",
          inner,
          lparen: lparen.startOffset,
          rparen: rparen.startOffset,
          start: lparen.startOffset,
          end: end(rparen),
        }));
      },
    },
    {
      ALT: (): Expr => {
        const lbrack = this.CONSUME(T.LBrack);
        const elements = this.SUBRULE2(this.expressionList, { ARGS: ["]"] });
        this.#expect("expected expression");
        const rbrack = this.CONSUME(T.RBrack);
        return this.ACTION(() => ({
          kind: "ArrayExpr",
          elements,
          lbrack: lbrack.startOffset,
          rbrack: rbrack.startOffset,
          start: lbrack.startOffset,
          end: end(rbrack),
        }));
      },
    },
    {
      ALT: (): Expr => {
        const lcurly = this.CONSUME(T.LCurly);
        const fields: ObjectField[] = [];
        // alloy parses no fields at all when "]" follows "{" (its parser compares with the wrong bracket there), so
        // the error is then "expected }" rather than "expected field name".
        const bracketNext = this.ACTION(() => this.LA(1).tokenType === T.RBrack);
        this.MANY({
          // alloy's field loop runs up to "}" (or the end of input), whatever the tokens.
          GATE: () => bracketNext !== true && this.LA(1).tokenType !== T.RCurly && this.LA(1).tokenType !== EOF,
          DEF: () => {
            fields.push(this.SUBRULE(this.field));
            const comma = this.OPTION2(() => this.CONSUME(T.Comma));
            this.ACTION(() => {
              const next = this.LA(1);
              if (comma === undefined && next.tokenType !== T.RCurly && next.tokenType !== EOF) {
                this.#actionError(next, "missing ',' in field list", true);
                // alloy consumes the token that stands where the comma belongs (often the newline before "}").
                this.SKIP_TOKEN();
              }
            });
          },
        });
        const closed = this.OPTION3(() => this.CONSUME(T.RCurly));
        const rcurly = this.ACTION(() => closed ?? this.#expectMismatch(T.RCurly, "expected }")) ?? this.LA(0);
        return this.ACTION(() => ({
          kind: "ObjectExpr",
          fields,
          lcurly: lcurly.startOffset,
          rcurly: rcurly.startOffset,
          start: lcurly.startOffset,
          end: end(rcurly),
        }));
      },
    },
    {
      // Nothing that starts an expression: alloy reports "expected expression, got X" and skips to the end of the
      // statement (a TERMINATOR, a closing bracket or a comma), where parsing resumes. Doing the same keeps one
      // mistake from cascading into more errors than alloy reports.
      ALT: EMPTY_ALT(),
    },
  ];

  /**
   * PrimaryExpr  = LiteralValue | ArrayExpr | ObjectExpr
   * LiteralValue = identifier | string | number | float | bool | null | "(" Expression ")"
   * ArrayExpr    = "[" [ ExpressionList ] "]"
   * ObjectExpr   = "{" [ FieldList ] "}"
   */
  public primaryExpr = this.RULE("primaryExpr", (): Expr => {
    this.#expect("expected expression");
    const value: Expr | undefined = this.OR(this.#primaryAlts);
    return value ?? this.ACTION(() => this.#missingExpression());
  }, { recoveryValueFunc: () => PLACEHOLDER_EXPR });

  #missingExpression(): Expr {
    const tok = this.LA(1);
    this.#actionError(tok, `expected expression, got ${tokenName(tok)}`, true);
    while (this.LA(1).tokenType !== EOF && !STATEMENT_END.has(this.LA(1).tokenType)) this.SKIP_TOKEN();
    return PLACEHOLDER_EXPR;
  }

  #blockAsExpression(value: Expr, rcurly: IToken): void {
    this.#actionError(rcurly, "cannot use a block as an expression", false, value.start, end(rcurly), tokenIndex(rcurly) + 0.5);
  }

  /** ExpressionList = Expression { "," Expression } [ "," ] */
  public expressionList = this.RULE("expressionList", (closer: string): Expr[] => {
    const exprs: Expr[] = [];
    this.MANY({
      // alloy's list loop runs up to the closing bracket (or the end of input), whatever the tokens.
      GATE: () => this.LA(1).tokenType.name !== closer && this.LA(1).tokenType !== EOF,
      DEF: () => {
        const element = this.OR([
          {
            ALT: () => {
              exprs.push(this.SUBRULE(this.expression));
              return "expression";
            },
          },
          {
            // A token that cannot start an expression: "expected expression", then skip to the end of the statement.
            ALT: () => {
              const bad = this.CONSUME(T.NotExpressionStart);
              return this.ACTION(() => {
                this.#actionError(bad, `expected expression, got ${tokenName(bad)}`, true);
                // A statement end (a newline, a closing bracket) stands where the comma belongs: alloy's comma check
                // reports it on the same line (so the report is dropped) and consumes it as the separator.
                if (STATEMENT_END.has(bad.tokenType)) return "separator";
                while (this.LA(1).tokenType !== EOF && !STATEMENT_END.has(this.LA(1).tokenType)) this.SKIP_TOKEN();
                return "skipped";
              });
            },
          },
          {
            // A "," where an element belongs: reported, and it still separates the elements.
            ALT: () => {
              const comma = this.CONSUME2(T.Comma);
              this.ACTION(() => this.#actionError(comma, "expected expression, got ,", true));
              return "comma";
            },
          },
        ]);
        if (element === "comma" || element === "separator") return;
        const comma = this.OPTION(() => this.CONSUME(T.Comma));
        this.ACTION(() => {
          const next = this.LA(1);
          if (comma === undefined && next.tokenType.name !== closer && next.tokenType !== EOF) {
            this.#actionError(next, "missing ',' in expression list", true);
            // alloy consumes the token that stands where the comma belongs (often the newline before "]" or ")").
            this.SKIP_TOKEN();
          }
        });
      },
    });
    return exprs;
  }, { recoveryValueFunc: () => [] });

  /** Field = ( string | identifier ) "=" Expression */
  public field = this.RULE("field", (): ObjectField => {
    const key = this.OR([
      { ALT: () => this.CONSUME(T.FieldKey) },
      {
        // Not a field name: alloy reports it and skips to the next "=".
        ALT: () => {
          const bad = this.CONSUME(T.NotFieldKey);
          this.ACTION(() => {
            this.#actionError(bad, `expected field name (string or identifier), got ${tokenName(bad)}`, true);
            while (this.LA(1).tokenType !== T.Assign && this.LA(1).tokenType !== EOF) this.SKIP_TOKEN();
          });
          return bad;
        },
      },
      {
        // "=" with no name before it: reported, and it is still the field's "=".
        ALT: () => {
          const eq = this.CONSUME2(T.Assign);
          this.ACTION(() => this.#actionError(eq, "expected field name (string or identifier), got =", true));
          return eq;
        },
      },
    ]);
    if (key.tokenType !== T.Assign) {
      const assign = this.OPTION(() => this.CONSUME(T.Assign));
      this.ACTION(() => {
        if (assign === undefined) this.#expectMismatch(T.Assign, "expected =");
      });
    }
    const value = this.SUBRULE(this.expression);
    return this.ACTION((): ObjectField => {
      const quoted = key.tokenType === T.StringLit && key.image.length > 2;
      const name = quoted ? key.image.slice(1, -1) : key.image;
      return {
        kind: "ObjectField",
        name: { kind: "Ident", name, start: key.startOffset, end: end(key) },
        quoted,
        rawName: quoted ? key.image : undefined,
        value,
        start: key.startOffset,
        end: value.end,
      };
    });
  }, { recoveryValueFunc: (): ObjectField => PLACEHOLDER_FIELD });
}

/**
 * Builds the tree of a flat `operand (op operand)*` sequence with alloy's precedences: every operator is
 * left-associative except `^`, which is right-associative. Iterative (shunting-yard), so long chains cannot overflow.
 */
function buildBinary(operands: Expr[], ops: IToken[]): Expr {
  if (ops.length === 0) return operands[0] as Expr;
  const values: Expr[] = [operands[0] as Expr];
  const pending: IToken[] = [];
  const reduce = () => {
    const op = pending.pop() as IToken;
    const right = values.pop() as Expr;
    const left = values.pop() as Expr;
    values.push(binary(op, left, right));
  };
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i] as IToken;
    const prec = precedence(op);
    const rightAssoc = op.tokenType === T.Pow;
    while (pending.length > 0) {
      const top = precedence(pending[pending.length - 1] as IToken);
      if (top > prec || (top === prec && !rightAssoc)) reduce();
      else break;
    }
    pending.push(op);
    values.push(operands[i + 1] as Expr);
  }
  while (pending.length > 0) reduce();
  return values[0] as Expr;
}

function precedence(op: IToken): number {
  return BINARY_PRECEDENCE[BINARY_OPS.get(op.tokenType) as BinaryOp];
}

/** Where alloy stops skipping after a missing expression (its `statementEnd`). */
const STATEMENT_END: ReadonlySet<TokenType> = new Set([T.Terminator, T.RParen, T.RCurly, T.RBrack, T.Comma]);

function binary(op: IToken, left: Expr, right: Expr): Expr {
  return {
    kind: "BinaryExpr",
    op: BINARY_OPS.get(op.tokenType) as BinaryOp,
    opPos: op.startOffset,
    left,
    right,
    start: left.start,
    end: right.end,
  };
}
