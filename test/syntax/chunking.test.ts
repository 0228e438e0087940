import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatInChunks } from "../../src/format/format.ts";
import { RiverSyntaxError } from "../../src/diag/diagnostic.ts";
import { CHUNK_TOKENS, ParseSession } from "../../src/syntax/parse.ts";
import { readFmtCorpus } from "../helpers/shared.ts";
import { riverNoise, riverSourceWithComments } from "../helpers/arbitraries.ts";

/**
 * The parser works through the text in chunks of whole top-level statements (CHUNK_TOKENS tokens at least). Nothing
 * may depend on where the chunks end: not the tree, not the comments, not the diagnostics, not the formatting. Every
 * input here is run with chunks of one statement (so chunk ends are everywhere), a few tokens, the default, and the
 * whole text at once.
 */
const SIZES = [1, 3, CHUNK_TOKENS, Number.MAX_SAFE_INTEGER];

function parseWith(text: string, chunkTokens: number): unknown {
  const session = new ParseSession(text, { filename: "t.alloy" }, chunkTokens);
  const statements: unknown[] = [];
  for (let chunk = session.next(); chunk !== undefined; chunk = session.next()) statements.push(...chunk.statements);
  const { diagnostics, comments } = session.finish();
  return { statements, diagnostics, comments };
}

function formatWith(text: string, chunkTokens: number): string {
  try {
    return new TextDecoder().decode(formatInChunks(text, { filename: "t.alloy" }, chunkTokens));
  } catch (err) {
    if (!(err instanceof RiverSyntaxError)) throw err;
    return `error: ${JSON.stringify(err.diagnostics)}`;
  }
}

function expectChunkIndependent(text: string): void {
  const parsed = parseWith(text, SIZES[0] as number);
  const formatted = formatWith(text, SIZES[0] as number);
  for (const size of SIZES.slice(1)) {
    expect(parseWith(text, size)).toEqual(parsed);
    expect(formatWith(text, size)).toBe(formatted);
  }
}

const GOLDEN = fileURLToPath(new URL("../golden/fmt/", import.meta.url));
const corpus = readFmtCorpus();

describe("chunked parsing gives the same results whatever the chunk size", () => {
  it("on the golden inputs", () => {
    const inputs = readdirSync(GOLDEN).filter((f) => f.endsWith(".in"));
    expect(inputs.length).toBeGreaterThan(10);
    for (const f of inputs) expectChunkIndependent(readFileSync(GOLDEN + f, "utf8"));
  });

  it("on errors that recovery carries across statement ends", () => {
    const cases = [
      "a = 1\nb = [1,\n2\nc = 3\nd = 4\n",
      "a = (1 +\nb = 2\n}\nc = 3\n",
      "block {\n  x = 1\n\nother = 2\n",
      "a = 1 b = 2\nc = 3\n",
      'x = "unterminated\ny = 2\n',
      "a = 1\n/* unterminated comment\nb = 2\n",
      "}}}\na = 1\n{\nb = 2\n",
      "a = 1\n" + "b = [".repeat(120) + "\nc = 3\n",
      // Errors before a statement nested too deeply to parse: everything up to that statement is parsed.
      `a = 1 2\nb = 3\nc = 4 5\nz = ${"[".repeat(120)}\ne = 1\n`,
      `blk {\n a = 1 2\n}\nq = 1\nz = ${"(".repeat(120)}\n`,
    ];
    // Long valid prefixes put the error in a later chunk, past the default chunk size.
    const prefix = Array.from({ length: 150 }, (_, i) => `k${i} = ${i}\n`).join("");
    for (const c of cases) {
      expectChunkIndependent(c);
      expectChunkIndependent(prefix + c);
    }
  });

  it("on random sources with comments, and on noise", () => {
    fc.assert(fc.property(riverSourceWithComments, (text) => expectChunkIndependent(text)), { numRuns: 150 });
    fc.assert(fc.property(riverNoise, (text) => expectChunkIndependent(text)), { numRuns: 150 });
    // Long enough to cross the default chunk size several times.
    const long = fc.array(riverSourceWithComments, { minLength: 10, maxLength: 40 }).map((parts) => parts.join("\n"));
    fc.assert(fc.property(long, (text) => expectChunkIndependent(text)), { numRuns: 40 });
  });

  it.skipIf(!corpus)("on every case of the alloy fmt corpus", () => {
    for (const c of corpus ?? []) expectChunkIndependent(c.in);
  });
});
