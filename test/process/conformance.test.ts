/**
 * Conformance over ../shared/conformance/process/alloy-stage-cases.jsonl: cases converted from Alloy 1.18's own stage
 * tests and the loki.process docs examples. Every case must pass; only the fields each expected entry lists are
 * compared.
 */
import { describe, expect, it } from "vitest";
import { simulateProcess, type EntryInput, type EntryOutput, type ExtractedValue } from "../../src/process/index.ts";
import { readSharedJsonl } from "../helpers/shared.ts";

interface Case {
  name: string;
  stage: string;
  config: string;
  entries: EntryInput[];
  expected: { entries: Partial<EntryOutput>[]; dropped: number };
  notes: string;
}

const cases = readSharedJsonl<Case>("conformance/process/alloy-stage-cases.jsonl");

/** The clock a case needs: `fixed clock: now = <RFC3339>` in its notes, else a realistic fixed date. */
function clockOf(c: Case): string {
  return /fixed clock: now = (\S+?)[,;.)]?(?:\s|$)/.exec(c.notes)?.[1] ?? "2025-06-15T12:00:00Z";
}

/** Nested JSON is re-marshalled by Go with unspecified key order: compare such strings as JSON. */
function normalizeValue(v: ExtractedValue): unknown {
  if (typeof v === "string" && /^[[{]/.test(v)) {
    try {
      return { json: sortDeep(JSON.parse(v)) };
    } catch {
      return v;
    }
  }
  return v;
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]));
  return v;
}

/** The fields of `actual` that `expected` lists. */
function project(actual: EntryOutput, expected: Partial<EntryOutput>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expected) as (keyof EntryOutput)[]) {
    const v = actual[key];
    out[key] = key === "extracted" && v !== undefined ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalizeValue(x as ExtractedValue)])) : v;
  }
  return out;
}

function normalizeExpected(e: Partial<EntryOutput>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e };
  if (e.extracted) out.extracted = Object.fromEntries(Object.entries(e.extracted).map(([k, x]) => [k, normalizeValue(x)]));
  return out;
}

describe.skipIf(cases === undefined)("loki.process conformance (alloy-stage-cases.jsonl)", () => {
  it("has the pinned number of cases", () => {
    expect(cases?.length).toBe(226);
  });

  for (const c of cases ?? []) {
    it(c.name, () => {
      const result = simulateProcess(c.config, c.entries, { now: clockOf(c), extracted: true });
      expect(result.dropped, "dropped").toBe(c.expected.dropped);
      const got = result.entries.map((e, i) => project(e, c.expected.entries[i] ?? {}));
      const want = c.expected.entries.map(normalizeExpected);
      if (c.notes.startsWith("UNORDERED:")) {
        const key = (x: unknown) => JSON.stringify(sortDeep(x));
        expect(got.map(key).sort()).toEqual(want.map(key).sort());
      } else {
        expect(got).toEqual(want);
      }
    });
  }
});
