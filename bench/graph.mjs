#!/usr/bin/env node
// Whole-process benchmark of `river graph` on the largest config of the conformance corpus (issue 12's target: well
// under 0.5 s), in each output format: wall time around the child process (start-up included), and its CPU time
// (user + system, from GNU time), which says the same on an idle machine and stays meaningful on a busy one.
//   npm run build && node bench/graph.mjs [runs]
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const river = resolve(HERE, "../bin/river.js");
if (!existsSync(resolve(HERE, "../dist/cli/main.js"))) {
  process.stderr.write("bench/graph.mjs: dist/ not found; run `npm run build` first\n");
  process.exit(2);
}
const corpusPath = resolve(HERE, "../../shared/conformance/fmt/alloy-corpus.jsonl");
if (!existsSync(corpusPath)) {
  process.stderr.write(`bench/graph.mjs: ${corpusPath} not found\n`);
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 7);
const largest = readFileSync(corpusPath, "utf8")
  .trim()
  .split("\n")
  .map((l) => JSON.parse(l))
  .filter((c) => c.kind === "config" && c.expect !== undefined)
  .sort((a, b) => b.in.length - a.in.length)[0];
const outDir = resolve(HERE, "out");
mkdirSync(outDir, { recursive: true });
const input = resolve(outDir, "graph-input.alloy");
writeFileSync(input, largest.in);

const TARGET_SECONDS = 0.5;
for (const format of ["mermaid", "dot", "svg"]) {
  const wall = [];
  const cpu = [];
  let out = "";
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, river, "graph", "--format", format, input], {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    });
    wall.push((performance.now() - t0) / 1000);
    if (r.status !== 0) throw new Error(`river graph --format ${format} exited ${r.status}: ${r.stderr}`);
    const [user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
    cpu.push(user + sys);
    out = r.stdout;
  }
  const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
  const [w, c] = [median(wall), median(cpu)];
  console.log(
    `graph --format ${format.padEnd(7)} ${largest.name} (${(Buffer.byteLength(largest.in) / 1024).toFixed(0)} KiB): ` +
      `median wall ${w.toFixed(3)} s (min ${wall[0].toFixed(3)}), CPU ${c.toFixed(3)} s, ${runs} runs, ${(out.length / 1024).toFixed(0)} KiB out; ` +
      `target < ${TARGET_SECONDS} s: ${w < TARGET_SECONDS ? "met" : c < TARGET_SECONDS ? "met in CPU time (the machine is busy)" : "NOT met"}`,
  );
}
