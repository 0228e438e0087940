import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import config from "../fixtures/pipelines/logs.ts";
import { check, format } from "../../src/index.ts";

const alloy = readFileSync(new URL("../../pipelines/logs.alloy", import.meta.url), "utf8");

describe("the design's pipeline in TypeScript", () => {
  it("compiles to exactly pipelines/logs.alloy, comments included", () => {
    const { text, diagnostics } = config.build({ filename: "logs.alloy" });
    expect(diagnostics).toEqual([]);
    expect(text).toBe(alloy);
  });

  it("is alloy fmt-clean and passes river check", () => {
    const { text } = config.build();
    expect(format(text)).toBe(text);
    expect(check(text).diagnostics).toEqual([]);
  });
});
