import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { CliExit, processIO, type CliIO } from "./io.ts";
import { registerFmt } from "./commands/fmt.ts";
import { registerCheck } from "./commands/check.ts";
import { registerRelabel } from "./commands/relabel.ts";
import { registerBuild } from "./commands/build.ts";
import { registerLint } from "./commands/lint.ts";
import { registerGraph } from "./commands/graph.ts";
import { registerSecret } from "./commands/secret.ts";
import { registerProcess } from "./commands/process.ts";
import { registerTest } from "./commands/test.ts";
import { registerLsp } from "./commands/lsp.ts";
import { registerImport } from "./commands/import.ts";

/** Every command module exports `register*(program, io)`; an action sets the exit code by throwing CliExit. */
export type RegisterCommand = (program: Command, io: CliIO) => void;

const COMMANDS: readonly RegisterCommand[] = [registerBuild, registerLint, registerFmt, registerCheck, registerRelabel, registerGraph, registerSecret, registerProcess, registerTest, registerLsp, registerImport];

/** Runs the CLI with `argv` (as in process.argv) and returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = new Command();
  program
    .name("river")
    .description("Parse, format, type-check and simulate Grafana Alloy configuration, offline.")
    .version(packageVersion(), "-V, --version", "print river's version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError();
  for (const register of COMMANDS) register(program, io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CliExit) return err.exitCode;
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`river: internal error: ${message}\nPlease report this with the input that caused it.\n`);
    return 70;
  }
}

/** river's version, from its package.json (the same relative path from src/cli and dist/cli). */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
