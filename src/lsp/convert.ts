import type { Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, Position, Range } from "vscode-languageserver";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { lineAt, SourceFile } from "../source/source-file.ts";
import { indexOfUtf8Column } from "../source/utf8.ts";
import { uriOf } from "./workspace.ts";

/**
 * LSP positions are UTF-16 line/character pairs, which is what river's offsets index (its columns count UTF-8 bytes
 * like alloy, and are only used here when a diagnostic has no offsets).
 */
function positionAt(file: SourceFile, offset: number): Position {
  const starts = file.lineStarts;
  const line = lineAt(starts, Math.max(0, Math.min(offset, file.text.length)));
  return { line: line - 1, character: Math.max(0, Math.min(offset, file.text.length)) - (starts[line - 1] as number) };
}

export function rangeOf(file: SourceFile, start: number, end: number): Range {
  return { start: positionAt(file, start), end: positionAt(file, Math.max(start, end)) };
}

export function offsetAt(file: SourceFile, position: Position): number {
  const starts = file.lineStarts;
  if (position.line < 0) return 0;
  const start = starts[position.line];
  if (start === undefined) return file.text.length;
  const next = starts[position.line + 1] ?? file.text.length + 1;
  return Math.min(start + Math.max(0, position.character), next - 1);
}

/** The UTF-16 offset of a 1-based line and UTF-8 byte column (what alloy-style messages print). */
function offsetOfLineColumn(file: SourceFile, line: number, column: number): number {
  const start = file.lineStarts[line - 1];
  if (start === undefined) return file.text.length;
  const next = file.lineStarts[line];
  return indexOfUtf8Column(file.text, column, start, next === undefined ? file.text.length : next - 1);
}

/** A "did you mean" the checker offers in a message, for the quick fix. */
export function suggestionOf(message: string): string | undefined {
  return /did you mean "([^"]+)"\?/.exec(message)?.[1];
}

/**
 * A river diagnostic as an LSP one: its range from the UTF-16 offsets, its code, and as related information the other
 * place a message names (`... already defined at FILE:LINE:COL`). `files` are the sources of the config by name.
 */
export function toLspDiagnostic(d: Diagnostic, file: SourceFile, files: ReadonlyMap<string, SourceFile>): LspDiagnostic {
  const start = d.start ?? offsetOfLineColumn(file, d.line, d.column);
  const end = d.end ?? (d.endLine !== undefined && d.endColumn !== undefined ? offsetOfLineColumn(file, d.endLine, d.endColumn) : start);
  const out: LspDiagnostic = {
    range: rangeOf(file, start, end),
    severity: d.severity === "error" ? 1 : 2,
    code: d.code,
    source: "river",
    message: d.message,
  };
  const related = relatedOf(d.message, file, files);
  if (related.length > 0) out.relatedInformation = related;
  return out;
}

function relatedOf(message: string, self: SourceFile, files: ReadonlyMap<string, SourceFile>): DiagnosticRelatedInformation[] {
  const out: DiagnosticRelatedInformation[] = [];
  const line = /\(first at line (\d+)\)/.exec(message)?.[1];
  if (line !== undefined) {
    const at = offsetOfLineColumn(self, Number(line), 1);
    out.push({ location: { uri: uriOf(self.name), range: rangeOf(self, at, at) }, message: "first here" });
  }
  for (const m of message.matchAll(/ at (\S+?):(\d+):(\d+)/g)) {
    const file = files.get(m[1] as string);
    if (file === undefined) continue;
    const at = offsetOfLineColumn(file, Number(m[2]), Number(m[3]));
    out.push({ location: { uri: uriOf(file.name), range: rangeOf(file, at, at) }, message: "first defined here" });
  }
  return out;
}
