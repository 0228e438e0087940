import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** ../shared beside the repository: reference material that is not part of the repo and may be absent. */
export const SHARED_DIR = fileURLToPath(new URL("../../../shared/", import.meta.url));

/**
 * Reads a JSON Lines file under ../shared, or returns undefined (after saying so once) when it is absent, so that
 * tests can `describe.skipIf(!cases)` with a clear reason on a clean clone.
 */
export function readSharedJsonl<T>(relative: string): T[] | undefined {
  const path = SHARED_DIR + relative;
  if (!existsSync(path)) {
    console.warn(`skipping tests that need ${path}: the shared reference material is not present (fine on a clean clone)`);
    return undefined;
  }
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as T);
}

export interface CorpusCase {
  readonly name: string;
  readonly source: string;
  readonly kind: "config" | "fragment" | "syntax";
  readonly in: string;
  readonly expect?: string;
  readonly error?: string;
}

export function readFmtCorpus(): CorpusCase[] | undefined {
  return readSharedJsonl<CorpusCase>("conformance/fmt/alloy-corpus.jsonl");
}
