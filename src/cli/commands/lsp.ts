import type { Command } from "commander";
import type { CliIO } from "../io.ts";

/**
 * `river lsp [--stdio]`: the language server, over standard input and output (the only transport; `--stdio` is
 * accepted because editors pass it). The server is loaded only here: the rest of the CLI never pays for it.
 */
export function registerLsp(program: Command, _io: CliIO): void {
  program
    .command("lsp")
    .description("Language server for Alloy configuration (diagnostics, completion, hover, navigation, formatting)")
    .option("--stdio", "talk over standard input and output (the default)")
    .action(async () => {
      const { startServer } = await import("../../lsp/server.ts");
      await startServer(process.stdin, process.stdout);
    });
}
