#!/usr/bin/env node
// Times river's checker over the whole formatter corpus (config and fragment cases), then on one generated config
// made of N copies of pipelines/logs.alloy, each with two broken references (every one gets a "did you mean" lookup
// against all the config's component ids), once valid and once broken.
//   npm run build && node bench/check.mjs [rounds] [copies]
import { readFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const dist = resolve(HERE, "../dist/check/index.js");
if (!existsSync(dist)) {
  process.stderr.write("bench/check.mjs: dist/ not found; run `npm run build` first\n");
  process.exit(2);
}
const { check } = await import(dist);
const rounds = Number(process.argv[2] ?? 5);
const copies = Number(process.argv[3] ?? 2000);

const corpusPath = resolve(HERE, "../../shared/conformance/fmt/alloy-corpus.jsonl");
if (existsSync(corpusPath)) benchCorpus();
else process.stderr.write(`bench/check.mjs: ${corpusPath} not found; corpus benchmark skipped\n`);
benchGenerated(false);
benchGenerated(true);

function benchCorpus() {
  const cases = readFileSync(corpusPath, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((c) => c.kind !== "syntax" && c.expect !== undefined);
  const bytes = cases.reduce((n, c) => n + Buffer.byteLength(c.in), 0);
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
}

/** One config of `copies` relabelled copies of the homelab pipeline; `broken` misspells two references per copy. */
function benchGenerated(broken) {
  const pipeline = readFileSync(resolve(HERE, "../pipelines/logs.alloy"), "utf8");
  let text = "";
  for (let i = 0; i < copies; i++) {
    let copy = pipeline.replace(/"(pods|pod_logs|default)"/g, `"$1_${i}"`).replace(/\.(pods|pod_logs|default)\./g, `.$1_${i}.`);
    if (broken) copy = copy.replace(`discovery.kubernetes.pods_${i}.targets`, `discovery.kubernetes.pod_${i}.targets`).replace(`loki.write.default_${i}.receiver`, `loki.write.defualt_${i}.receiver`);
    text += copy;
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const { diagnostics } = check([{ filename: "generated.alloy", text }]);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const undefinedRefs = diagnostics.filter((d) => d.code === "UNDEFINED_REFERENCE").length;
  process.stdout.write(
    `check: ${copies} copies of pipelines/logs.alloy, ${broken ? "2 broken references each" : "valid"} ` +
      `(${(Buffer.byteLength(text) / 1024 / 1024).toFixed(1)} MiB): ${(ms / 1000).toFixed(2)} s ` +
      `(CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s: what counts on a busy machine), ${diagnostics.length} diagnostics (${undefinedRefs} undefined references)\n`,
  );
}
