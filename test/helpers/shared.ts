import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** ../shared beside the repository: reference material that is not part of the repo and may be absent. */
export const SHARED_DIR = fileURLToPath(new URL("../../../shared/", import.meta.url));

/**
 * Whether ../shared/<relative> is present. When it is not: with RIVER_REQUIRE_SHARED=1 (which `.ci/run` sets, since
 * CI has ../shared beside the repository) it throws, so the test file fails loudly instead of passing by skipping;
 * otherwise it says so once and returns false, so that a fresh clone's `npm test` skips what needs it.
 */
export function haveShared(relative: string): boolean {
  const path = SHARED_DIR + relative;
  if (existsSync(path)) return true;
  if (process.env.RIVER_REQUIRE_SHARED === "1") {
    throw new Error(`${path} is missing, and RIVER_REQUIRE_SHARED=1 says the shared reference material must be here`);
  }
  console.warn(`skipping tests that need ${path}: the shared reference material is not present (fine on a clean clone)`);
  return false;
}

/**
 * Reads a JSON Lines file under ../shared, or returns undefined when it is absent (see `haveShared`), so that tests
 * can `describe.skipIf(!cases)` with a clear reason on a clean clone.
 */
export function readSharedJsonl<T>(relative: string): T[] | undefined {
  if (!haveShared(relative)) return undefined;
  return readFileSync(SHARED_DIR + relative, "utf8")
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
