import type { SourceFile } from "../source/source-file.ts";

export type Severity = "error" | "warning";

/**
 * One problem found in a source. Every stage of river (parser, checker, simulators, generator) reports these.
 *
 * `line`/`column` are 1-based; the column counts UTF-8 bytes like alloy. `endLine`/`endColumn` (exclusive) give the
 * range to underline when known. `code` is a stable, machine-readable identifier such as `E_SYNTAX` or `UNKNOWN_ATTRIBUTE`.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly filename: string;
  readonly line: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn?: number;
  /** UTF-16 offsets of the range in the source text, when known. */
  readonly start?: number;
  readonly end?: number;
}

/** Builds a diagnostic for the half-open range `[start, end)` of `file`. */
export function diagnosticAt(
  file: SourceFile,
  severity: Severity,
  code: string,
  message: string,
  start: number,
  end: number = start,
): Diagnostic {
  const s = file.position(start);
  const e = file.position(Math.max(end, start));
  return {
    severity,
    code,
    message,
    filename: file.name,
    line: s.line,
    column: s.column,
    endLine: e.line,
    endColumn: e.column,
    start,
    end: Math.max(end, start),
  };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** `file:line:col: message`, the one-line form alloy prints. */
export function formatDiagnosticLine(d: Diagnostic): string {
  return `${d.filename}:${d.line}:${d.column}: ${d.message}`;
}

/**
 * Thrown by the convenience APIs (`format`, ...) when the input has errors. `diagnostics` holds every problem found,
 * the first being the one alloy would report first.
 */
export class RiverSyntaxError extends Error {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more diagnostics)` : "";
    super(first ? `${formatDiagnosticLine(first)}${more}` : "syntax error");
    this.name = "RiverSyntaxError";
    this.diagnostics = diagnostics;
  }
}
