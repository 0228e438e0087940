import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Expands command-line paths: files are taken as given; directories are searched recursively for `*.alloy` files
 * (sorted, so output order is deterministic; node_modules and dot-directories are skipped).
 */
export function expandPaths(paths: readonly string[], cwd: string): { files: string[]; missing: string[] } {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isDirectory()) collect(p, abs, files);
    else files.push(p);
  }
  return { files, missing };
}

function collect(display: string, abs: string, out: string[]): void {
  const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith(".") || e.name === "node_modules") continue;
    const childDisplay = join(display, e.name);
    const childAbs = join(abs, e.name);
    if (e.isDirectory()) collect(childDisplay, childAbs, out);
    else if (e.isFile() && e.name.endsWith(".alloy")) out.push(childDisplay);
  }
}

export function readBytes(path: string, cwd: string): Uint8Array {
  return new Uint8Array(readFileSync(resolve(cwd, path)));
}
