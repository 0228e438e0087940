import { randomBytes } from "node:crypto";
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { describeFsError } from "./files.ts";
import type { BuildInput } from "../stack/build.ts";
import { decodeSource } from "../source/decode.ts";

/**
 * The file system side of `river build` and `river lint`: reading the pipelines directory and the output tree, and
 * replacing the output tree atomically. The stack layer itself (src/stack) never touches files.
 */
export class StackIOError extends Error {}

const STACK_FILE = "stack.yaml";

/**
 * Reads the pipelines directory and the output tree. The pipeline is `<pipelines>/*.alloy` and `<pipelines>/*.ts`
 * (TypeScript modules whose default export is a builder Config, built to River here), one config in name order;
 * `<pipelines>/stack.yaml` holds the stack options.
 */
export async function readBuildInput(pipelinesArg: string, outArg: string, cwd: string): Promise<BuildInput> {
  const pipelinesDir = resolve(cwd, pipelinesArg);
  const label = (p: string) => (p.endsWith("/") ? p : `${p}/`);
  const outDir = resolve(cwd, outArg);
  refuseOutputDir(outDir, pipelinesDir, cwd, outArg);
  let names: string[];
  try {
    if (!statSync(pipelinesDir).isDirectory()) throw new StackIOError(`${pipelinesArg}: not a directory`);
    names = readdirSync(pipelinesDir).sort();
  } catch (err) {
    if (err instanceof StackIOError) throw err;
    throw new StackIOError(`${pipelinesArg}: ${describeFsError(err)}`);
  }
  const read = (name: string) => readText(join(pipelinesDir, name), join(pipelinesArg, name));
  const isInput = (n: string) => n === STACK_FILE || n.endsWith(".alloy") || /\.[cm]?ts$/.test(n);
  const visible = names.filter((n) => !n.startsWith(".") && (isFile(join(pipelinesDir, n)) || (isInput(n) && notAFile(join(pipelinesDir, n), join(pipelinesArg, n)))));
  const pipelines: { filename: string; text: string }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const n of visible) {
    if (n.endsWith(".alloy")) pipelines.push({ filename: join(pipelinesArg, n), text: read(n) });
    else if (/\.[cm]?ts$/.test(n) && !/\.d\.[cm]?ts$|\.test\.[cm]?ts$/.test(n)) {
      const built = await buildTypeScriptPipeline(join(pipelinesDir, n), join(pipelinesArg, n));
      diagnostics.push(...built.diagnostics);
      if (built.text !== "") pipelines.push({ filename: built.filename, text: built.text });
    }
  }
  const stack = names.includes(STACK_FILE) ? { filename: join(pipelinesArg, STACK_FILE), text: read(STACK_FILE) } : undefined;
  const tests = visible.filter((n) => n.endsWith(".test.yaml")).map((n) => ({ filename: join(pipelinesArg, n), text: read(n) }));
  return {
    pipelines,
    ...(stack ? { stack } : {}),
    ...(tests.length > 0 ? { tests } : {}),
    ...(diagnostics.length > 0 ? { inputDiagnostics: diagnostics } : {}),
    // The headers name the pipelines directory relative to the output's parent, however the argument was spelled
    // (`pipelines`, `./pipelines/`, an absolute path): the same input gives the same files.
    sourceLabel: label(relative(dirname(outDir), pipelinesDir).split(sep).join("/") || "."),
    outLabel: label(outArg),
    existing: readTree(outDir, outArg),
  };
}

/**
 * The output directory is replaced as a whole, so it must not hold anything that is not the stack's: refuse the
 * working directory or one of its parents, the pipelines directory or a parent of it, and a Git working tree.
 */
function refuseOutputDir(outDir: string, pipelinesDir: string, cwd: string, shown: string): void {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);
  if (within(resolve(cwd), outDir) || within(pipelinesDir, outDir) || existsSync(join(outDir, ".git"))) {
    throw new StackIOError(`${shown}: cannot be the output directory: it holds the working directory, the pipelines or a Git repository, and river build replaces the output directory as a whole (use e.g. --out manifests)`);
  }
}

/**
 * A TypeScript pipeline built to River by the builder's loader (loaded on demand: tsx costs nothing to configs
 * without one). Diagnostics name the module as the user wrote its path; the River goes by `<name>.alloy`.
 */
async function buildTypeScriptPipeline(absolute: string, shown: string): Promise<{ filename: string; text: string; diagnostics: Diagnostic[] }> {
  const { loadBuilderPipeline } = await import("../builder/load.ts");
  const loaded = await loadBuilderPipeline(absolute);
  const builtName = shown.replace(/\.[cm]?ts$/, ".alloy");
  const rename = (f: string) => (f === absolute ? shown : f === loaded.filename ? builtName : f);
  return { filename: builtName, text: loaded.text, diagnostics: loaded.diagnostics.map((d) => ({ ...d, filename: rename(d.filename) })) };
}

/**
 * Every regular file under `dir` (relative POSIX path → text), without following symlinks: a symlink anywhere in the
 * output tree is an error, since build would otherwise write or delete through it.
 */
export function readTree(dir: string, label: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  const top = lstatSync(dir);
  if (top.isSymbolicLink()) throw new StackIOError(`${label}: is a symbolic link; river build writes only into a real directory`);
  if (!top.isDirectory()) throw new StackIOError(`${label}: exists and is not a directory`);
  const walk = (abs: string, rel: string) => {
    for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const childAbs = join(abs, entry.name);
      const childRel = rel === "" ? entry.name : `${rel}/${entry.name}`;
      if (entry.isSymbolicLink()) throw new StackIOError(`${join(label, childRel)}: is a symbolic link; river build follows no links in its output directory (remove it)`);
      if (entry.isDirectory()) walk(childAbs, childRel);
      else if (entry.isFile()) files.set(childRel, readText(childAbs, join(label, childRel)));
    }
  };
  walk(dir, "");
  return files;
}

export interface WritePlan {
  readonly created: string[];
  readonly changed: string[];
  readonly unchanged: string[];
  readonly removed: string[];
}

/**
 * What writing `files` into a tree holding `existing` does. Files build owns are those with the generated header
 * (removed when no longer generated); any other existing file in the way of a generated one is a conflict.
 */
export function planWrite(files: ReadonlyMap<string, string>, existing: ReadonlyMap<string, string>, isGenerated: (text: string) => boolean): WritePlan & { conflicts: string[] } {
  const plan = { created: [] as string[], changed: [] as string[], unchanged: [] as string[], removed: [] as string[], conflicts: [] as string[] };
  for (const [path, text] of files) {
    const old = existing.get(path);
    if (old === undefined) plan.created.push(path);
    else if (old === text) plan.unchanged.push(path);
    else if (isGenerated(old)) plan.changed.push(path);
    else plan.conflicts.push(path);
  }
  for (const [path, text] of existing) if (!files.has(path) && isGenerated(text)) plan.removed.push(path);
  return plan;
}

/**
 * Replaces the output directory in one step: the new tree (kept files copied, generated files written) is made in a
 * temporary sibling directory, then swapped in by two renames. A failure before the swap leaves the old tree as it
 * was; the temporary directory is removed either way.
 */
export function writeTreeAtomically(outDir: string, files: ReadonlyMap<string, string>, plan: WritePlan): void {
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  // mkdir (not mkdtemp, which makes 0700): the new tree gets the usual permissions, or the old tree's.
  const tmp = join(parent, `.${basename(outDir)}.river-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(tmp);
  if (existsSync(outDir)) chmodSync(tmp, statSync(outDir).mode & 0o7777);
  const old = `${tmp}.old`;
  try {
    const drop = new Set([...plan.removed, ...plan.changed]);
    if (existsSync(outDir)) {
      cpSync(outDir, tmp, {
        recursive: true,
        verbatimSymlinks: true,
        preserveTimestamps: true,
        filter: (src) => {
          const rel = relative(outDir, src).split(sep).join("/");
          return !drop.has(rel);
        },
      });
    }
    for (const [path, text] of files) {
      const target = join(tmp, ...path.split("/"));
      if (!target.startsWith(tmp + sep)) throw new StackIOError(`refusing to write outside the output directory: ${path}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    removeEmptyDirs(tmp);
    if (existsSync(outDir)) {
      renameSync(outDir, old);
      try {
        renameSync(tmp, outDir);
      } catch (err) {
        renameSync(old, outDir);
        throw err;
      }
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, outDir);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Directories emptied by removing generated files go too (git does not keep them anyway). */
function removeEmptyDirs(dir: string): boolean {
  let empty = true;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && removeEmptyDirs(join(dir, entry.name))) rmSync(join(dir, entry.name), { recursive: true });
    else empty = false;
  }
  return empty;
}

/** A file's text; an unreadable one stops the command with its path and the reason. */
function readText(path: string, shown: string): string {
  try {
    return decodeSource(readFileSync(path));
  } catch (err) {
    throw new StackIOError(`${shown}: ${describeFsError(err)}`);
  }
}

/** An input (a pipeline file, stack.yaml) that is there but is no regular file, e.g. a dangling link: an error, never skipped. */
function notAFile(path: string, shown: string): never | false {
  let reason: string;
  try {
    if (statSync(path).isFile()) return false;
    reason = "not a regular file";
  } catch (err) {
    reason = describeFsError(err);
  }
  throw new StackIOError(`${shown}: ${reason}`);
}

/** A regular file, or a symlink to one (inputs may be links; only the output tree refuses them). */
function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

