/**
 * Differential test against the real `alloy fmt`, for developers who have one: set ALLOY_FMT to a command that reads
 * Alloy source on stdin and behaves like `alloy fmt -` (prints the formatted file, or exits non-zero with alloy's
 * diagnostics on stderr). Without it, this file is skipped. Random sources (with comments spliced in anywhere) must
 * give byte-identical output, or both must reject them with the same first diagnostic and the same number of
 * diagnostics (ALLOY_FMT_COUNTS=0 compares the first one only).
 */
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { format, RiverSyntaxError } from "../../src/index.ts";
import { riverNoise, riverSource, riverSourceWithComments } from "../helpers/arbitraries.ts";

const oracle = process.env["ALLOY_FMT"];
/** Also compare the number of errors ("(and N more diagnostics)"): river recovers from errors as alloy does. */
const compareCounts = process.env["ALLOY_FMT_COUNTS"] !== "0";
if (!oracle) console.warn("skipping the differential test against alloy fmt: set ALLOY_FMT to use it");

/** UTF-8 bytes of a source, with U+DC80–U+DCFF turned back into the undecodable bytes they stand for. */
function encode(src: string): Buffer {
  const parts = src.split(/([\udc80-\udcff])/);
  return Buffer.concat(parts.map((p, i) => (i % 2 === 1 ? Buffer.from([p.charCodeAt(0) - 0xdc00]) : Buffer.from(p, "utf8"))));
}

function alloy(src: string): { out: string } | { error: string } {
  const r = spawnSync(oracle as string, { input: encode(src), shell: true, encoding: "utf8" });
  if (r.status === 0) return { out: r.stdout };
  // alloy prints "<stdin>:L:C: message (and N more diagnostics)"; ALLOY_FMT_COUNTS=0 compares the first error only.
  const first = r.stderr.trim().split("\n")[0] ?? "";
  return { error: compareCounts ? first : first.replace(/ \(and \d+ more diagnostics\)$/, "") };
}

function river(src: string): { out: string } | { error: string } {
  try {
    return { out: format(src) };
  } catch (err) {
    if (!(err instanceof RiverSyntaxError)) throw err;
    const d = err.diagnostics[0];
    return { error: compareCounts ? err.message : `<stdin>:${d?.line}:${d?.column}: ${d?.message}` };
  }
}

describe.skipIf(!oracle)("river fmt agrees with alloy fmt", () => {
  it("on random sources, random comment placements and random noise", () => {
    fc.assert(
      fc.property(fc.oneof(riverSource, riverSourceWithComments, riverNoise), (src) => {
        expect(river(src)).toEqual(alloy(src));
      }),
      { numRuns: Number(process.env["ALLOY_FMT_RUNS"] ?? 500) },
    );
  });
});
