/**
 * Checks a HelmRelease's `values` against the key paths and value kinds of the exact chart version it installs,
 * generated from the charts' own values.yaml (and loki's values.schema.json) by scripts/gen-chart-values.mjs.
 *
 * Helm itself accepts any key and renders whatever it is given, so a misspelled key silently does nothing; this
 * catches it before a release is built. Pure: no I/O, the trees are part of the module.
 */
import { didYouMean } from "../../check/suggest.ts";
import { CHART_INFO, VALUES_JSON } from "./generated/values.ts";
import type { ChartInfo, ValuesMapNode, ValuesNode } from "./model.ts";

export type { ChartInfo, ValuesNode, ValuesMapNode } from "./model.ts";

export type ChartId = keyof typeof CHART_INFO;

/** Name, version, appVersion (and subchart versions) of every chart river installs. */
export const CHARTS: Readonly<Record<ChartId, ChartInfo>> = CHART_INFO;

export type ValuesPath = readonly (string | number)[];

export interface ValuesProblem {
  /** Keys and list indexes from the top of the values to the offending key or value. */
  readonly path: ValuesPath;
  readonly code: "UNKNOWN_VALUES_KEY" | "VALUES_TYPE_MISMATCH";
  /** What is wrong and where (the path); not which chart, which the caller names with its own context. */
  readonly message: string;
  /**
   * For an unknown key: the declared sibling it most likely misspells or, when no sibling is close, the one place a
   * level or two further down that declares exactly this key, as a dotted path from the parent (`prometheusSpec.retention`
   * for `prometheus.retention`).
   */
  readonly suggestion?: string;
}

const trees = new Map<ChartId, ValuesNode>();

/** The values tree of a chart (parsed from the generated JSON on first use). */
export function chartValuesTree(chart: ChartId): ValuesNode {
  let tree = trees.get(chart);
  if (tree === undefined) {
    tree = JSON.parse(VALUES_JSON[chart]) as ValuesNode;
    trees.set(chart, tree);
  }
  return tree;
}

/**
 * Every unknown key and every value of the wrong kind in `values` (a parsed YAML/JSON object), in document order.
 *
 * Kinds follow the chart's defaults (the generator documents the rules): where the default is a string any scalar is
 * accepted, since templates interpolate it into YAML text; a number must be a number and a boolean a boolean, since
 * a quoted one breaks template comparisons and `if`; maps and lists must stay maps and lists. Loki's paths use its
 * values.schema.json types exactly, as Helm enforces them. null is accepted anywhere (it unsets the key), and nothing
 * is checked under a free-form map, a key whose default is null, or a list whose default elements have no clear shape.
 */
export function checkChartValues(chart: ChartId, values: unknown): ValuesProblem[] {
  const problems: ValuesProblem[] = [];
  walk(chartValuesTree(chart), values, [], problems);
  return problems;
}

function walk(node: ValuesNode, value: unknown, path: (string | number)[], out: ValuesProblem[]): void {
  if (value === null || value === undefined || node === "*") return;
  const kind = kindOf(value);
  if (typeof node === "string") {
    if (!accepts(node, kind, value)) out.push(mismatch(path, describeLetters(node), kind, value, node));
    return;
  }
  if (isListNode(node)) {
    if (kind !== "l") {
      out.push(mismatch(path, "a list", kind, value, "l"));
      return;
    }
    (value as unknown[]).forEach((v, i) => walk(node[0], v, [...path, i], out));
    return;
  }
  if (kind !== "m") {
    out.push(mismatch(path, "a map", kind, value, "m"));
    return;
  }
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const child = childNode(node, key);
    if (child === undefined) {
      out.push(unknownKey(node, key, [...path, key]));
      continue;
    }
    walk(child, v, [...path, key], out);
  }
}

function isListNode(node: ValuesNode): node is readonly [ValuesNode] {
  return Array.isArray(node);
}

function childNode(node: ValuesMapNode, key: string): ValuesNode | undefined {
  if (key !== "*" && Object.hasOwn(node, key)) return node[key];
  return Object.hasOwn(node, "*") ? node["*"] : undefined;
}

type Kind = "s" | "n" | "b" | "m" | "l";

function kindOf(value: unknown): Kind {
  if (Array.isArray(value)) return "l";
  switch (typeof value) {
    case "string": return "s";
    case "number": case "bigint": return "n";
    case "boolean": return "b";
    default: return "m";
  }
}

function accepts(letters: string, kind: Kind, value: unknown): boolean {
  if (kind === "n" && letters.includes("i") && !letters.includes("n")) return Number.isInteger(Number(value));
  return letters.includes(kind) || (kind === "n" && letters.includes("i"));
}

const KIND_WORDS: Record<string, string> = {
  s: "a string", i: "an integer", n: "a number", b: "a boolean", m: "a map", l: "a list",
};

function describeLetters(letters: string): string {
  const words = [...letters].map((c) => KIND_WORDS[c] ?? c);
  return words.length <= 1 ? (words[0] ?? "nothing") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

/** `a.b[2].c`, with keys that are not plain identifiers quoted: `grafana["grafana.ini"]`. */
export function formatValuesPath(path: ValuesPath): string {
  let s = "";
  for (const p of path) {
    if (typeof p === "number") s += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) s += s === "" ? p : `.${p}`;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}

function mismatch(path: ValuesPath, expected: string, kind: Kind, value: unknown, letters: string): ValuesProblem {
  // A number where only integers go: show it, "got a number" would read as a contradiction.
  const integerOnly = letters.includes("i") && !letters.includes("n");
  const got = kind === "n" && integerOnly ? String(value) : (KIND_WORDS[kind] ?? kind);
  let hint = "";
  if (kind === "s" && !letters.includes("s")) {
    const text = value as string;
    if ((letters.includes("n") || letters.includes("i")) && text.trim() !== "" && Number.isFinite(Number(text))) {
      hint = `; write ${text.trim()} without quotes (a quoted number breaks the chart's comparisons and arithmetic)`;
    } else if (letters.includes("b") && (text === "true" || text === "false")) {
      hint = `; write ${text} without quotes (the string "false" counts as true in a template)`;
    }
  }
  const where = path.length === 0 ? "the values" : formatValuesPath(path);
  return {
    path,
    code: "VALUES_TYPE_MISMATCH",
    message: `${where} must be ${expected}, got ${got}${hint}`,
  };
}

function unknownKey(node: ValuesMapNode, key: string, path: ValuesPath): ValuesProblem {
  const siblings = Object.keys(node).filter((k) => k !== "*");
  const suggestion = didYouMean(key, siblings) ?? misplaced(node, key);
  const parent = path.slice(0, -1);
  const where = parent.length === 0 ? "at the top level of the values" : `under ${formatValuesPath(parent)}`;
  return {
    path,
    code: "UNKNOWN_VALUES_KEY",
    message: `unknown key ${JSON.stringify(key)} ${where}${suggestion !== undefined ? `; did you mean ${JSON.stringify(suggestion)}?` : ""}`,
    ...(suggestion !== undefined ? { suggestion } : {}),
  };
}

/** How many map levels below an unknown key's parent `misplaced` looks for the key. */
const MISPLACED_DEPTH = 2;

/**
 * The dotted path from `node` to the only declared map that has `key`, searching level by level (the first level with
 * any match decides), or undefined when no level has it or a level has it in more than one place (say `enabled`).
 */
function misplaced(node: ValuesMapNode, key: string): string | undefined {
  let level: [string, ValuesMapNode][] = [["", node]];
  for (let depth = 1; depth <= MISPLACED_DEPTH; depth++) {
    const next: [string, ValuesMapNode][] = [];
    const found: string[] = [];
    for (const [prefix, map] of level) {
      for (const [k, child] of Object.entries(map)) {
        if (k === "*" || typeof child === "string" || isListNode(child)) continue;
        const at = prefix === "" ? k : `${prefix}.${k}`;
        if (Object.hasOwn(child, key)) found.push(`${at}.${key}`);
        next.push([at, child]);
      }
    }
    if (found.length > 0) return found.length === 1 ? found[0] : undefined;
    level = next;
  }
  return undefined;
}
