/**
 * The fmt conformance corpus: 2,576 inputs from Alloy 1.18.1's docs, example configs and syntax tests, each with the
 * exact output of `alloy fmt` or alloy's first error. river must print byte-identical output and reject what alloy
 * rejects with its first diagnostic at alloy's line:column, with alloy's message, and as many diagnostics as alloy.
 */
import { describe, expect, it } from "vitest";
import { format, parse, RiverSyntaxError } from "../../src/index.ts";
import { readFmtCorpus } from "../helpers/shared.ts";

const corpus = readFmtCorpus();

const accepted = corpus?.filter((c) => c.expect !== undefined) ?? [];
const rejected = corpus?.filter((c) => c.error !== undefined) ?? [];

describe.skipIf(corpus === undefined)("alloy fmt corpus", () => {
  it("has the expected number of cases", () => {
    expect(accepted.length + rejected.length).toBe(2576);
  });

  it.each(accepted.map((c) => [c.name, c] as const))("formats %s byte for byte", (_name, c) => {
    expect(format(c.in)).toBe(c.expect);
  });

  it.each(rejected.map((c) => [c.name, c] as const))("rejects %s like alloy", (_name, c) => {
    const m = /^<stdin>:(\d+):(\d+): (.*?)(?: \(and (\d+) more diagnostics\))?$/s.exec(c.error as string);
    expect(m).not.toBeNull();
    const [, line, column, message, more] = m as RegExpExecArray;
    const { diagnostics } = parse(c.in);
    // river's recovery follows alloy's parser, so even the number of errors matches.
    expect(diagnostics.length).toBe(more === undefined ? 1 : Number(more) + 1);
    expect(diagnostics.length).toBeGreaterThan(0);
    const first = diagnostics[0];
    expect({ line: first?.line, column: first?.column, message: first?.message }).toEqual({
      line: Number(line),
      column: Number(column),
      message,
    });
    expect(() => format(c.in)).toThrow(RiverSyntaxError);
  });
});
