import type { Command } from "commander";
import type { CheckInputFile } from "../../check/index.ts";
import type { Diagnostic } from "../../diag/diagnostic.ts";
import { decodeSource } from "../../source/decode.ts";
import { expandPaths, moduleReader, readInput, STDIN_NAME, UnreadableInput, type InputProblem } from "../files.ts";
import { EXIT_PROBLEMS, EXIT_USAGE } from "../exit.ts";
import { CliExit, type CliIO } from "../io.ts";
import {
  DEFAULT_MAX_DIAGNOSTICS,
  OUTPUT_FORMATS,
  parseMaxDiagnostics,
  renderDiagnostics,
  renderInputProblems,
  type OutputFormat,
} from "../render.ts";

interface CheckCommandOptions {
  readonly format: string;
  readonly fragment?: boolean;
  readonly maxDiagnostics: number;
}

/**
 * `river check [paths...]`: type-checks configs. A file is one config; a directory is one config made of its
 * `*.alloy` files (like `alloy run DIR`, not recursive); no path or `-` reads standard input (once: `-` may be given
 * only once). Inputs that cannot be read are reported one by one and the others still checked. Exit 1 when any error
 * is found, 2 on usage problems or unreadable inputs.
 */
export function registerCheck(program: Command, io: CliIO): void {
  program
    .command("check")
    .description("Type-check Alloy configuration: components, attributes, types, references, rules")
    .argument("[paths...]", "files or directories (a directory is one config of its *.alloy files); - for stdin")
    .option("--format <format>", `output format: ${OUTPUT_FORMATS.join(", ")}`, "text")
    .option("--fragment", "check an incomplete config: undefined references are assumed to exist")
    .option("--max-diagnostics <n>", "diagnostics shown per file, 0 for all", parseMaxDiagnostics, DEFAULT_MAX_DIAGNOSTICS)
    .action(async (paths: string[], opts: CheckCommandOptions) => {
      const format = opts.format as OutputFormat;
      if (!OUTPUT_FORMATS.includes(format)) {
        io.stderr(`river check: unknown --format "${opts.format}"; use one of ${OUTPUT_FORMATS.join(", ")}\n`);
        throw new CliExit(EXIT_USAGE);
      }
      const args = paths.length === 0 ? ["-"] : paths;
      if (args.filter((p) => p === "-").length > 1) {
        io.stderr("river check: standard input (-) can be read only once; give `-` once\n");
        throw new CliExit(EXIT_USAGE);
      }
      // Loaded on demand: the checker and its schema are most of the CLI's start-up cost, and other commands don't need them.
      const { check } = await import("../../check/index.ts");
      const { configs, problems } = await loadConfigs(args, io);
      const all: Diagnostic[] = [];
      const texts = new Map<string, string>();
      for (const files of configs) {
        for (const f of files) texts.set(f.filename, f.text);
        const result = check(files, {
          fragment: opts.fragment === true,
          readModule: moduleReader(io.cwd),
        });
        for (const d of result.diagnostics) all.push(d); // not push(...): a file of noise has 100,000s of them
      }
      io.stderr(renderInputProblems("check", problems));
      io.stdout(renderDiagnostics(all, { format, texts, maxPerFile: opts.maxDiagnostics, cwd: io.cwd }));
      if (problems.length > 0) throw new CliExit(EXIT_USAGE);
      if (all.some((d) => d.severity === "error")) throw new CliExit(EXIT_PROBLEMS);
    });
}

/** The configs to check (a file or a directory each) and the inputs that could not be read. */
async function loadConfigs(paths: readonly string[], io: CliIO): Promise<{ configs: CheckInputFile[][]; problems: InputProblem[] }> {
  const configs: CheckInputFile[][] = [];
  const files = paths.filter((p) => p !== "-");
  const { inputs, problems } = expandPaths(files, io.cwd, { recursive: false });
  const byPath = new Map(inputs.map((i) => [i.path, i]));
  for (const p of paths) {
    if (p === "-") {
      configs.push([{ filename: STDIN_NAME, text: decodeSource(await io.readStdin()) }]);
      continue;
    }
    const input = byPath.get(p);
    if (input === undefined) continue; // reported by expandPaths
    if (input.directory && input.files.length === 0) {
      problems.push({ path: p, message: "no .alloy files in directory" });
      continue;
    }
    const config: CheckInputFile[] = [];
    for (const f of input.files) {
      try {
        config.push({ filename: f, text: decodeSource(readInput(f, io.cwd)) });
      } catch (err) {
        if (!(err instanceof UnreadableInput)) throw err;
        problems.push({ path: err.path, message: err.reason });
      }
    }
    if (config.length > 0) configs.push(config);
  }
  return { configs, problems };
}
