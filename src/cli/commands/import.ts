/**
 * `river import FILE.alloy`: prints a TypeScript module that rebuilds the config with the typed builder (see
 * src/builder/import.ts). The generator is imported when the command runs.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { decodeSource } from "../../source/decode.ts";
import { EXIT_PROBLEMS, EXIT_USAGE } from "../exit.ts";
import { describeFsError, readInput, STDIN_NAME, UnreadableInput } from "../files.ts";
import { CliExit, type CliIO } from "../io.ts";
import { renderDiagnosticLines } from "../render.ts";

interface ImportCommandOptions {
  readonly from: string;
  readonly output?: string;
}

export function registerImport(program: Command, io: CliIO): void {
  program
    .command("import")
    .summary("Print TypeScript that rebuilds an Alloy file with river's typed builder")
    .description(
      "Print a TypeScript module that rebuilds an Alloy file with river's typed builder (comments kept): building it " +
        "and formatting gives the file formatted. `-` reads standard input.",
    )
    .argument("<file>", "Alloy file, or `-` for standard input")
    .option("--from <module>", "module the generated code imports the builder from", "river/builder")
    .option("-o, --output <file>", "write the module to this file instead of standard output")
    .action(async (file: string, options: ImportCommandOptions) => {
      let bytes: Uint8Array;
      try {
        bytes = file === "-" ? await io.readStdin() : readInput(file, io.cwd);
      } catch (err) {
        if (!(err instanceof UnreadableInput)) throw err;
        io.stderr(`river import: ${err.message}\n`);
        throw new CliExit(EXIT_USAGE);
      }
      const { importAlloy } = await import("../../builder/import.ts");
      const result = importAlloy(decodeSource(bytes), { filename: file === "-" ? STDIN_NAME : file, from: options.from });
      if (result.diagnostics.length > 0) {
        io.stderr(renderDiagnosticLines(result.diagnostics));
        throw new CliExit(EXIT_PROBLEMS);
      }
      if (options.output === undefined) {
        io.stdout(result.text);
        return;
      }
      try {
        writeFileSync(resolve(io.cwd, options.output), result.text);
      } catch (err) {
        io.stderr(`river import: cannot write ${options.output}: ${describeFsError(err)}\n`);
        throw new CliExit(EXIT_PROBLEMS);
      }
    });
}
