import type { ISerializedGast } from "chevrotain";
import { createSyntaxDiagramsCode } from "./chevrotain.ts";
import { RiverParser } from "./parser.ts";

/**
 * The grammar as documents, generated from the Chevrotain parser itself so that they cannot drift from it:
 * grammar/river.ebnf (W3C-style EBNF) and grammar/river.html (railroad diagrams). `npm run gen:grammar` rewrites
 * them; a test fails when the committed files differ from what the parser generates.
 */
export function grammarProductions(): ISerializedGast[] {
  return new RiverParser().getSerializedGastProductions();
}

const LEXICAL = `(* River (Alloy configuration syntax) grammar, generated from river's Chevrotain parser by
   scripts/gen-grammar.mjs. Do not edit: change src/syntax/parser.ts and regenerate.

   Notation: ISO-style EBNF. { x } repeats x zero or more times, [ x ] is optional, ( a | b ) chooses.
   Terminals are alloy's token names. *)

(* ---- Lexical grammar (src/syntax/scanner.ts, alloy's syntax/scanner) ---- *)

letter        = ? any Unicode letter ? | "_" ;
digit         = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" ;
unicode_digit = ? any Unicode decimal digit ? ;

IDENT         = letter { letter | unicode_digit } ;         (* except the keywords below *)
BOOL          = "true" | "false" ;
NULL          = "null" ;
NUMBER        = digit { digit } ;
FLOAT         = ( digit { digit } "." { digit } | "." digit { digit } ) [ exponent ] | digit { digit } exponent ;
exponent      = ( "e" | "E" ) [ "+" | "-" ] digit { digit } ;
STRING        = '"' { ? any character but '"', "\\" and newline ? | escape } '"'
              | "\`" { ? any character but "\`" ? } "\`" ;   (* raw string, may span lines *)
escape        = "\\" ( "a" | "b" | "f" | "n" | "r" | "t" | "v" | "\\" | '"'
                     | octal octal octal | "x" hex hex | "u" hex hex hex hex | "U" hex hex hex hex hex hex hex hex ) ;
COMMENT       = "//" { ? any character but newline ? } | "/*" { ? any character ? } "*/" ;

(* TERMINATOR is inserted by the scanner at a newline (or at the end of input, or before a comment that runs to the
   end of the line) when the previous token was IDENT, a literal, ")", "]" or "}". *)

(* Token categories used by the parser: *)
Literal       = STRING | NUMBER | FLOAT | BOOL | NULL ;
FieldKey      = IDENT | STRING ;
UnaryOp       = "!" | "-" ;
BinaryOp      = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%" | "^" ;
(* Binary precedence, lowest first: || ; && ; == != < <= > >= ; + - ; * / % ; ^ (right-associative). *)
StrayInFile   = ? any token but IDENT ? ;           (* "expected identifier"; skipped up to the next IDENT *)
StrayInBlock  = ? any token but IDENT and "}" ? ;

(* ---- Syntactic grammar (src/syntax/parser.ts, alloy's syntax/parser) ----
   Separators written optional below are checked by the parser's actions: a statement's TERMINATOR may only be left
   out before the closing "}" or the end of the file ("expected TERMINATOR"), a "," only before the closing bracket
   ("missing ',' in expression list / field list"). In operExpr, [ STRING ] "{" blockBody "}" parses a block written
   where an expression belongs, to report "cannot use a block as an expression". ? nothing ? marks recovery
   alternatives that follow alloy's parser: in statement, "expected block body" and a skip to the next IDENT; in
   primaryExpr, "expected expression" and a skip to the end of the statement. A missing TERMINATOR skips the rest of
   the statement. A single token written optional ("." [ IDENT ], [ "]" ], [ ")" ], [ "=" ]) is required: when it is
   missing, the error is reported and whatever token stands there is consumed in its place, as alloy's expect()
   does. A block label must be a double-quoted valid identifier; an attribute name a single identifier. *)
`;

/** The grammar as EBNF text. */
export function grammarEbnf(productions: readonly ISerializedGast[] = grammarProductions()): string {
  const rules = productions.map((rule) => {
    const r = rule as ISerializedGast & { name: string; definition: ISerializedGast[] };
    return `${r.name.padEnd(13)} = ${sequence(r.definition)} ;`;
  });
  return `${LEXICAL}\n${rules.join("\n")}\n`;
}

function sequence(items: readonly ISerializedGast[]): string {
  return items.map(item).join(" ");
}

function item(node: ISerializedGast): string {
  const n = node as ISerializedGast & { name?: string; definition?: ISerializedGast[] };
  switch (n.type) {
    case "Terminal": {
      const name = n.name as string;
      return /^[A-Za-z]+$/.test(name) ? name : JSON.stringify(name);
    }
    case "NonTerminal":
      return n.name as string;
    case "Option":
      return `[ ${sequence(n.definition ?? [])} ]`;
    case "Repetition":
    case "RepetitionWithSeparator":
      return `{ ${sequence(n.definition ?? [])} }`;
    case "RepetitionMandatory":
    case "RepetitionMandatoryWithSeparator":
      return `${sequence(n.definition ?? [])} { ${sequence(n.definition ?? [])} }`;
    case "Alternation":
      return `( ${(n.definition ?? [])
        .map((alt) => sequence((alt as { definition: ISerializedGast[] }).definition) || "? nothing ?")
        .join(" | ")} )`;
    case "Alternative":
      return sequence(n.definition ?? []);
    default:
      return `? ${n.type} ?`;
  }
}

/** The railroad-diagram page (Chevrotain's generator; it loads its drawing scripts from unpkg when opened). */
export function grammarDiagramHtml(productions: readonly ISerializedGast[] = grammarProductions()): string {
  return createSyntaxDiagramsCode(productions as ISerializedGast[]);
}
