/**
 * Conformance over the shared relabel cases (../shared/conformance/relabel). Every prometheus-cases.jsonl case must
 * match Alloy's discovery.relabel answer; the other files and modes are measured and must not regress below the
 * recorded floor.
 */
import { afterAll, describe, expect, it } from "vitest";
import { relabel, type RelabelMode, type RelabelResult } from "../../src/relabel/index.ts";
import { readSharedJsonl } from "../helpers/shared.ts";

interface Answer {
  labels?: Record<string, string>;
  dropped?: boolean;
  error?: string;
}
interface Case {
  name: string;
  rules: unknown[];
  labels: Record<string, string>;
  oracle_by_mode: Record<RelabelMode, Answer>;
}


function run(c: Case, mode: RelabelMode): Answer {
  let result: RelabelResult;
  try {
    result = relabel(c.rules as never, c.labels, { mode });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  return result.dropped ? { dropped: true } : { labels: { ...result.labels } };
}

/** Compares an answer with the oracle: for errors only that an error happened. */
function agrees(got: Answer, want: Answer): boolean {
  if (want.error !== undefined) return got.error !== undefined;
  if (want.dropped) return got.dropped === true;
  if (got.labels === undefined || want.labels === undefined) return false;
  return JSON.stringify(sortKeys(got.labels)) === JSON.stringify(sortKeys(want.labels));
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const MODES: readonly RelabelMode[] = ["discovery", "loki", "prometheus_utf8", "prometheus_legacy"];

const prometheusCases = readSharedJsonl<Case>("conformance/relabel/prometheus-cases.jsonl");
const alloyCases = readSharedJsonl<Case>("conformance/relabel/alloy-cases.jsonl");

describe.skipIf(prometheusCases === undefined || alloyCases === undefined)("relabel conformance", () => {
  const files = prometheusCases && alloyCases ? { prometheus: prometheusCases, alloy: alloyCases } : undefined;
  const rates: string[] = [];
  it("has every case: 60 from Prometheus, 56 from Alloy (an empty or cut file must not pass)", () => {
    expect(files?.prometheus).toHaveLength(60);
    expect(files?.alloy).toHaveLength(56);
  });
  afterAll(() => {
    if (rates.length > 0) console.log(`relabel conformance:\n  ${rates.join("\n  ")}`);
  });

  describe("prometheus-cases.jsonl against oracle_by_mode.discovery (must be 100%)", () => {
    for (const c of files?.prometheus ?? []) {
      it(c.name, () => {
        const want = c.oracle_by_mode.discovery;
        const got = run(c, "discovery");
        if (want.error !== undefined) expect(got.error, "an error is expected").toBeDefined();
        else expect(got).toEqual(want.dropped ? { dropped: true } : { labels: want.labels });
      });
    }
  });

  describe("alloy-cases.jsonl against oracle_by_mode.discovery", () => {
    for (const c of files?.alloy ?? []) {
      it(c.name, () => {
        const want = c.oracle_by_mode.discovery;
        const got = run(c, "discovery");
        if (want.error !== undefined) expect(got.error, "an error is expected").toBeDefined();
        else expect(got).toEqual(want.dropped ? { dropped: true } : { labels: want.labels });
      });
    }
  });

  // Rates for every file and mode; each mode must stay at 100% (the floor documents what we reached).
  for (const fileName of ["prometheus", "alloy"] as const) {
    for (const mode of MODES) {
      it(`${fileName}-cases × ${mode}: agreement rate`, () => {
        const cases = files?.[fileName] ?? [];
        const failures = cases.filter((c) => !agrees(run(c, mode), c.oracle_by_mode[mode])).map((c) => c.name);
        rates.push(`${fileName}-cases.jsonl ${mode}: ${cases.length - failures.length}/${cases.length}`);
        expect(failures).toEqual([]);
      });
    }
  }
});
