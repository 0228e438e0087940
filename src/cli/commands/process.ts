/**
 * Registration of `river process` (see process-run.ts for what it does). The simulator is imported when the command
 * runs.
 */
import type { Command } from "commander";
import { CliExit, type CliIO } from "../io.ts";

export interface ProcessCommandOptions {
  readonly component?: string;
  readonly entry: string[];
  readonly entries?: string;
  readonly line: string[];
  readonly labels?: string;
  readonly target: string[];
  readonly now?: string;
  readonly trace?: boolean;
  readonly json?: boolean;
  readonly extracted?: boolean;
}

export function registerProcess(program: Command, io: CliIO): void {
  program
    .command("process")
    .description("Simulate loki.process stages (and the loki.relabel / loki.process chain after them) on log entries")
    .argument("<file>", "Alloy config file, or a file of stage blocks (the body of a loki.process block)")
    .option("-c, --component <id>", "where entries enter: loki.process.NAME, loki.relabel.NAME or loki.source.*.NAME (optional if the file has one loki.process)")
    .option("-e, --entry <json>", 'an entry as JSON, e.g. \'{"line":"GET /healthz","labels":{"namespace":"kube-system"}}\' (repeatable)', collect, [])
    .option("--entries <file>", "entries from a file: JSON Lines of entry objects, or a JSON array of them")
    .option("-l, --line <text>", "an entry with this line (repeatable); its labels come from --labels", collect, [])
    .option("--labels <json>", 'labels of the --line entries, e.g. \'{"namespace":"default"}\'')
    .option("-t, --target <json>", "a discovered target for a loki.source.* start (repeatable)", collect, [])
    .option("--now <rfc3339>", "the simulated clock (default: now)")
    .option("--trace", "show what every stage did to every entry")
    .option("--extracted", "also print each output entry's extracted map")
    .option("--json", "print the result as JSON")
    .action(async (file: string, options: ProcessCommandOptions) => {
      const { runProcessCommand, ProcessInputError } = await import("./process-run.ts");
      try {
        await runProcessCommand(file, options, io);
      } catch (err) {
        if (err instanceof ProcessInputError) {
          io.stderr(`${err.message}\n`);
          throw new CliExit(1);
        }
        throw err;
      }
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
