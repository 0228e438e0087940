import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Expands command-line paths: files are taken as given; directories are searched recursively for `*.alloy` files
 * (sorted, so output order is deterministic; node_modules and dot-directories are skipped).
 */
export function expandPaths(paths: readonly string[], cwd: string): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const problems: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch (err) {
      problems.push(`${p}: ${describe(err)}`);
      continue;
    }
    if (st.isDirectory()) collect(p, abs, files, problems);
    else files.push(p);
  }
  return { files, problems };
}

/** A file-system error in words ("no such file or directory", "permission denied", ...). */
function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "too many levels of symbolic links";
    default:
      return e.message ?? String(err);
  }
}

function collect(display: string, abs: string, out: string[], problems: string[]): void {
  let entries;
  try {
    entries = readdirSync(abs, { withFileTypes: true });
  } catch (err) {
    problems.push(`${display}: ${describe(err)}`);
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const childDisplay = join(display, e.name);
    const childAbs = join(abs, e.name);
    if (e.isDirectory()) collect(childDisplay, childAbs, out, problems);
    else if (e.isFile() && e.name.endsWith(".alloy")) out.push(childDisplay);
  }
}

export function readBytes(path: string, cwd: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(cwd, path)));
}
