import { expect, test } from "vitest";
import { readBuildInput } from "../../src/cli/stack-io.ts";
import { lintStack } from "../../src/stack/lint.ts";
import { REPO } from "./repo.ts";

// The committed manifests/ is exactly what `river build` makes of the committed pipelines/, and passes every lint
// check (formatted pipeline, encrypted Secret with the stack's keys, no plaintext credential). After changing the
// generator or pipelines/, run `npx river build` and commit manifests/.
test("manifests/ is river build's output of pipelines/ and lints clean", async () => {
  const result = await lintStack(await readBuildInput("pipelines", "manifests", REPO));
  expect(result.drift.map((d) => d.path)).toEqual([]);
  expect(result.diagnostics.map((d) => `${d.filename}:${d.line}:${d.column}: ${d.message}`)).toEqual([]);
});
