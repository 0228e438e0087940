import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { isConfig, type Config } from "./config.ts";
import { thrownAt } from "./site.ts";

export interface LoadedPipeline {
  /** The name the built River goes by: the module's path with `.alloy` for `.ts`. */
  readonly filename: string;
  /** Canonical River text (empty when the module could not be loaded). */
  readonly text: string;
  /** Load errors, builder errors and the checker's findings, at the module's call sites where known. */
  readonly diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /**
   * Check the built config as an incomplete one (default true): a pipeline file is usually one file of a directory
   * that is checked as a whole, so references to other files' components are not errors here.
   */
  readonly fragment?: boolean;
}

/**
 * Imports a TypeScript pipeline module (`export default config`, a builder Config) and builds it. The module is
 * transpiled by tsx (esbuild; types are not checked here: run tsc for that) and imported fresh on every call, in a
 * module namespace of its own. Never throws for a bad module: problems come back as diagnostics at the module's path
 * (at the line that threw, when the stack says).
 */
export async function loadBuilderPipeline(path: string, options: LoadOptions = {}): Promise<LoadedPipeline> {
  const filename = path.replace(/\.[cm]?ts$/, "") + ".alloy";
  const absolute = isAbsolute(path) ? path : resolve(path);
  const fail = (message: string, at = { line: 1, column: 1 }): LoadedPipeline => ({
    filename,
    text: "",
    diagnostics: [{ severity: "error", code: "PIPELINE_MODULE", message, filename: path, ...at }],
  });
  /** An exception of the module's, at the line of the module that threw when the stack says. */
  const thrown = (what: string, err: unknown): LoadedPipeline => {
    // The first line, and the next one when the first only announces it (esbuild's "Transform failed with 1 error:").
    const lines = (err instanceof Error ? err.message : String(err)).split("\n");
    const message = lines[0]?.endsWith(":") && lines[1] !== undefined ? `${lines[0]} ${lines[1]}` : (lines[0] as string);
    const at = err instanceof Error ? thrownAt(err, absolute) : undefined;
    return fail(`${what}: ${message}`, at === undefined ? undefined : { line: at.line, column: at.column });
  };
  let mod: unknown;
  try {
    mod = await tsImport(pathToFileURL(absolute).href, import.meta.url);
  } catch (err) {
    return thrown("cannot load the pipeline module", err);
  }
  let built: ReturnType<Config["build"]>;
  try {
    const config = (mod as { default?: unknown } | undefined)?.default;
    if (!isConfig(config)) {
      return fail("the pipeline module must `export default` a river builder Config (new Config() from river/builder)");
    }
    // The module's own code runs again here: a value given as a function (a thunk) is called while building.
    built = config.build({ filename, fragment: options.fragment ?? true });
  } catch (err) {
    return thrown("the pipeline module failed while its config was built", err);
  }
  // Call sites are absolute paths: name the module as the caller did.
  const diagnostics = built.diagnostics.map((d) => (d.filename === absolute ? { ...d, filename: path } : d));
  return { filename, text: built.text, diagnostics };
}

