export { parse, type ParseOptions, type ParseResult } from "./syntax/parse.ts";
export { RiverSyntaxError, type Diagnostic, type Severity } from "./diag/diagnostic.ts";
export type * from "./ast/ast.ts";
export { format, printFile } from "./format/format.ts";
