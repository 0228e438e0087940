import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { grammarDiagramHtml, grammarEbnf, grammarProductions } from "../../src/syntax/grammar.ts";

const dir = fileURLToPath(new URL("../../grammar/", import.meta.url));

describe("grammar documents", () => {
  const productions = grammarProductions();

  it("grammar/river.ebnf is what the parser generates (run `npm run gen:grammar` after changing the parser)", () => {
    expect(readFileSync(`${dir}river.ebnf`, "utf8")).toBe(grammarEbnf(productions));
  });

  it("grammar/river.html is what the parser generates (run `npm run gen:grammar` after changing the parser)", () => {
    expect(readFileSync(`${dir}river.html`, "utf8")).toBe(grammarDiagramHtml(productions));
  });

  it("documents every rule of the parser", () => {
    const ebnf = readFileSync(`${dir}river.ebnf`, "utf8");
    for (const rule of productions) expect(ebnf).toContain(`\n${(rule as unknown as { name: string }).name.padEnd(13)} = `);
  });
});
