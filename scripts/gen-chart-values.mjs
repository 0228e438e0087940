#!/usr/bin/env node
// Generates src/stack/charts/generated/values.ts, the key paths and value kinds of the Helm charts the stack
// installs, from the reference copies in ../shared/reference/charts (Chart.yaml, values.yaml, loki's
// values.schema.json). Only the shape is kept, never the charts' text or default values.
//
//   node scripts/gen-chart-values.mjs [--shared DIR] [--check]
//
// --check compares with the committed file instead of writing it (exit 1 when it differs).
// The output is deterministic: keys are sorted and nothing depends on time or environment.
//
// A node of the generated tree is one of
//   "letters"      a leaf: the kinds a value may have, from s (string), i (integer), n (number), b (boolean),
//                  m (map, any keys), l (list, any elements); "*" means any value at all
//   {key: node}    a map with these declared keys; a "*" key gives the node of every other key (a map of user
//                  entries whose values have a known kind)
//   [node]         a list whose every element is that node
// null is accepted everywhere: a null in a release's values removes the key, so the chart's default applies.
//
// Kinds come from the default value in values.yaml (rules in `nodeFromDefault`), except where loki's
// values.schema.json types a path: Helm validates values against that schema, so its types are the exact ones.

import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "..");
export const OUT_DIR = join(REPO, "src", "stack", "charts", "generated");
const CHARTS_SUBDIR = join("reference", "charts");

/** The charts river installs, by the id the checker uses, with the folder of their reference copy. */
const CHARTS = [
  { id: "kube-prometheus-stack", dir: "kube-prometheus-stack" },
  { id: "loki", dir: "loki" },
  { id: "alloy", dir: "alloy" },
];

/**
 * kube-prometheus-stack's subcharts, mounted under their values key (Chart.yaml `dependencies`, alias or name).
 * `dir: null`: the subchart's values are not in the reference copy, so anything under its key is accepted.
 */
const SUBCHARTS = {
  "kube-prometheus-stack": [
    { key: "crds", dir: "kube-prometheus-stack-crds" },
    { key: "kube-state-metrics", dir: "kube-state-metrics" },
    { key: "prometheus-node-exporter", dir: "prometheus-node-exporter" },
    { key: "grafana", dir: "grafana" },
    { key: "prometheus-windows-exporter", dir: null },
  ],
  // minio 5.4.0 and rollout-operator 0.51.1 (both off by default): loki's values.yaml sets a few of their keys,
  // but the subcharts read many more.
  loki: [
    { key: "minio", dir: null },
    { key: "rollout_operator", dir: null },
  ],
  // The local `crds` chart (one CRD, condition crds.create) has no values of its own beyond what alloy sets.
  alloy: [],
};

/**
 * Keys whose map default is a Kubernetes object (or a part of one) that the charts render with toYaml, so any field
 * of that object is valid although values.yaml only shows a few: securityContext, probes, resources, affinity,
 * update strategies, label and annotation maps. A map default under one of these names is a free-form map.
 */
const KUBERNETES_OBJECT_KEY =
  /^(securityContext|podSecurityContext|containerSecurityContext|resources|affinity|nodeSelector|annotations|labels|env|livenessProbe|readinessProbe|startupProbe|strategy|updateStrategy|deploymentStrategy|statefulStrategy|sessionAffinityConfig|tlsConfig|matchLabels)$|[a-z](Annotations|Labels|SecurityContext)$/;

/**
 * Declared maps that are nonetheless free-form: the template renders the whole map into another program's
 * configuration, whose keys the chart's values.yaml only samples. `kinds` adds the other kinds the template takes.
 */
export const PASS_THROUGH = [
  {
    chart: "kube-prometheus-stack", path: ["alertmanager", "config"], kinds: "ms",
    template: "kube-prometheus-stack: templates/alertmanager/secret.yaml",
    why: "rendered with toYaml (or tpl when a string) as alertmanager.yaml: any Alertmanager configuration key",
  },
  {
    chart: "kube-prometheus-stack", path: ["grafana", "grafana.ini"], kinds: "m",
    template: "grafana: templates/_config.tpl",
    why: "every section and key is written to grafana.ini",
  },
  ...[
    "server", "pattern_ingester", "memberlistConfig", "extraMemberlistConfig", "ingester", "ingester_client",
    "block_builder", "commonConfig", "limits_config", "schemaConfig", "testSchemaConfig", "query_range",
    "storage_config", "query_scheduler", "compactor", "compactor_grpc_client", "analytics", "ui", "querier",
    "index_gateway", "frontend", "frontend_worker", "distributor", "tracing", "bloom_build", "bloom_gateway",
    "operational_config", "rulerConfig", "runtimeConfig", "structuredConfig",
  ].map((name) => ({
    chart: "loki", path: ["loki", name], kinds: "m",
    template: "loki: values.yaml loki.config (rendered by templates/config.yaml)",
    why: "a block of Loki's own configuration, rendered with toYaml into config.yaml",
  })),
];

/**
 * Paths a chart's templates read that its values.yaml does not declare (often only shown in a commented example),
 * each with the template that reads it. `kinds` uses the leaf letters above, or "m" for a free-form map.
 * The generator fails when an entry is declared after all, so the list cannot go stale silently.
 */
export const ALLOWED = [
  {
    chart: "kube-prometheus-stack", path: ["grafana", "persistence", "storageClassName"], kinds: "snb",
    template: "grafana: templates/pvc.yaml",
    why: "commented example in values.yaml; the PVC's storageClassName",
  },
];

/** The kind letter of a YAML scalar or collection. */
function kindOf(value) {
  if (Array.isArray(value)) return "l";
  if (value !== null && typeof value === "object") return "m";
  if (typeof value === "string") return "s";
  if (typeof value === "number") return "n";
  if (typeof value === "boolean") return "b";
  return "*";
}

/**
 * The node for a default value:
 * - null: any value (the chart documents the key but gives no default to learn a kind from);
 * - a string: any scalar, since templates interpolate strings into YAML text and a number or boolean renders as well
 *   (only a map or a list breaks them);
 * - a number: a number (a quoted number breaks the templates' arithmetic and comparisons, `gt`, `eq`, `add`);
 * - a boolean: a boolean (the string "false" is true in a template `if`);
 * - `{}` or a map named like a Kubernetes object (KUBERNETES_OBJECT_KEY): a free-form map;
 * - another map: a map with its declared keys;
 * - a list of scalars of one kind: a list of that kind; any other list: a list of anything (lists of maps are
 *   Kubernetes objects or other programs' configuration, whose default elements only sample the fields).
 */
function nodeFromDefault(value, key) {
  switch (kindOf(value)) {
    case "*": return "*";
    case "s": return "snb";
    case "n": return "n";
    case "b": return "b";
    case "l": {
      if (value.length === 0) return "l";
      const kinds = new Set(value.map(kindOf));
      if (kinds.size !== 1) return "l";
      const [kind] = kinds;
      return kind === "m" || kind === "l" || kind === "*" ? "l" : [nodeFromDefault(value[0], undefined)];
    }
    default: {
      const keys = Object.keys(value);
      if (keys.length === 0 || (key !== undefined && KUBERNETES_OBJECT_KEY.test(key))) return "m";
      const out = {};
      for (const k of keys) out[k] = nodeFromDefault(value[k], k);
      return out;
    }
  }
}

const SCHEMA_KINDS = { string: "s", integer: "i", number: "n", boolean: "b", object: "m", array: "l" };

/** The leaf letters of a JSON schema `type` (null dropped: null is always accepted), or undefined when untyped. */
function schemaKinds(schema) {
  if (schema === null || typeof schema !== "object") return undefined;
  const types = typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : undefined;
  if (types === undefined) return undefined;
  let letters = "";
  for (const t of types) if (SCHEMA_KINDS[t] !== undefined) letters += SCHEMA_KINDS[t];
  return letters === "" ? "*" : letters;
}

/**
 * Refines a node from values.yaml with the schema at the same path. The schema's type wins for leaves; a declared map
 * stays a map of its declared keys (plus any properties only the schema declares) when the schema allows an object;
 * a free-form map takes the schema's `additionalProperties` type for its entries.
 */
function applySchema(node, schema) {
  if (schema === undefined || schema === null || typeof schema !== "object") return node;
  const kinds = schemaKinds(schema);
  const props = schema.properties !== null && typeof schema.properties === "object" ? schema.properties : {};
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    if (kinds !== undefined && kinds !== "*" && !kinds.includes("m")) return kinds;
    const out = { ...node };
    for (const [k, sub] of Object.entries(props)) out[k] = applySchema(out[k] ?? leafFromSchema(sub), sub);
    return out;
  }
  if (Array.isArray(node)) {
    if (kinds !== undefined && kinds !== "*" && !kinds.includes("l")) return kinds;
    return [applySchema(node[0], schema.items)];
  }
  if (kinds === undefined) return node;
  if (kinds === "m" && node === "m" && Object.keys(props).length === 0) {
    const ap = schema.additionalProperties;
    const entry = ap !== null && typeof ap === "object" ? schemaKinds(ap) : undefined;
    return entry !== undefined && entry !== "*" ? { "*": entry } : "m";
  }
  if (kinds === "l" && schema.items !== undefined) {
    const item = leafFromSchema(schema.items);
    return item === "*" ? "l" : [item];
  }
  return kinds;
}

/** A node for a schema-only path (no values.yaml default to start from). */
function leafFromSchema(schema) {
  const kinds = schemaKinds(schema);
  const props = schema?.properties;
  if (props !== undefined && props !== null && typeof props === "object" && Object.keys(props).length > 0) return applySchema({}, schema);
  return kinds ?? "*";
}

/** Merges two nodes for the same path (a subchart's own default and the parent chart's override of it). */
function mergeNodes(a, b) {
  const isMap = (n) => n !== null && typeof n === "object" && !Array.isArray(n);
  if (a === "*" || b === "*") return "*";
  if (isMap(a) && isMap(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeNodes(out[k], v) : v;
    return out;
  }
  // A free-form map on either side stays free-form: the subchart renders whatever it is given.
  if (isMap(a) && typeof b === "string" && b.includes("m")) return b;
  if (isMap(b) && typeof a === "string" && a.includes("m")) return a;
  if (typeof a === "string" && typeof b === "string") return [...new Set([...a, ...b])].sort().join("");
  return b;
}

function readYaml(path) {
  return parse(readFileSync(path, "utf8"));
}

/** The node at `path`, or undefined. */
function nodeAt(tree, path) {
  let n = tree;
  for (const k of path) {
    if (n === null || typeof n !== "object" || Array.isArray(n) || !Object.hasOwn(n, k)) return undefined;
    n = n[k];
  }
  return n;
}

/** Replaces the node at `path` (whose parents must be declared maps). */
function setNode(tree, path, node, what) {
  let n = tree;
  for (const k of path.slice(0, -1)) {
    n = n[k];
    if (n === null || typeof n !== "object" || Array.isArray(n)) throw new Error(`${what}: ${path.join(".")} is not under a declared map`);
  }
  n[path[path.length - 1]] = node;
}

/** The declared tree of one chart (values.yaml, its schema, its subcharts), before PASS_THROUGH and ALLOWED. */
export function declaredTree(chartsDir, id) {
  return treeOfDir(chartsDir, CHARTS.find((c) => c.id === id).dir, SUBCHARTS[id]);
}

function treeOfDir(chartsDir, dir, subcharts) {
  let tree = nodeFromDefault(readYaml(join(chartsDir, dir, "values.yaml")), undefined);
  const schemaPath = join(chartsDir, dir, "values.schema.json");
  if (existsSync(schemaPath)) tree = applySchema(tree, JSON.parse(readFileSync(schemaPath, "utf8")));
  for (const sub of subcharts) {
    if (sub.dir === null) {
      tree[sub.key] = "m";
      continue;
    }
    const subTree = treeOfDir(chartsDir, sub.dir, []);
    const { global: subGlobal, ...rest } = subTree;
    tree[sub.key] = tree[sub.key] === undefined ? rest : mergeNodes(rest, tree[sub.key]);
    // Helm passes the parent's `global` to every subchart, so the subchart's globals are set at the top.
    if (subGlobal !== undefined) tree.global = tree.global === undefined ? subGlobal : mergeNodes(tree.global, subGlobal);
  }
  return tree;
}

/** The tree the checker uses: declared paths, PASS_THROUGH maps made free-form, ALLOWED paths added. */
export function chartTree(chartsDir, id) {
  const tree = declaredTree(chartsDir, id);
  for (const p of PASS_THROUGH.filter((e) => e.chart === id)) {
    if (nodeAt(tree, p.path) === undefined) throw new Error(`PASS_THROUGH ${id} ${p.path.join(".")} is not declared`);
    setNode(tree, p.path, p.kinds, "PASS_THROUGH");
  }
  for (const a of ALLOWED.filter((e) => e.chart === id)) {
    if (nodeAt(tree, a.path) !== undefined) throw new Error(`ALLOWED ${id} ${a.path.join(".")} is declared in values.yaml: drop the entry`);
    setNode(tree, a.path, a.kinds, "ALLOWED");
  }
  return tree;
}

/** JSON with object keys sorted, so the output does not depend on values.yaml's key order. */
function stableJson(node) {
  if (Array.isArray(node)) return `[${node.map(stableJson).join(",")}]`;
  if (node !== null && typeof node === "object") {
    return `{${Object.keys(node).sort().map((k) => `${JSON.stringify(k)}:${stableJson(node[k])}`).join(",")}}`;
  }
  return JSON.stringify(node);
}

/** A single-quoted JavaScript string literal (JSON text is full of double quotes). */
function singleQuoted(text) {
  return `'${text.replace(/[\\'\n\r\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}'`;
}

function chartMeta(chartsDir, dir) {
  const c = readYaml(join(chartsDir, dir, "Chart.yaml"));
  return { name: String(c.name), version: String(c.version), appVersion: String(c.appVersion ?? "") };
}

/** Generates the module from a ../shared directory; returns {filename: text}. */
export function generate(sharedDir) {
  const chartsDir = join(sharedDir, CHARTS_SUBDIR);
  const lines = [
    "// Code generated by scripts/gen-chart-values.mjs from ../shared/reference/charts. DO NOT EDIT.",
    "// Key paths and value kinds only (see the script for the node format and the rules); no chart text or defaults.",
    "",
    'import type { ChartInfo } from "../model.ts";',
    "",
    "/** Name, version and appVersion of each chart (its Chart.yaml), and the versions of its subcharts. */",
    "export const CHART_INFO = {",
  ];
  for (const c of CHARTS) {
    const meta = chartMeta(chartsDir, c.dir);
    const subcharts = {};
    for (const s of SUBCHARTS[c.id]) if (s.dir !== null) subcharts[s.key] = chartMeta(chartsDir, s.dir).version;
    lines.push(`  ${JSON.stringify(c.id)}: ${stableJson({ ...meta, subcharts })},`);
  }
  lines.push("} as const satisfies Record<string, ChartInfo>;", "");
  lines.push("/** The values tree of each chart as JSON (a ValuesNode), parsed on first use: JSON.parse loads faster than a literal. */");
  lines.push("export const VALUES_JSON: Readonly<Record<keyof typeof CHART_INFO, string>> = {");
  for (const c of CHARTS) lines.push(`  ${JSON.stringify(c.id)}: ${singleQuoted(stableJson(chartTree(chartsDir, c.id)))},`);
  lines.push("};", "");
  return { "values.ts": lines.join("\n") };
}

function mainCli(argv) {
  let shared = resolve(REPO, "..", "shared");
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--shared") shared = resolve(argv[++i] ?? "");
    else if (argv[i] === "--check") check = true;
  }
  const probe = join(shared, CHARTS_SUBDIR, "kube-prometheus-stack", "values.yaml");
  if (!existsSync(probe)) {
    process.stderr.write(`gen-chart-values: ${probe} not found (use --shared DIR)\n`);
    return 2;
  }
  const out = generate(shared);
  let differ = 0;
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, text] of Object.entries(out)) {
    const path = join(OUT_DIR, name);
    if (check) {
      const old = existsSync(path) ? readFileSync(path, "utf8") : "";
      if (old !== text) {
        process.stderr.write(`gen-chart-values: ${path} is out of date\n`);
        differ++;
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path} (${text.length} bytes)\n`);
    }
  }
  return differ > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = mainCli(process.argv.slice(2));
}
