import { readSecretFromTty } from "./tty-secret.ts";

/**
 * The CLI's view of the outside world. Commands never touch `process` directly, so that tests can run them in-process
 * and capture output and exit codes.
 */
export interface CliIO {
  stdout(text: string): void;
  /** Writes bytes to standard output; without it, callers decode them and use `stdout`. */
  stdoutBytes?(bytes: Uint8Array): void;
  stderr(text: string): void;
  /** Reads all of standard input as UTF-8 bytes. */
  readStdin(): Promise<Uint8Array>;
  /** The directory relative paths are resolved against. */
  readonly cwd: string;
  /** Environment variables (`river secret` reads SOPS_AGE_KEY_FILE and `--from-env`); absent means none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Reads a secret typed on the terminal, without echo, after printing `prompt`; absent when stdin is not a terminal. */
  readSecret?(prompt: string): Promise<string>;
}

/** Thrown by a command to stop with an exit code after it has printed its own diagnostics. */
export class CliExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}

export function processIO(): CliIO {
  // A reader that goes away (`river fmt big.alloy | head`) is not an error of ours: stop quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      process.stderr.write(`river: cannot write output: ${err.message}\n`);
      process.exit(74);
    });
  }
  return {
    stdout: (t) => void process.stdout.write(t),
    stdoutBytes: (b) => void process.stdout.write(b),
    stderr: (t) => void process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    cwd: process.cwd(),
    env: process.env,
    ...(process.stdin.isTTY ? { readSecret: (prompt: string) => readSecretFromTty(process.stdin, (t) => void process.stderr.write(t), prompt) } : {}),
  };
}
