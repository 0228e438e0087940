#!/usr/bin/env node
// Whole-process benchmark of `river fmt -t` (the unified diff of --check) on a fully re-indented file: formatted Alloy
// (the corpus' expected outputs, or the repository's golden outputs without ../shared) whose every indented line is
// re-indented with spaces and every line shifted by two, so that almost every line differs from its formatted form.
// Issue 15's target: a 5 MB file in under 2 s and 300 MiB. Then the same text with every other line misformatted, and
// in-process the same lines shuffled and diffed against their order, exercise the diff's cost bound.
//   npm run build && node bench/fmt-diff.mjs [megabytes] [runs]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const river = resolve(HERE, "../bin/river.js");
if (!existsSync(resolve(HERE, "../dist/cli/main.js"))) {
  process.stderr.write("bench/fmt-diff.mjs: dist/ not found; run `npm run build` first\n");
  process.exit(2);
}
const megabytes = Number(process.argv[2] ?? 5);
const runs = Number(process.argv[3] ?? 3);
const outDir = resolve(HERE, "out");
mkdirSync(outDir, { recursive: true });

const corpusPath = resolve(HERE, "../../shared/conformance/fmt/alloy-corpus.jsonl");
let pieces;
if (existsSync(corpusPath)) {
  pieces = readFileSync(corpusPath, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
    .filter((c) => c.expect !== undefined && !/-(flat|messy)$/.test(c.name))
    .map((c) => c.expect);
} else {
  const golden = resolve(HERE, "../test/golden/fmt");
  pieces = readdirSync(golden).filter((f) => f.endsWith(".expect") && !f.startsWith("quirk-")).map((f) => readFileSync(resolve(golden, f), "utf8"));
  process.stderr.write("bench/fmt-diff.mjs: ../shared not found; using test/golden outputs\n");
}
// Multi-line strings would keep their re-indentation (it is string content): leave those pieces out.
const usable = pieces.filter((p) => !p.includes("`")).map((p) => (p.endsWith("\n") ? p : `${p}\n`));
const reindent = (line) => (line === "" ? line : `  ${line.replace(/^\t+/, (tabs) => "    ".repeat(tabs.length))}`);
// Whole pieces, cycling through them, until the re-indented text has the size asked for.
const parts = [];
for (let size = 0, i = 0; size < megabytes * 1e6; i++) {
  const piece = usable[i % usable.length];
  parts.push(piece);
  size += Buffer.byteLength(piece.split("\n").map(reindent).join("\n")) + 1;
}
const lines = parts.join("\n").split("\n");
const reindented = resolve(outDir, "fmt-diff-reindented.alloy");
writeFileSync(reindented, lines.map(reindent).join("\n"));
// Every other line misformatted (alignment lost, a tab turned into spaces): the unchanged lines in between have
// thousands of equal partners, so the diff has to search (and hits its cost bound), unlike the re-indented file.
const halfway = resolve(outDir, "fmt-diff-every-other-line.alloy");
writeFileSync(halfway, lines.map((l, i) => (i % 2 ? l.replace(/ +=/, " =").replace(/\t/, "  ") : l)).join("\n"));

function measure(label, args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", process.execPath, river, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
    if (r.status !== 1) throw new Error(`${label}: exit ${r.status}: ${r.stderr.slice(-2000)}`);
    const [secs, kib, user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
    samples.push({ secs, mib: kib / 1024, cpu: user + sys, out: r.stdout });
  }
  const secs = samples.map((s) => s.secs).sort((a, b) => a - b);
  const mib = samples.map((s) => s.mib).sort((a, b) => a - b);
  const cpu = samples.map((s) => s.cpu).sort((a, b) => a - b);
  const diffLines = samples[0].out.split("\n").length - 1;
  // On a busy machine wall time includes waiting for a core; CPU time (user + system) is what the run itself costs.
  console.log(
    `${label.padEnd(12)} median ${secs[secs.length >> 1].toFixed(2)} s (min ${secs[0].toFixed(2)}; CPU ${cpu[cpu.length >> 1].toFixed(2)} s), peak RSS median ${mib[mib.length >> 1].toFixed(0)} MiB, ${diffLines} diff lines`,
  );
  return { secs: secs[secs.length >> 1], mib: mib[mib.length >> 1] };
}

const TARGET_SECONDS = 2;
const TARGET_MIB = 300;
console.log(`re-indented: ${(Buffer.byteLength(readFileSync(reindented)) / 1e6).toFixed(2)} MB, ${lines.length} lines, ${runs} runs`);
const r = measure("fmt -t", ["fmt", "-t", reindented]);
console.log(`target (< ${TARGET_SECONDS} s, < ${TARGET_MIB} MiB): ${r.secs < TARGET_SECONDS && r.mib < TARGET_MIB ? "met" : "NOT met"}`);
console.log("every other line misformatted:");
measure("fmt -t", ["fmt", "-t", halfway]);

// The cost bound, in-process: the same lines in two different orders (a fixed-seed shuffle), so that every line has
// partners in the other text and a minimal script would cost O(N·D).
const { unifiedDiff } = await import(resolve(HERE, "../dist/cli/diff.js"));
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const shuffled = lines.slice(0, Math.min(lines.length, 50_000));
for (let i = shuffled.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
}
const t0 = performance.now();
const patch = unifiedDiff(lines.slice(0, shuffled.length).join("\n"), shuffled.join("\n"), "a", "b");
const secs = (performance.now() - t0) / 1000;
console.log(`shuffled:    ${shuffled.length} lines against their original order: ${secs.toFixed(2)} s in-process, ${patch.split("\n").length - 1} diff lines`);
console.log(`node ${process.version}; ${execFileSync("nproc").toString().trim()} cores`);
