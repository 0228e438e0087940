import type { File } from "../ast/ast.ts";
import { RiverSyntaxError, hasErrors } from "../diag/diagnostic.ts";
import { CHUNK_TOKENS, ParseSession, type ParseOptions } from "../syntax/parse.ts";
import { BytePositions } from "./positions.ts";
import { Printer } from "./printer.ts";
import { TabWriter } from "./tabwriter.ts";
import { Walker } from "./walker.ts";

/**
 * Formats River source exactly as `alloy fmt` does. Throws RiverSyntaxError (with every diagnostic) when the source
 * does not parse; alloy fmt refuses such input too.
 */
export function format(source: string, options: ParseOptions = {}): string {
  return decoder.decode(formatInChunks(source, options, CHUNK_TOKENS));
}

/**
 * `format`, returning the UTF-8 bytes of the result (what a file or standard output receives). The array may be a
 * view of a larger buffer: use it, or its byteOffset and byteLength, rather than its `.buffer` alone.
 */
export function formatToBytes(source: string, options: ParseOptions = {}): Uint8Array {
  return formatInChunks(source, options, CHUNK_TOKENS);
}

/** `formatToBytes` with a given chunk size (see CHUNK_TOKENS); the result never depends on it, which tests check. */
export function formatInChunks(source: string, options: ParseOptions, chunkTokens: number): Uint8Array {
  // Statements are printed as they are parsed and then dropped, so a large file never has its whole AST in memory.
  const session = new ParseSession(source, options, chunkTokens);
  const positions = new BytePositions(source, () => session.source.lineStarts);
  const tabs = new TabWriter(source.length);
  const printer = new Printer(positions, [], tabs);
  const walker = new Walker(printer, positions);
  for (let chunk = session.next(); chunk !== undefined; chunk = session.next()) {
    if (session.hasErrors) continue; // output will be thrown away: stop printing, keep parsing for diagnostics
    printer.addComments(chunk.comments);
    for (const stmt of chunk.statements) walker.topLevel(stmt);
  }
  const { diagnostics } = session.finish();
  if (hasErrors(diagnostics)) throw new RiverSyntaxError(diagnostics);
  printer.finish();
  return tabs.finish();
}

/**
 * Prints a parsed file. `text` is the source the AST's positions refer to: layout decisions (which lines elements
 * were on, where comments stood) come from it. The result ends with a newline, as alloy fmt's does.
 */
export function printFile(file: File, text: string): string {
  const positions = new BytePositions(text);
  const tabs = new TabWriter(text.length);
  const printer = new Printer(positions, file.comments, tabs);
  new Walker(printer, positions).file(file);
  printer.finish();
  return decoder.decode(tabs.finish());
}

const decoder = new TextDecoder();
