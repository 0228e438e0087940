import type { Command } from "commander";
import type { CliIO } from "../io.ts";

// Placeholder so the CLI compiles while `river relabel` is being written; replaced by the real command.
export function registerRelabel(_program: Command, _io: CliIO): void {}
