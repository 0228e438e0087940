import type { CliIO } from "../../src/cli/io.ts";
import { main } from "../../src/cli/main.ts";

/** A CliIO that records what the CLI writes; nothing touches the real process. */
export interface FakeIO extends CliIO {
  out: string;
  err: string;
}

export function fakeIO(cwd: string = process.cwd(), stdin: string | Uint8Array = ""): FakeIO {
  const bytes = typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin;
  const io: FakeIO = {
    out: "",
    err: "",
    cwd,
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readStdin: async () => bytes,
  };
  return io;
}

/** Runs `river ...args` in-process; returns the exit code and everything written to stdout and stderr. */
export async function runCli(
  args: readonly string[],
  options: { cwd?: string; stdin?: string | Uint8Array } = {},
): Promise<{ code: number; out: string; err: string }> {
  const io = fakeIO(options.cwd, options.stdin);
  const code = await main(["node", "river", ...args], io);
  return { code, out: io.out, err: io.err };
}
