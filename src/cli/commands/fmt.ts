import { realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { formatDiagnosticLine, RiverSyntaxError } from "../../diag/diagnostic.ts";
import { formatToBytes } from "../../format/format.ts";
import { decodeSource } from "../../source/decode.ts";
import { unifiedDiff } from "../diff.ts";
import { expandPaths, readBytes } from "../files.ts";
import { CliExit, type CliIO } from "../io.ts";

interface FmtOptions {
  write?: boolean;
  check?: boolean;
}

export function registerFmt(program: Command, io: CliIO): void {
  program
    .command("fmt")
    .summary("Format Alloy files exactly as `alloy fmt` does")
    .description(
      "Format Alloy files exactly as `alloy fmt` does. Paths may be files or directories (searched for *.alloy); " +
        "no path or `-` reads standard input and writes the result to standard output.",
    )
    .argument("[paths...]", "files or directories; `-` for standard input")
    .option("-w, --write", "rewrite files in place (only those whose formatting changes)")
    .option("-t, --check", "write nothing; print a unified diff for each file that is not formatted and exit 1")
    .action(async (paths: string[], options: FmtOptions) => {
      const code = await runFmt(paths, options, io);
      if (code !== 0) throw new CliExit(code);
    });
}

/** Runs `river fmt`; returns the exit code: 0 ok, 1 unformatted files (--check) or syntax errors, 2 usage errors. */
export async function runFmt(paths: readonly string[], options: FmtOptions, io: CliIO): Promise<number> {
  if (options.write && options.check) {
    io.stderr("river fmt: --write and --check cannot be used together\n");
    return 2;
  }
  const useStdin = paths.length === 0 || (paths.length === 1 && paths[0] === "-");
  if (useStdin) {
    if (options.write) {
      io.stderr("river fmt: cannot use --write with standard input; pass file or directory paths\n");
      return 2;
    }
    return formatOne("<stdin>", await io.readStdin(), options, io, undefined);
  }
  if (paths.includes("-")) {
    io.stderr("river fmt: `-` (standard input) cannot be combined with other paths\n");
    return 2;
  }
  const { files, problems } = expandPaths(paths, io.cwd);
  for (const problem of problems) io.stderr(`river fmt: ${problem}\n`);
  let code = problems.length > 0 ? 1 : 0;
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      bytes = readBytes(file, io.cwd);
    } catch (err) {
      io.stderr(`river fmt: ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
      code = 1;
      continue;
    }
    code = Math.max(code, formatOne(file, bytes, options, io, resolve(io.cwd, file)));
  }
  return code;
}

function formatOne(name: string, bytes: Uint8Array, options: FmtOptions, io: CliIO, path: string | undefined): number {
  const text = decodeSource(bytes);
  let formatted: Uint8Array;
  try {
    formatted = formatToBytes(text, { filename: name });
  } catch (err) {
    if (!(err instanceof RiverSyntaxError)) throw err;
    for (const d of err.diagnostics) io.stderr(`${formatDiagnosticLine(d)}\n`);
    return 1;
  }
  // Valid input is valid UTF-8 (anything else is a syntax error), so comparing bytes is comparing texts.
  const unchanged = sameBytes(formatted, bytes);
  if (options.check) {
    if (unchanged) return 0;
    io.stdout(unifiedDiff(text, decoder.decode(formatted), `${name} (original)`, `${name} (formatted)`));
    return 1;
  }
  if (options.write && path !== undefined) {
    if (unchanged) return 0;
    try {
      writeAtomically(path, formatted);
    } catch (err) {
      io.stderr(`river fmt: ${name}: cannot write: ${err instanceof Error ? err.message : String(err)}\n`);
      return 1;
    }
    return 0;
  }
  if (io.stdoutBytes !== undefined) io.stdoutBytes(formatted);
  else io.stdout(decoder.decode(formatted));
  return 0;
}

const decoder = new TextDecoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes through a temporary file and a rename, so a crash never leaves a half-written file. The file's permissions
 * are kept, and a symbolic link is followed (its target is rewritten; the link stays a link).
 */
function writeAtomically(path: string, data: Uint8Array): void {
  const target = realpathSync(path);
  const tmp = join(dirname(target), `.${basename(target)}.river-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, { mode: statSync(target).mode & 0o7777 });
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp); // a partly written temporary file
    } catch {
      // none was created
    }
    throw err;
  }
}
