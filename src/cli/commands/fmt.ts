import { accessSync, chmodSync, chownSync, constants, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, basename, join, resolve } from "node:path";
import type { Command } from "commander";
import { RiverSyntaxError } from "../../diag/diagnostic.ts";
import { formatToBytes } from "../../format/format.ts";
import { decodeSource } from "../../source/decode.ts";
import { unifiedDiff } from "../diff.ts";
import { describeFsError, expandPaths, readInput, STDIN_NAME, UnreadableInput } from "../files.ts";
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from "../exit.ts";
import { CliExit, type CliIO } from "../io.ts";
import { DEFAULT_MAX_DIAGNOSTICS, parseMaxDiagnostics, renderDiagnosticLines, renderInputProblems } from "../render.ts";

interface FmtOptions {
  write?: boolean;
  check?: boolean;
  /** Syntax errors printed per file; 0 for all. */
  maxDiagnostics?: number;
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
    .option("--max-diagnostics <n>", "syntax errors shown per file, 0 for all", parseMaxDiagnostics, DEFAULT_MAX_DIAGNOSTICS)
    .action(async (paths: string[], options: FmtOptions) => {
      const code = await runFmt(paths, options, io);
      if (code !== 0) throw new CliExit(code);
    });
}

/**
 * Runs `river fmt`; returns the exit code: 0 ok, 1 unformatted files (--check) or syntax errors, 2 usage errors or
 * inputs that cannot be read (each reported; the other files are still formatted).
 */
export async function runFmt(paths: readonly string[], options: FmtOptions, io: CliIO): Promise<number> {
  if (options.write && options.check) {
    io.stderr("river fmt: --write and --check cannot be used together\n");
    return EXIT_USAGE;
  }
  const useStdin = paths.length === 0 || (paths.length === 1 && paths[0] === "-");
  if (useStdin) {
    if (options.write) {
      io.stderr("river fmt: cannot use --write with standard input; pass file or directory paths\n");
      return EXIT_USAGE;
    }
    return formatOne(STDIN_NAME, await io.readStdin(), options, io, undefined);
  }
  if (paths.includes("-")) {
    io.stderr("river fmt: `-` (standard input) cannot be combined with other paths\n");
    return EXIT_USAGE;
  }
  const { inputs, problems } = expandPaths(paths, io.cwd, { recursive: true });
  io.stderr(renderInputProblems("fmt", problems));
  let code = problems.length > 0 ? EXIT_USAGE : EXIT_OK;
  for (const file of inputs.flatMap((i) => i.files)) {
    let bytes: Uint8Array;
    try {
      bytes = readInput(file, io.cwd);
    } catch (err) {
      if (!(err instanceof UnreadableInput)) throw err;
      io.stderr(renderInputProblems("fmt", [{ path: err.path, message: err.reason }]));
      code = EXIT_USAGE;
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
    io.stderr(renderDiagnosticLines(err.diagnostics, options.maxDiagnostics));
    return EXIT_PROBLEMS;
  }
  // Valid input is valid UTF-8 (anything else is a syntax error), so comparing bytes is comparing texts.
  const unchanged = sameBytes(formatted, bytes);
  if (options.check) {
    if (unchanged) return EXIT_OK;
    io.stdout(unifiedDiff(text, decoder.decode(formatted), `${name} (original)`, `${name} (formatted)`));
    return EXIT_PROBLEMS;
  }
  if (options.write && path !== undefined) {
    if (unchanged) return EXIT_OK;
    try {
      replaceFile(path, formatted);
    } catch (err) {
      io.stderr(`river fmt: ${name}: cannot write: ${describeFsError(err)}\n`);
      return EXIT_PROBLEMS;
    }
    return EXIT_OK;
  }
  if (io.stdoutBytes !== undefined) io.stdoutBytes(formatted);
  else io.stdout(decoder.decode(formatted));
  return EXIT_OK;
}

const decoder = new TextDecoder();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes through a temporary file and a rename, so a crash never leaves a half-written file. The file keeps its
 * permissions (whatever the umask), its owner and its group, and a symbolic link is followed (its target is rewritten;
 * the link stays a link). A file we may not write is refused, as a write in place would be (a rename would replace it
 * regardless). Where the temporary file cannot be made (a writable file in a read-only directory) or cannot be given
 * the file's owner, the file is rewritten in place, as an editor would: the user asked for it to change, and it can be.
 */
function replaceFile(path: string, data: Uint8Array): void {
  const target = realpathSync(path);
  const st = statSync(target);
  if (!st.isFile()) throw new Error("not a regular file"); // a pipe named on the command line
  accessSync(target, constants.W_OK);
  const tmp = join(dirname(target), `.${basename(target)}.river-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data, { mode: st.mode & 0o7777, flag: "wx" });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") {
      writeFileSync(target, data);
      return;
    }
    if (code !== "EEXIST") removeQuietly(tmp); // a partly written temporary file
    throw err;
  }
  try {
    chmodSync(tmp, st.mode & 0o7777); // the mode given to writeFileSync went through the umask
    const made = statSync(tmp);
    if (made.uid !== st.uid || made.gid !== st.gid) {
      try {
        chownSync(tmp, st.uid, st.gid);
      } catch {
        removeQuietly(tmp);
        writeFileSync(target, data);
        return;
      }
    }
    renameSync(tmp, target);
  } catch (err) {
    removeQuietly(tmp);
    throw err;
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
