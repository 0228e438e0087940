import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ModuleRead } from "../check/model.ts";
import { readModuleFile } from "../check/module-file.ts";
import { decodeSource } from "../source/decode.ts";
import { blockName } from "../ast/ast.ts";
import type { AnalysisInput, ParseCache } from "./analysis.ts";

/** The open documents' texts by URI; what the editor holds wins over the file on disk. */
export interface OpenTexts {
  get(uri: string): string | undefined;
  uris(): Iterable<string>;
}

/** A config to check: its key (one per directory, module or unsaved buffer) and how to check it. */
export interface ConfigPlan extends AnalysisInput {
  readonly key: string;
}

/** The file name river uses for a document: its path for `file:` URIs, the URI itself otherwise (an unsaved buffer). */
export function filenameOf(uri: string): string {
  if (!uri.startsWith("file:")) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

export function uriOf(filename: string): string {
  return isAbsolute(filename) ? pathToFileURL(filename).href : filename;
}


/**
 * Which config a document belongs to, with Alloy's semantics: the `*.alloy` files of its directory are one config
 * (`alloy run DIR`), references resolve across them. A module file (top-level `argument`/`export`) is checked on its
 * own as a module. An unsaved buffer, or a file of top-level attributes without components, is a snippet: the checker's
 * fragment mode.
 */
export class Workspace {
  readonly #open: OpenTexts;
  readonly #disk = new Map<string, { mtime: number; size: number; text: string }>();
  readonly #forceFragment: boolean;
  readonly #parses: ParseCache;

  constructor(open: OpenTexts, parses: ParseCache, options: { fragment?: boolean } = {}) {
    this.#open = open;
    this.#parses = parses;
    this.#forceFragment = options.fragment === true;
  }

  plan(uri: string): ConfigPlan {
    const filename = filenameOf(uri);
    const text = this.#open.get(uri) ?? this.readDisk(filename) ?? "";
    const readModule = (path: string, from: string) => this.readModule(path, from);
    if (!isAbsolute(filename)) {
      return { key: uri, files: [{ filename, text }], fragment: true, module: this.#isModule(filename, text), readModule };
    }
    if (this.#isModule(filename, text)) {
      return { key: `module:${filename}`, files: [{ filename, text }], fragment: this.#forceFragment, module: true, readModule };
    }
    if (this.#forceFragment || this.#isSnippet(filename, text)) {
      return { key: `fragment:${filename}`, files: [{ filename, text }], fragment: true, module: false, readModule };
    }
    const dir = dirname(filename);
    const files = this.#configFiles(dir, filename).map((f) => ({ filename: f, text: f === filename ? text : (this.#textOf(f) ?? "") }));
    // Modules and snippets beside a config are checked on their own, not as part of it.
    const mine = files.filter((f) => !this.#isModule(f.filename, f.text) && !this.#isSnippet(f.filename, f.text));
    return { key: `dir:${dir}`, files: mine, fragment: false, module: false, readModule };
  }

  /**
   * A module declares its arguments or exports at the top level; Alloy loads such a file through `import.file`, never
   * as part of a directory's config.
   */
  #isModule(filename: string, text: string): boolean {
    return this.#parses.parse(filename, text).file.body.some((s) => s.kind === "BlockStmt" && (blockName(s) === "argument" || blockName(s) === "export"));
  }

  /**
   * A snippet (a docs example, the body of one block) has top-level attributes and no component; a config with a stray
   * top-level attribute still has its labelled components, and is checked as a config (where that attribute is an error).
   */
  #isSnippet(filename: string, text: string): boolean {
    const body = this.#parses.parse(filename, text).file.body;
    return body.some((s) => s.kind === "AttributeStmt") && !body.some((s) => s.kind === "BlockStmt" && s.label !== undefined);
  }

  /** The `*.alloy` files of a directory on disk and open in the editor, in code-point order of names, as `alloy run` reads them. */
  #configFiles(dir: string, self: string): string[] {
    const names = new Set<string>([self]);
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.name.endsWith(".alloy") && !e.name.startsWith(".") && (e.isFile() || e.isSymbolicLink())) names.add(join(dir, e.name));
      }
    } catch {
      // An unreadable directory: the document alone.
    }
    for (const uri of this.#open.uris()) {
      const f = filenameOf(uri);
      if (isAbsolute(f) && dirname(f) === dir && f.endsWith(".alloy") && !basename(f).startsWith(".")) names.add(f);
    }
    return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  #textOf(filename: string): string | undefined {
    return this.#open.get(uriOf(filename)) ?? this.readDisk(filename);
  }

  /** A file's text from disk, re-read only when its modification time or size changed. */
  readDisk(filename: string): string | undefined {
    try {
      const stat = statSync(filename);
      if (!stat.isFile()) return undefined;
      const hit = this.#disk.get(filename);
      if (hit !== undefined && hit.mtime === stat.mtimeMs && hit.size === stat.size) return hit.text;
      const text = decodeSource(readFileSync(filename));
      this.#disk.set(filename, { mtime: stat.mtimeMs, size: stat.size, text });
      return text;
    } catch {
      this.#disk.delete(filename);
      return undefined;
    }
  }

  /** `import.file`: the path relative to the importing file's directory; an open document's text wins. */
  readModule(path: string, from: string): ModuleRead {
    const base = isAbsolute(from) ? dirname(from) : process.cwd();
    const abs = isAbsolute(path) ? path : resolve(base, path);
    return this.#open.get(uriOf(abs)) ?? readModuleFile(abs, path, (file) => this.readDisk(file));
  }
}
