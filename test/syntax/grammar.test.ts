import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { grammarDiagramHtml, grammarEbnf, grammarProductions } from "../../src/syntax/grammar.ts";
import { RiverParser } from "../../src/syntax/parser.ts";

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

describe("what the parser's fast paths rely on", () => {
  it("passes Chevrotain's grammar validations (skipped at run time to save start-up time)", () => {
    expect(() => new RiverParser({ validate: true })).not.toThrow();
  });

  it("has no terminal right after a repetition it skips when the next token cannot start it", () => {
    // RiverParser.#may skips these MANY calls at parse time. That is equivalent only because Chevrotain's
    // in-repetition recovery never applies to them: it needs a terminal right after the loop in its rule.
    const rules = new RiverParser().getSerializedGastProductions() as unknown as { name: string; definition: { type: string }[] }[];
    for (const name of ["expression", "unaryExpr", "operExpr", "statement"]) {
      const definition = rules.find((r) => r.name === name)?.definition ?? [];
      const repetitions = definition.flatMap((p, i) => (p.type === "Repetition" ? [i] : []));
      expect(repetitions.length, name).toBe(1);
      for (const i of repetitions) expect(definition[i + 1]?.type ?? "end of rule", name).not.toBe("Terminal");
    }
  });
});
