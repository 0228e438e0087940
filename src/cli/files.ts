import { readdirSync, readFileSync, realpathSync, statSync, type Dirent, type Stats } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import type { ModuleRead } from "../check/model.ts";
import { readModuleFile } from "../check/module-file.ts";

/**
 * How every command turns its path arguments into input files, so that they all agree:
 *  - a path named on the command line is taken as it is: a file of any name (a dot-file too), a pipe (`<(cmd)`), or
 *    a directory to walk; symbolic links are followed; a device or a socket is refused (reading /dev/zero never ends);
 *  - walking a directory takes its `*.alloy` regular files (`test` takes `*.test.yaml` ones), in code-point order of their names (so output is
 *    deterministic), follows symbolic links to files and directories, and skips dot-entries and node_modules;
 *    recursive walks (`fmt`) descend into subdirectories, flat ones (`check`, where a directory is one config as for
 *    `alloy run DIR`) do not;
 *  - a file reached twice through links below one argument is taken once (each argument is its own set of files: for
 *    `check`, its own config); a directory whose link leads back to one being walked (a loop) is reported and skipped;
 *  - every entry that cannot be used (missing, unreadable, a link loop, a dangling `*.alloy` link, a `*.alloy` that is
 *    not a regular file) is reported as one problem, and the rest is still processed: commands report the problems
 *    and exit 2 at the end.
 */
export interface ExpandedPath {
  /** The argument as given. */
  readonly path: string;
  /** Whether it named a directory (whose files are `files`, possibly none). */
  readonly directory: boolean;
  /** Display paths of its input files: the argument, or the argument joined with the names below it. */
  readonly files: readonly string[];
}

/** A path that could not be used: `path: message`, e.g. `missing.alloy: no such file or directory`. */
export interface InputProblem {
  readonly path: string;
  readonly message: string;
}

/** The display name of standard input in diagnostics. */
export const STDIN_NAME = "<stdin>";

export function expandPaths(
  paths: readonly string[],
  cwd: string,
  options: { readonly recursive: boolean; readonly match?: (name: string) => boolean },
): { inputs: ExpandedPath[]; problems: InputProblem[] } {
  const inputs: ExpandedPath[] = [];
  const problems: InputProblem[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      problems.push({ path: p, message: describeFsError(err) });
      continue;
    }
    if (!st.isDirectory()) {
      if (readable(st)) inputs.push({ path: p, directory: false, files: [p] });
      else problems.push({ path: p, message: NOT_READABLE });
      continue;
    }
    const files: string[] = [];
    const walker = {
      files,
      problems,
      seenFiles: new Set<string>(),
      seenDirs: new Set<string>(),
      recursive: options.recursive,
      match: options.match ?? isAlloyFile,
    };
    walk(walker, p, abs, []);
    inputs.push({ path: p, directory: true, files });
  }
  return { inputs, problems };
}

interface Walker {
  readonly files: string[];
  readonly problems: InputProblem[];
  /** Real paths of the files and directories taken so far below the current argument. */
  readonly seenFiles: Set<string>;
  readonly seenDirs: Set<string>;
  readonly recursive: boolean;
  /** Which file names below a directory are inputs (`*.alloy` unless a command says otherwise). */
  readonly match: (name: string) => boolean;
}

const isAlloyFile = (name: string): boolean => name.endsWith(".alloy");

/** Walks directory `abs` (shown as `display`); `ancestors` are the real paths and display paths of those above it. */
function walk(w: Walker, display: string, abs: string, ancestors: { real: string; display: string }[]): void {
  let real: string;
  let entries: Dirent[];
  try {
    real = realpathSync(abs);
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    w.problems.push({ path: display, message: describeFsError(err) });
    return;
  }
  w.seenDirs.add(real);
  const here = [...ancestors, { real, display }];
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const childDisplay = join(display, e.name);
    const childAbs = join(abs, e.name);
    const isAlloy = w.match(e.name);
    let kind: "file" | "directory" | "other" = e.isDirectory() ? "directory" : e.isFile() ? "file" : "other";
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(childAbs);
        kind = st.isDirectory() ? "directory" : st.isFile() ? "file" : "other";
      } catch (err) {
        // A dangling link is only an error where it would have been an input; any other failure (a loop, no
        // permission) might hide a directory of inputs, so it is reported when walking recursively.
        const code = (err as NodeJS.ErrnoException).code;
        if (isAlloy || (w.recursive && code !== "ENOENT")) {
          w.problems.push({ path: childDisplay, message: code === "ENOENT" ? "broken symbolic link" : describeFsError(err) });
        }
        continue;
      }
    }
    if (kind === "directory") {
      if (!w.recursive) {
        // Not walked into; but a directory named like an input is one the user may think is read.
        if (isAlloy) w.problems.push({ path: childDisplay, message: "is a directory, not a file" });
        continue;
      }
      let childReal: string;
      try {
        childReal = realpathSync(childAbs);
      } catch (err) {
        w.problems.push({ path: childDisplay, message: describeFsError(err) });
        continue;
      }
      const loop = here.find((a) => a.real === childReal);
      if (loop !== undefined) {
        w.problems.push({ path: childDisplay, message: `symbolic link loop (leads back to ${loop.display}), skipped` });
      } else if (!w.seenDirs.has(childReal)) walk(w, childDisplay, childAbs, here);
    } else if (isAlloy && kind === "file") {
      let childReal: string;
      try {
        childReal = realpathSync(childAbs);
      } catch (err) {
        w.problems.push({ path: childDisplay, message: describeFsError(err) });
        continue;
      }
      if (!w.seenFiles.has(childReal)) {
        w.seenFiles.add(childReal);
        w.files.push(childDisplay);
      }
    } else if (isAlloy) {
      w.problems.push({ path: childDisplay, message: "not a regular file, skipped" });
    }
  }
}

/** A file-system error in words ("no such file or directory", "permission denied", ...), without the raw path. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many levels of symbolic links";
    case "EISDIR":
      return "is a directory";
    case "ENOTDIR":
      return "not a directory";
    case "EROFS":
      return "read-only file system";
    default: {
      // Node's message is "CODE: description, syscall 'path'": keep the description.
      const m = /^[A-Z]+: (.*?), \w+(?: '.*')?$/.exec(e.message ?? "");
      return m?.[1] ?? (err instanceof Error ? err.message : String(err));
    }
  }
}

/**
 * The CLI's `readModule` for the checker (`check`, `graph`): an `import.file` path is relative to the importing file's
 * directory (standard input's: the working directory `cwd`); see readModuleFile for what is read.
 */
export function moduleReader(cwd: string): (path: string, from: string) => ModuleRead {
  return (path, from) => {
    const base = from === STDIN_NAME ? cwd : dirname(resolve(cwd, from));
    return readModuleFile(isAbsolute(path) ? path : resolve(base, path), path);
  };
}

/** Thrown when an input cannot be read; its message is `path: reason`. Commands report it and exit 2. */
export class UnreadableInput extends Error {
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.path = path;
    this.reason = reason;
  }
}

/**
 * The bytes of an input file (relative to `cwd`). A directory, a device, a socket or a file that cannot be read throws
 * UnreadableInput.
 */
export function readInput(path: string, cwd: string): Uint8Array {
  const abs = resolve(cwd, path);
  let st: Stats;
  try {
    st = statSync(abs);
  } catch (err) {
    throw new UnreadableInput(path, describeFsError(err));
  }
  if (st.isDirectory()) throw new UnreadableInput(path, "is a directory");
  if (!readable(st)) throw new UnreadableInput(path, NOT_READABLE);
  try {
    return new Uint8Array(readFileSync(abs));
  } catch (err) {
    throw new UnreadableInput(path, describeFsError(err));
  }
}

const NOT_READABLE = "not a regular file, a pipe or a directory";

/** Regular files and pipes are read; devices (/dev/zero never ends) and sockets are not. */
function readable(st: Stats): boolean {
  return st.isFile() || st.isFIFO();
}
