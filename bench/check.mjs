#!/usr/bin/env node
// Times river's checker over the whole formatter corpus (config and fragment cases).
//   npm run build && node bench/check.mjs [rounds]
import { readFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const dist = resolve(HERE, "../dist/check/index.js");
if (!existsSync(dist)) {
  process.stderr.write("bench/check.mjs: dist/ not found; run `npm run build` first\n");
  process.exit(2);
}
const corpusPath = resolve(HERE, "../../shared/conformance/fmt/alloy-corpus.jsonl");
if (!existsSync(corpusPath)) {
  process.stderr.write(`bench/check.mjs: ${corpusPath} not found\n`);
  process.exit(2);
}
const { check } = await import(dist);
const cases = readFileSync(corpusPath, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((c) => c.kind !== "syntax" && c.expect !== undefined);
const bytes = cases.reduce((n, c) => n + Buffer.byteLength(c.in), 0);
const rounds = Number(process.argv[2] ?? 5);

// Warm up (JIT, lazy parser construction).
for (const c of cases) check(c.in, { fragment: c.kind === "fragment" });
const times = [];
let diags = 0;
for (let r = 0; r < rounds; r++) {
  const t0 = performance.now();
  diags = 0;
  for (const c of cases) diags += check(c.in, { fragment: c.kind === "fragment" }).diagnostics.length;
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
process.stdout.write(
  `check: ${cases.length} corpus cases (${(bytes / 1024).toFixed(0)} KiB), ${rounds} rounds: median ${median.toFixed(0)} ms ` +
    `(${((bytes / 1024 / 1024) / (median / 1000)).toFixed(1)} MiB/s, ${(median / cases.length).toFixed(3)} ms/case), ${diags} diagnostics\n`,
);
