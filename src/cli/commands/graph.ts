import { realpathSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import type { GraphInputFile } from "../../graph/index.ts";
import { decodeSource } from "../../source/decode.ts";
import { EXIT_PROBLEMS, EXIT_USAGE } from "../exit.ts";
import { expandPaths, moduleReader, readInput, STDIN_NAME, UnreadableInput, type InputProblem } from "../files.ts";
import { CliExit, type CliIO } from "../io.ts";
import { renderDiagnostics, renderInputProblems } from "../render.ts";

type Format = "mermaid" | "dot" | "svg";
const FORMATS: readonly Format[] = ["mermaid", "dot", "svg"];

/**
 * `river graph [paths...]`: the component graph of one config, drawn as Mermaid, DOT or SVG on standard output. The
 * paths together are the config (a directory contributes its `*.alloy` files, as with `alloy run DIR`); no path or
 * `-` reads standard input. Broken references are drawn, and reported on standard error: exit 1 when there are any;
 * inputs that can't be read are reported and the rest drawn, exit 2.
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
        throw new CliExit(EXIT_USAGE);
      }
      const args = paths.length === 0 ? ["-"] : paths;
      if (args.filter((p) => p === "-").length > 1) {
        io.stderr("river graph: standard input (-) can be read only once; give `-` once\n");
        throw new CliExit(EXIT_USAGE);
      }
      const { files, problems } = await loadConfig(args, io);
      io.stderr(renderInputProblems("graph", problems));
      if (files.length === 0) throw new CliExit(EXIT_USAGE);
      // Loaded on demand, as `check` does: the checker and its schema are most of the start-up cost.
      const { renderGraph, renderGraphSvg } = await import("../../graph/index.ts");
      const options = { readModule: moduleReader(io.cwd) };
      const result = format === "svg" ? await renderGraphSvg(files, options) : renderGraph(files, format, options);
      io.stdout(result.text);
      const texts = new Map(files.map((f) => [f.filename, f.text]));
      if (result.diagnostics.length > 0) io.stderr(renderDiagnostics(result.diagnostics, { format: "text", texts }));
      if (problems.length > 0) throw new CliExit(EXIT_USAGE);
      if (result.diagnostics.some((d) => d.severity === "error")) throw new CliExit(EXIT_PROBLEMS);
    });
}

/** The files of the config, and the inputs that could not be used. */
async function loadConfig(paths: readonly string[], io: CliIO): Promise<{ files: GraphInputFile[]; problems: InputProblem[] }> {
  const files: GraphInputFile[] = [];
  const { inputs, problems } = expandPaths(
    paths.filter((p) => p !== "-"),
    io.cwd,
    { recursive: false },
  );
  const byPath = new Map(inputs.map((i) => [i.path, i]));
  // A file named twice (`river graph conf conf/a.alloy`) is one file of the config, not a duplicate of each component.
  const seen = new Set<string>();
  for (const p of paths) {
    if (p === "-") {
      files.push({ filename: STDIN_NAME, text: decodeSource(await io.readStdin()) });
      continue;
    }
    const input = byPath.get(p);
    if (input === undefined) continue; // reported by expandPaths
    if (input.directory && input.files.length === 0) problems.push({ path: p, message: "no .alloy files in directory" });
    for (const f of input.files) {
      const key = realPath(resolve(io.cwd, f));
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        files.push({ filename: f, text: decodeSource(readInput(f, io.cwd)) });
      } catch (err) {
        if (!(err instanceof UnreadableInput)) throw err;
        problems.push({ path: err.path, message: err.reason });
      }
    }
  }
  return { files, problems };
}

function realPath(abs: string): string {
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}
