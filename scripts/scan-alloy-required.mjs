#!/usr/bin/env node
// Reads Alloy's Go sources (a git checkout or mirror, at the tag the schema was extracted from) and records, for
// every attribute and block name used in an `alloy:"name,attr|block[,optional]"` struct tag, whether the code
// requires it everywhere, nowhere, or in some structs only. The docs' Required column is not reliable; the
// generator trusts "required" only when the code agrees (scripts/alloy-required.json, committed).
//
//   node scripts/scan-alloy-required.mjs /path/to/alloy/.git [tag]
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [gitDir, tag = "v1.18.1"] = process.argv.slice(2);
if (!gitDir) {
  process.stderr.write("usage: scan-alloy-required.mjs <alloy git dir> [tag]\n");
  process.exit(2);
}
const out = execFileSync("git", ["--git-dir", gitDir, "grep", "-E", 'alloy:"[A-Za-z0-9_.]+,(attr|block)', tag, "--", "*.go", ":!*_test.go"], {
  encoding: "utf8",
  maxBuffer: 1 << 28,
});
// Per Go package under internal/component (component "a.b.c" lives in internal/component/a/b/c), and globally.
const global = { attr: {}, block: {} };
const packages = {};
const note = (table, kind, name, state) => {
  const prev = table[kind][name];
  table[kind][name] = prev === undefined || prev === state ? state : "mixed";
};
for (const line of out.split("\n")) {
  const file = /^[^:]+:([^:]+\.go):/.exec(line)?.[1];
  if (file === undefined) continue;
  const pkg = /^internal\/component\/(.+)\/[^/]+\.go$/.exec(file)?.[1];
  for (const m of line.matchAll(/alloy:"([A-Za-z0-9_.]+),(attr|block)(,optional)?"/g)) {
    const [, name, kind, optional] = m;
    const state = optional ? "optional" : "required";
    note(global, kind, name, state);
    if (pkg !== undefined) {
      packages[pkg] ??= { attr: {}, block: {} };
      note(packages[pkg], kind, name, state);
    }
  }
}
const sorted = (o) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
const result = {
  source: `grafana/alloy ${tag}: struct tags of non-test Go files`,
  global: { attr: sorted(global.attr), block: sorted(global.block) },
  packages: Object.fromEntries(Object.keys(packages).sort().map((p) => [p, { attr: sorted(packages[p].attr), block: sorted(packages[p].block) }])),
};
const path = join(dirname(fileURLToPath(import.meta.url)), "alloy-required.json");
writeFileSync(path, JSON.stringify(result, null, 1) + "\n");
process.stdout.write(`wrote ${path}: ${Object.keys(global.attr).length} attribute names, ${Object.keys(global.block).length} block names, ${Object.keys(packages).length} packages\n`);
