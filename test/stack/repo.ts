import { fileURLToPath } from "node:url";
import { readBuildInput } from "../../src/cli/stack-io.ts";
import { buildStack, type BuildResult } from "../../src/stack/build.ts";

/** The repository's root: its pipelines/ and manifests/ are what these tests check. */
export const REPO = fileURLToPath(new URL("../../", import.meta.url));

let built: Promise<BuildResult> | undefined;

/** `river build` of the repo's pipelines/ in memory (once per test file). */
export function buildRepo(): Promise<BuildResult> {
  built ??= readBuildInput("pipelines", "manifests", REPO).then(buildStack);
  return built;
}
