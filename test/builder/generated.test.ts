import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("generated builder types", () => {
  it("are what scripts/gen-builder.mjs generates from the committed schema (byte for byte)", async () => {
    const url = new URL("../../scripts/gen-builder.mjs", import.meta.url).href;
    const mod = (await import(url)) as { generate: () => Promise<Record<string, string>> };
    const out = await mod.generate();
    expect(Object.keys(out).sort()).toEqual(["components.ts", "stdlib.ts"]);
    for (const [name, text] of Object.entries(out)) {
      const committed = readFileSync(new URL(`../../src/builder/generated/${name}`, import.meta.url), "utf8");
      expect(text === committed, `src/builder/generated/${name} is stale: run npm run gen:builder`).toBe(true);
    }
  });
});
