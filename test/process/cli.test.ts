import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

describe("river test", () => {
  it("runs the repo's pipeline tests", async () => {
    const r = await runCli(["test", "pipelines/"]);
    console.log(r.out, r.err);
    expect(r.code).toBe(0);
  });
});
