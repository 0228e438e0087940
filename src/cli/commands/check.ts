import { readFileSync, readdirSync, statSync, type Stats } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Command } from "commander";
import type { CheckInputFile, ModuleRead } from "../../check/index.ts";
import type { Diagnostic } from "../../diag/diagnostic.ts";
import { decodeSource } from "../../source/decode.ts";
import { SourceFile } from "../../source/source-file.ts";
import { CliExit, type CliIO } from "../io.ts";

type Format = "text" | "json" | "github" | "sarif";
const FORMATS: readonly Format[] = ["text", "json", "github", "sarif"];

interface CheckCommandOptions {
  readonly format: string;
  readonly fragment?: boolean;
}

/**
 * `river check [paths...]`: type-checks configs. A file is one config; a directory is one config made of its
 * `*.alloy` files (like `alloy run DIR`); no path or `-` reads standard input. Exit 1 when any error is found,
 * 2 on usage or I/O problems.
 */
export function registerCheck(program: Command, io: CliIO): void {
  program
    .command("check")
    .description("Type-check Alloy configuration: components, attributes, types, references, rules")
    .argument("[paths...]", "files or directories (a directory is one config of its *.alloy files); - for stdin")
    .option("--format <format>", `output format: ${FORMATS.join(", ")}`, "text")
    .option("--fragment", "check an incomplete config: undefined references are assumed to exist")
    .action(async (paths: string[], opts: CheckCommandOptions) => {
      const format = opts.format as Format;
      if (!FORMATS.includes(format)) {
        io.stderr(`river check: unknown --format "${opts.format}"; use one of ${FORMATS.join(", ")}\n`);
        throw new CliExit(2);
      }
      // Loaded on demand: the checker and its schema are most of the CLI's start-up cost, and other commands don't need them.
      const { check } = await import("../../check/index.ts");
      const configs = await loadConfigs(paths.length === 0 ? ["-"] : paths, io);
      const all: Diagnostic[] = [];
      const texts = new Map<string, string>();
      for (const files of configs) {
        for (const f of files) texts.set(f.filename, f.text);
        const result = check(files, {
          fragment: opts.fragment === true,
          readModule: (path, from) => readModule(io, path, from),
        });
        all.push(...result.diagnostics);
      }
      io.stdout(render(all, format, texts));
      if (all.some((d) => d.severity === "error")) throw new CliExit(1);
    });
}

async function loadConfigs(paths: readonly string[], io: CliIO): Promise<CheckInputFile[][]> {
  const configs: CheckInputFile[][] = [];
  for (const p of paths) {
    if (p === "-") {
      const bytes = await io.readStdin();
      configs.push([{ filename: "<stdin>", text: decodeSource(bytes) }]);
      continue;
    }
    const abs = resolve(io.cwd, p);
    try {
      if (statSync(abs).isDirectory()) {
        const names = readdirSync(abs).filter((n) => n.endsWith(".alloy")).sort();
        if (names.length === 0) {
          io.stderr(`river check: ${p}: no .alloy files in directory\n`);
          throw new CliExit(2);
        }
        configs.push(names.map((n) => ({ filename: join(p, n), text: decodeSource(readFileSync(join(abs, n))) })));
      } else {
        configs.push([{ filename: p, text: decodeSource(readFileSync(abs)) }]);
      }
    } catch (err) {
      if (err instanceof CliExit) throw err;
      io.stderr(`river check: ${p}: ${err instanceof Error ? err.message : String(err)}\n`);
      throw new CliExit(2);
    }
  }
  return configs;
}

function readModule(io: CliIO, path: string, from: string): ModuleRead {
  const base = from === "<stdin>" ? io.cwd : dirname(resolve(io.cwd, from));
  const abs = isAbsolute(path) ? path : resolve(base, path);
  try {
    // Stat first: reading a FIFO waits for a writer forever and a device such as /dev/zero never ends.
    const stat = statSync(abs);
    if (!stat.isFile() && !stat.isDirectory()) return { error: `${path} is ${specialFileKind(stat)}, not a regular file` };
    return decodeSource(readFileSync(abs));
  } catch {
    return undefined;
  }
}

function specialFileKind(stat: Stats): string {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "a special file";
}

export function render(diags: readonly Diagnostic[], format: Format, texts: ReadonlyMap<string, string>): string {
  switch (format) {
    case "json":
      return JSON.stringify({ diagnostics: diags }, null, 2) + "\n";
    case "github":
      return diags
        .map((d) => {
          const kind = d.severity === "error" ? "error" : "warning";
          const end = d.endLine !== undefined ? `,endLine=${d.endLine},endColumn=${d.endColumn}` : "";
          return `::${kind} file=${ghEscape(d.filename, true)},line=${d.line},col=${d.column}${end},title=${ghEscape(d.code, true)}::${ghEscape(d.message, false)}\n`;
        })
        .join("");
    case "sarif":
      return JSON.stringify(sarif(diags, texts), null, 2) + "\n";
    case "text":
      return renderText(diags, texts);
  }
}

function ghEscape(s: string, property: boolean): string {
  let out = s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  if (property) out = out.replace(/:/g, "%3A").replace(/,/g, "%2C");
  return out;
}

/** alloy-style: `Error: file:line:col: message`, the source line, and a caret under the range. */
export function renderText(diags: readonly Diagnostic[], texts: ReadonlyMap<string, string>): string {
  const files = new Map<string, SourceFile>();
  let out = "";
  for (const d of diags) {
    out += `${d.severity === "error" ? "Error" : "Warning"}: ${d.filename}:${d.line}:${d.column}: ${d.message} [${d.code}]\n`;
    const text = texts.get(d.filename);
    if (text === undefined) continue;
    let file = files.get(d.filename);
    if (file === undefined) {
      file = new SourceFile(d.filename, text);
      files.set(d.filename, file);
    }
    const line = file.lineText(d.line);
    // Columns are UTF-8 byte columns; the caret goes under the same characters.
    const startChar = charIndexOfByteColumn(line, d.column);
    const endChar = d.endLine === d.line && d.endColumn !== undefined ? charIndexOfByteColumn(line, d.endColumn) : line.length;
    const width = Math.max(1, endChar - startChar);
    const gutter = String(d.line).length;
    const pad = line.slice(0, startChar).replace(/[^\t]/g, " ");
    out += `${" ".repeat(gutter)} |\n${d.line} | ${line}\n${" ".repeat(gutter)} | ${pad}${"^".repeat(width)}\n\n`;
  }
  const errors = diags.filter((d) => d.severity === "error").length;
  const warnings = diags.length - errors;
  if (diags.length > 0) out += `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}\n`;
  return out;
}

function charIndexOfByteColumn(line: string, column: number): number {
  let bytes = 0;
  let i = 0;
  for (const ch of line) {
    if (bytes >= column - 1) return i;
    const cp = ch.codePointAt(0) as number;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += ch.length;
  }
  return i;
}

/**
 * SARIF 2.1.0. SARIF counts columns in UTF-16 code units by default, river (like alloy) in UTF-8 bytes: columns are
 * converted with the file's text where it is known.
 */
function sarif(diags: readonly Diagnostic[], texts: ReadonlyMap<string, string>): unknown {
  const rules = [...new Set(diags.map((d) => d.code))].sort();
  const files = new Map<string, SourceFile>();
  const column = (filename: string, line: number, byteColumn: number): number => {
    const text = texts.get(filename);
    if (text === undefined) return byteColumn;
    let file = files.get(filename);
    if (file === undefined) files.set(filename, (file = new SourceFile(filename, text)));
    return charIndexOfByteColumn(file.lineText(line), byteColumn) + 1;
  };
  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: { driver: { name: "river", rules: rules.map((id) => ({ id })) } },
        columnKind: "utf16CodeUnits",
        results: diags.map((d) => ({
          ruleId: d.code,
          level: d.severity === "error" ? "error" : "warning",
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.filename.split("\\").join("/") },
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

