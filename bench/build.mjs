#!/usr/bin/env node
// Whole-process `river build` and `river lint` on a copy of the repo's pipelines/ and manifests/: wall time (median
// of N cold runs, each a new Node process) and peak RSS. The target: each under 1 s on the 2-core machine.
//   npm run build && node bench/build.mjs [runs]
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(ROOT, "bin/river.js");
if (!existsSync(join(ROOT, "dist/cli/main.js"))) {
  process.stderr.write("bench/build.mjs: dist/ not found; run `npm run build` first\n");
  process.exit(2);
}
const runs = Number(process.argv[2] ?? 7);
const dir = mkdtempSync(join(tmpdir(), "river-bench-build-"));
cpSync(join(ROOT, "pipelines"), join(dir, "pipelines"), { recursive: true });
if (existsSync(join(ROOT, "manifests"))) cpSync(join(ROOT, "manifests"), join(dir, "manifests"), { recursive: true });
const time = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

for (const command of ["build", "lint"]) {
  const walls = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = time
      ? spawnSync(time, ["-f", "%M", process.execPath, bin, command], { cwd: dir, encoding: "utf8" })
      : spawnSync(process.execPath, [bin, command], { cwd: dir, encoding: "utf8" });
    walls.push(performance.now() - t0);
    if (r.status !== 0) {
      process.stderr.write(`river ${command} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      process.exit(1);
    }
    if (time) rss.push(Number(r.stderr.trim().split("\n").at(-1)) / 1024);
  }
  walls.sort((a, b) => a - b);
  const median = walls[Math.floor(walls.length / 2)];
  const peak = rss.length > 0 ? `, peak RSS ${Math.max(...rss).toFixed(0)} MiB` : "";
  process.stdout.write(
    `river ${command}: median ${(median / 1000).toFixed(3)} s of ${runs} cold runs (min ${(walls[0] / 1000).toFixed(3)}, max ${(walls.at(-1) / 1000).toFixed(3)})${peak} — target < 1 s: ${median < 1000 ? "met" : "NOT met"}\n`,
  );
}
