import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as builder from "../../src/builder/index.ts";
import { importAlloy } from "../../src/builder/import.ts";
import { format } from "../../src/index.ts";
import { readFmtCorpus } from "../helpers/shared.ts";

/** Runs a module printed by `river import` (plain JavaScript once its import and export lines are dropped). */
function run(module: string): builder.Config {
  const lines = module.split("\n");
  expect(lines[0]).toMatch(/^import \{ [A-Za-z, ]+ \} from "river\/builder";$/);
  const code = lines.slice(1).join("\n").replace(/export default config;\n$/, "return config;\n");
  const names = Object.keys(builder).filter((k) => k !== "default");
  return new Function(...names, code)(...names.map((n) => (builder as Record<string, unknown>)[n])) as builder.Config;
}

function roundTrip(source: string): string {
  const imported = importAlloy(source);
  expect(imported.diagnostics).toEqual([]);
  return run(imported.text).build({ fragment: true }).text;
}

describe("river import", () => {
  it("turns pipelines/logs.alloy into a typed module that builds it again", () => {
    const source = readFileSync(new URL("../../pipelines/logs.alloy", import.meta.url), "utf8");
    expect(roundTrip(source)).toBe(source);
  });

  const corpus = readFmtCorpus()?.filter((c) => c.expect !== undefined);
  it.skipIf(corpus === undefined)("round-trips the accepted sources of the conformance corpus: import, run, format", () => {
    const failures: string[] = [];
    let unsupported = 0;
    for (const c of corpus ?? []) {
      const imported = importAlloy(c.in);
      if (imported.diagnostics.length > 0) {
        unsupported++;
        failures.push(`${c.name}: ${imported.diagnostics[0]?.message}`);
        continue;
      }
      let built: string;
      try {
        built = run(imported.text).build({ fragment: true }).text;
      } catch (err) {
        failures.push(`${c.name}: threw ${String(err)}`);
        continue;
      }
      if (built !== c.expect) failures.push(`${c.name}: differs`);
    }
    console.log(`${corpus?.length} cases, ${unsupported} unsupported, ${failures.length - unsupported} other failures`);
    const counts = new Map<string, number>();
    for (const f of failures) { const k = f.replace(/^[^:]*: /, "").replace(/'[^']*'/g, "X"); counts.set(k, (counts.get(k) ?? 0) + 1); }
    console.log([...counts].sort((a, b) => b[1] - a[1]));
    expect(failures.slice(0, 40)).toEqual([]);
  });
});
