import type { Diagnostic } from "../diag/diagnostic.ts";
import { parse } from "../syntax/parse.ts";
import { Checker, type ModuleLoader } from "./checker.ts";
import type { CheckInputFile, CheckOptions, CheckResult, Located } from "./model.ts";

/**
 * Type-checks an Alloy configuration: a source string, or the files of a directory (which Alloy loads as one
 * config, so references across files resolve). Returns every problem found, errors and warnings, sorted by file
 * and position. Never throws on bad input.
 */
export function check(input: string | readonly CheckInputFile[], options: CheckOptions = {}): CheckResult {
  const files: readonly CheckInputFile[] = typeof input === "string" ? [{ filename: options.filename ?? "<stdin>", text: input }] : input;
  const syntax: Diagnostic[] = [];
  const stmts: Located[] = [];
  for (const f of files) {
    const parsed = parse(f.text, { filename: f.filename });
    for (const d of parsed.diagnostics) syntax.push(d); // not push(...): random bytes give 100,000s
    for (const stmt of parsed.file.body) stmts.push({ stmt, file: parsed.source });
  }
  const loadModule: ModuleLoader = (text, filename) => {
    const parsed = parse(text, { filename });
    return { stmts: parsed.file.body.map((stmt) => ({ stmt, file: parsed.source })), diagnostics: parsed.diagnostics };
  };
  const checker = new Checker(options, loadModule);
  const root = checker.newEnv("root", undefined, stmts, files[0]?.filename ?? "<stdin>");
  checker.run(root);
  const order = new Map(files.map((f, i) => [f.filename, i]));
  const diagnostics = [...syntax, ...checker.diagnostics].sort(
    (a, b) =>
      (order.get(a.filename) ?? files.length) - (order.get(b.filename) ?? files.length) ||
      compareCodeUnits(a.filename, b.filename) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1) ||
      compareCodeUnits(a.code, b.code) ||
      compareCodeUnits(a.message, b.message),
  );
  return { diagnostics };
}

/** Locale-independent string order, so that output is the same on every machine. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
