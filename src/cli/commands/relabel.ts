/**
 * Registration of `river relabel` (see relabel-run.ts for what it does). The implementation is imported when the
 * command runs.
 */
import type { Command } from "commander";
import { UnreadableInput } from "../files.ts";
import { EXIT_PROBLEMS, EXIT_USAGE } from "../exit.ts";
import { CliExit, type CliIO } from "../io.ts";
import { DEFAULT_MAX_DIAGNOSTICS, parseMaxDiagnostics } from "../render.ts";

export interface RelabelCommandOptions {
  readonly component?: string;
  readonly target: string[];
  readonly targets?: string;
  readonly trace?: boolean;
  readonly json?: boolean;
  /** Syntax errors shown per file; 0 for all. */
  readonly maxDiagnostics?: number;
}

export function registerRelabel(program: Command, io: CliIO): void {
  program
    .command("relabel")
    .description("Simulate the relabel rules of a discovery.relabel / loki.relabel component on targets")
    .argument("<file>", "Alloy config file")
    .option("-c, --component <id>", "component to simulate, e.g. discovery.relabel.pods (optional if there is only one)")
    .option("-t, --target <json>", 'a target as a JSON object, e.g. \'{"__address__":"10.0.0.1:80"}\' (repeatable)', collect, [])
    .option("--targets <file>", "targets from a file: a JSON array of objects, or JSON Lines (one object per line)")
    .option("--trace", "show each rule's effect on the labels")
    .option("--json", "print one JSON result per target")
    .option("--max-diagnostics <n>", "syntax errors shown, 0 for all", parseMaxDiagnostics, DEFAULT_MAX_DIAGNOSTICS)
    .action(async (file: string, options: RelabelCommandOptions) => {
      // Loaded on demand, so that other commands don't pay for the relabel engine at start-up.
      const { runRelabel, InputError } = await import("./relabel-run.ts");
      try {
        await runRelabel(file, options, io);
      } catch (err) {
        if (err instanceof UnreadableInput) {
          io.stderr(`river relabel: ${err.message}\n`);
          throw new CliExit(EXIT_USAGE);
        }
        if (err instanceof InputError) {
          io.stderr(`${err.message}\n`);
          throw new CliExit(EXIT_PROBLEMS);
        }
        throw err;
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

