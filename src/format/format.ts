import type { File } from "../ast/ast.ts";
import { RiverSyntaxError, hasErrors } from "../diag/diagnostic.ts";
import { parse, type ParseOptions } from "../syntax/parse.ts";
import { BytePositions } from "./positions.ts";
import { Printer } from "./printer.ts";
import { tabwrite } from "./tabwriter.ts";
import { trim } from "./trimmer.ts";
import { Walker } from "./walker.ts";

/**
 * Formats River source exactly as `alloy fmt` does. Throws RiverSyntaxError (with every diagnostic) when the source
 * does not parse; alloy fmt refuses such input too.
 */
export function format(source: string, options: ParseOptions = {}): string {
  const { file, diagnostics } = parse(source, options);
  if (hasErrors(diagnostics)) throw new RiverSyntaxError(diagnostics);
  return printFile(file, source);
}

/**
 * Prints a parsed file. `text` is the source the AST's positions refer to: layout decisions (which lines elements
 * were on, where comments stood) come from it. The result ends with a newline, as alloy fmt's does.
 */
export function printFile(file: File, text: string): string {
  const positions = new BytePositions(text);
  const printer = new Printer(positions, file.comments);
  new Walker(printer, positions).file(file);
  printer.finish();
  return trim(tabwrite(printer.output)) + "\n";
}
