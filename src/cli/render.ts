import { isAbsolute, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { InvalidArgumentError } from "commander";
import { formatDiagnosticLine, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import { indexOfUtf8Column } from "../source/utf8.ts";
import { STDIN_NAME, type InputProblem } from "./files.ts";

/**
 * How commands print diagnostics, shared by every command that reports them: alloy-like text with the source line and
 * a caret, JSON, GitHub workflow annotations, or SARIF 2.1.0; and `file:line:col: message` lines (`fmt`).
 *
 * Every form keeps at most `maxPerFile` diagnostics of each file (0 = all), in the order given, and says how many it
 * left out, as compilers do, so that a file of random bytes does not print half a million lines: text prints
 * `... and N more errors in FILE`, JSON adds `omitted: [{filename, errors, warnings}]`, GitHub a notice annotation per
 * file, SARIF a tool execution notification per file.
 */
export type OutputFormat = "text" | "json" | "github" | "sarif";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "github", "sarif"];

/** The default of `--max-diagnostics`. */
export const DEFAULT_MAX_DIAGNOSTICS = 100;

export interface RenderOptions {
  readonly format: OutputFormat;
  /** The texts of the files, by filename: for the text form's source lines and SARIF's UTF-16 columns. */
  readonly texts?: ReadonlyMap<string, string>;
  /** Diagnostics kept per file; 0 keeps all. Default DEFAULT_MAX_DIAGNOSTICS. */
  readonly maxPerFile?: number;
  /** The directory relative filenames are relative to: SARIF's `%SRCROOT%`, when given. */
  readonly cwd?: string;
}

/** What the cap left out of one file. */
export interface Omitted {
  readonly filename: string;
  readonly errors: number;
  readonly warnings: number;
}

export function renderDiagnostics(diags: readonly Diagnostic[], options: RenderOptions): string {
  const texts = options.texts ?? new Map<string, string>();
  const { shown, omitted } = capDiagnostics(diags, options.maxPerFile ?? DEFAULT_MAX_DIAGNOSTICS);
  switch (options.format) {
    case "json":
      return JSON.stringify(omitted.length > 0 ? { diagnostics: shown, omitted } : { diagnostics: shown }, null, 2) + "\n";
    case "github":
      return renderGithub(shown, omitted);
    case "sarif":
      return JSON.stringify(sarif(shown, omitted, texts, options.cwd), null, 2) + "\n";
    case "text":
      return renderText(diags, shown, omitted, texts);
  }
}

/** `file:line:col: message` lines (alloy's one-line form), capped like renderDiagnostics. */
export function renderDiagnosticLines(diags: readonly Diagnostic[], maxPerFile: number = DEFAULT_MAX_DIAGNOSTICS): string {
  const { shown, omitted } = capDiagnostics(diags, maxPerFile);
  return shown.map((d) => `${formatDiagnosticLine(d)}\n`).join("") + omitted.map((o) => `${omittedText(o)}\n`).join("");
}

/** `river CMD: path: message` for each input that could not be used. */
export function renderInputProblems(command: string, problems: readonly InputProblem[]): string {
  return problems.map((p) => `river ${command}: ${p.path}: ${p.message}\n`).join("");
}

/** Keeps the first `maxPerFile` diagnostics of each file (all when 0) and counts the others per file. */
export function capDiagnostics(diags: readonly Diagnostic[], maxPerFile: number): { shown: Diagnostic[]; omitted: Omitted[] } {
  if (maxPerFile <= 0) return { shown: [...diags], omitted: [] };
  const kept = new Map<string, number>();
  const left = new Map<string, { errors: number; warnings: number }>();
  const shown: Diagnostic[] = [];
  for (const d of diags) {
    const n = kept.get(d.filename) ?? 0;
    if (n < maxPerFile) {
      kept.set(d.filename, n + 1);
      shown.push(d);
      continue;
    }
    let counts = left.get(d.filename);
    if (counts === undefined) left.set(d.filename, (counts = { errors: 0, warnings: 0 }));
    if (d.severity === "error") counts.errors++;
    else counts.warnings++;
  }
  return { shown, omitted: [...left].map(([filename, c]) => ({ filename, ...c })) };
}

/** `... and 12 more errors in big.alloy (--max-diagnostics 0 shows them all)`. */
export function omittedText(o: Omitted): string {
  const parts: string[] = [];
  if (o.errors > 0) parts.push(`${o.errors} more error${o.errors === 1 ? "" : "s"}`);
  if (o.warnings > 0) parts.push(`${o.warnings} more warning${o.warnings === 1 ? "" : "s"}`);
  return `... and ${parts.join(" and ")} in ${o.filename} (--max-diagnostics 0 shows them all)`;
}

/** Parses `--max-diagnostics` (a commander option parser): a whole number, 0 for no limit. */
export function parseMaxDiagnostics(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("it must be a whole number (0 for no limit).");
  return Number(value);
}

function renderGithub(shown: readonly Diagnostic[], omitted: readonly Omitted[]): string {
  const lines = shown.map((d) => {
    const kind = d.severity === "error" ? "error" : "warning";
    const end = d.endLine !== undefined ? `,endLine=${d.endLine},endColumn=${d.endColumn}` : "";
    return `::${kind} file=${ghEscape(d.filename, true)},line=${d.line},col=${d.column}${end},title=${ghEscape(d.code, true)}::${ghEscape(d.message, false)}\n`;
  });
  for (const o of omitted) lines.push(`::notice file=${ghEscape(o.filename, true)}::${ghEscape(omittedText(o), false)}\n`);
  return lines.join("");
}

function ghEscape(s: string, property: boolean): string {
  let out = s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  if (property) out = out.replace(/:/g, "%3A").replace(/,/g, "%2C");
  return out;
}

/** Source lines of the files whose texts are known, each file's line table built once. */
class Lines {
  readonly #texts: ReadonlyMap<string, string>;
  readonly #files = new Map<string, SourceFile>();

  constructor(texts: ReadonlyMap<string, string>) {
    this.#texts = texts;
  }

  /** The text of a line, or undefined when the file's text is not known. */
  text(filename: string, line: number): string | undefined {
    let file = this.#files.get(filename);
    if (file === undefined) {
      const text = this.#texts.get(filename);
      if (text === undefined) return undefined;
      this.#files.set(filename, (file = new SourceFile(filename, text)));
    }
    return file.lineText(line);
  }
}

/** alloy-style: `Error: file:line:col: message`, the source line, and a caret under the range; then the counts. */
/** Lines longer than this are shown as a window of WINDOW_CONTEXT characters either side of the range. */
const MAX_SHOWN_LINE = 240;
const WINDOW_CONTEXT = 80;

function renderText(all: readonly Diagnostic[], shown: readonly Diagnostic[], omitted: readonly Omitted[], texts: ReadonlyMap<string, string>): string {
  const lines = new Lines(texts);
  let out = "";
  for (const d of shown) {
    out += `${d.severity === "error" ? "Error" : "Warning"}: ${d.filename}:${d.line}:${d.column}: ${d.message} [${d.code}]\n`;
    const full = lines.text(d.filename, d.line);
    if (full === undefined) continue;
    // Columns count UTF-8 bytes; the caret goes under the same characters.
    const fullStart = indexOfUtf8Column(full, d.column);
    const fullEnd = d.endLine === d.line && d.endColumn !== undefined ? indexOfUtf8Column(full, d.endColumn) : full.length;
    // A long line (minified text, noise without newlines) is shown as a window around the range, so that the output
    // stays proportional to the number of diagnostics, not to their count times the line's length.
    const from = full.length > MAX_SHOWN_LINE ? Math.max(0, fullStart - WINDOW_CONTEXT) : 0;
    const to = full.length > MAX_SHOWN_LINE ? Math.min(full.length, Math.max(fullEnd, fullStart + 1) + WINDOW_CONTEXT) : full.length;
    const before = from > 0 ? "…" : "";
    const line = before + full.slice(from, to) + (to < full.length ? "…" : "");
    const startChar = fullStart - from + before.length;
    const endChar = Math.min(fullEnd, to) - from + before.length;
    const width = Math.max(1, endChar - startChar);
    const gutter = String(d.line).length;
    const pad = line.slice(0, startChar).replace(/[^\t]/g, " ");
    out += `${" ".repeat(gutter)} |\n${d.line} | ${line}\n${" ".repeat(gutter)} | ${pad}${"^".repeat(width)}\n\n`;
  }
  for (const o of omitted) out += `${omittedText(o)}\n`;
  const errors = all.filter((d) => d.severity === "error").length;
  const warnings = all.length - errors;
  if (all.length > 0) out += `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`;
  return out;
}

/**
 * A SARIF artifact location. A relative path becomes a relative URI reference against `%SRCROOT%` (the working
 * directory), each segment percent-encoded as RFC 3986 requires (spaces, `%`, `#`, `?`, non-ASCII); an absolute path a
 * `file:` URI. Standard input has no URI: it is the run's artifact 0 (described as standard input, its text embedded),
 * referred to by index.
 */
type ArtifactLocation = { uri: string; uriBaseId?: string } | { index: number; description: { text: string } };

const SRCROOT = "%SRCROOT%";

function artifactLocation(filename: string): ArtifactLocation {
  if (filename === STDIN_NAME) return { index: 0, description: { text: "standard input" } };
  if (isAbsolute(filename)) return { uri: pathToFileURL(filename).href };
  return { uri: filename.split(sep).map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

/**
 * SARIF 2.1.0. SARIF counts columns in UTF-16 code units by default, river (like alloy) in UTF-8 bytes: columns are
 * converted with the file's text where it is known.
 */
function sarif(shown: readonly Diagnostic[], omitted: readonly Omitted[], texts: ReadonlyMap<string, string>, cwd: string | undefined): unknown {
  const rules = [...new Set(shown.map((d) => d.code))].sort();
  const lines = new Lines(texts);
  const column = (filename: string, line: number, byteColumn: number): number => {
    const text = lines.text(filename, line);
    return text === undefined ? byteColumn : indexOfUtf8Column(text, byteColumn) + 1;
  };
  const filenames = [...shown.map((d) => d.filename), ...omitted.map((o) => o.filename)];
  const usesStdin = filenames.includes(STDIN_NAME);
  const usesRelative = filenames.some((f) => f !== STDIN_NAME && !isAbsolute(f));
  const stdinText = texts.get(STDIN_NAME);
  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: { driver: { name: "river", rules: rules.map((id) => ({ id })) } },
        ...(usesRelative && cwd !== undefined
          ? { originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd.endsWith(sep) ? cwd : cwd + sep).href } } }
          : {}),
        ...(omitted.length > 0
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: omitted.map((o) => ({
                    level: "note",
                    message: { text: omittedText(o) },
                    locations: [{ physicalLocation: { artifactLocation: artifactLocation(o.filename) } }],
                  })),
                },
              ],
            }
          : {}),
        ...(usesStdin
          ? {
              artifacts: [
                {
                  location: { description: { text: "standard input" } },
                  ...(stdinText !== undefined ? { contents: { text: stdinText } } : {}),
                },
              ],
            }
          : {}),
        columnKind: "utf16CodeUnits",
        results: shown.map((d) => ({
          ruleId: d.code,
          level: d.severity === "error" ? "error" : "warning",
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(d.filename),
                region: {
                  startLine: d.line,
                  startColumn: column(d.filename, d.line, d.column),
                  ...(d.endLine !== undefined && d.endColumn !== undefined
                    ? { endLine: d.endLine, endColumn: column(d.filename, d.endLine, d.endColumn) }
                    : {}),
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
