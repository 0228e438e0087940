import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { Command } from "commander";
import type { GraphInputFile } from "../../graph/index.ts";
import { decodeSource } from "../../source/decode.ts";
import { CliExit, type CliIO } from "../io.ts";
import { renderText } from "./check.ts";

type Format = "mermaid" | "dot" | "svg";
const FORMATS: readonly Format[] = ["mermaid", "dot", "svg"];

/**
 * `river graph [paths...]`: the component graph of one config, drawn as Mermaid, DOT or SVG on standard output. The
 * paths together are the config (a directory contributes its `*.alloy` files, as with `alloy run DIR`); no path or
 * `-` reads standard input. Broken references are drawn and reported on standard error: exit 1 when there are any,
 * 2 on usage or I/O problems.
 */
export function registerGraph(program: Command, io: CliIO): void {
  program
    .command("graph")
    .description("Draw the component graph of a config: components, references, modules (Mermaid, DOT or SVG)")
    .argument("[paths...]", "the files of one config, or its directory (*.alloy files); - for stdin")
    .option("--format <format>", `output format: ${FORMATS.join(", ")}`, "mermaid")
    .action(async (paths: string[], opts: { format: string }) => {
      const format = opts.format as Format;
      if (!FORMATS.includes(format)) {
        io.stderr(`river graph: unknown --format "${opts.format}"; use one of ${FORMATS.join(", ")}\n`);
        throw new CliExit(2);
      }
      const files = await loadConfig(paths.length === 0 ? ["-"] : paths, io);
      // Loaded on demand, as `check` does: the checker and its schema are most of the start-up cost.
      const { renderGraph, renderGraphSvg } = await import("../../graph/index.ts");
      const options = { readModule: (path: string, from: string) => readModule(io, path, from) };
      const result = format === "svg" ? await renderGraphSvg(files, options) : renderGraph(files, format, options);
      io.stdout(result.text);
      if (result.diagnostics.length > 0) io.stderr(renderText(result.diagnostics, new Map(files.map((f) => [f.filename, f.text]))));
      if (result.diagnostics.some((d) => d.severity === "error")) throw new CliExit(1);
    });
}

async function loadConfig(paths: readonly string[], io: CliIO): Promise<GraphInputFile[]> {
  const files: GraphInputFile[] = [];
  // A file named twice (`river graph conf conf/a.alloy`) is one file of the config, not a duplicate of each component.
  const seen = new Set<string>();
  const add = (filename: string, abs: string) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    files.push({ filename, text: decodeSource(readFileSync(abs)) });
  };
  for (const p of paths) {
    if (p === "-") {
      files.push({ filename: "<stdin>", text: decodeSource(await io.readStdin()) });
      continue;
    }
    const abs = resolve(io.cwd, p);
    try {
      if (statSync(abs).isDirectory()) {
        const names = readdirSync(abs).filter((n) => n.endsWith(".alloy")).sort();
        if (names.length === 0) {
          io.stderr(`river graph: ${p}: no .alloy files in directory\n`);
          throw new CliExit(2);
        }
        for (const n of names) add(join(p, n), join(abs, n));
      } else {
        add(p, abs);
      }
    } catch (err) {
      if (err instanceof CliExit) throw err;
      io.stderr(`river graph: ${p}: ${err instanceof Error ? err.message : String(err)}\n`);
      throw new CliExit(2);
    }
  }
  return files;
}

/** `import.file` paths are relative to the importing file's directory (standard input: the working directory). */
function readModule(io: CliIO, path: string, from: string): string | undefined {
  const base = from === "<stdin>" ? io.cwd : dirname(resolve(io.cwd, from));
  try {
    return decodeSource(readFileSync(isAbsolute(path) ? path : resolve(base, path)));
  } catch {
    return undefined;
  }
}
