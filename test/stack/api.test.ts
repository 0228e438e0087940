import { expect, test } from "vitest";
import { buildStack, checkChartValues, lintStack, readBuildInput } from "../../src/index.ts";
import { REPO } from "./repo.ts";

// The README's library example, on the repository itself.
test("build and lint through the package's main exports", async () => {
  const input = await readBuildInput("pipelines", "manifests", REPO);
  const { ok, files } = await buildStack(input);
  expect(ok).toBe(true);
  expect([...files.keys()]).toContain("alloy/helmrelease.yaml");
  expect((await lintStack(input)).drift).toEqual([]);
  expect(checkChartValues("loki", { singleBinary: { replicas: "1" } }).map((p) => p.code)).toEqual(["VALUES_TYPE_MISMATCH"]);
});
