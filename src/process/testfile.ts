/**
 * The YAML test files `river test` runs (`*.test.yaml`), shaped like Alloy's internal pipelinetest so that they could
 * later run under an `alloy test`:
 *
 * ```yaml
 * config: {path: logs.alloy}         # the config file, relative to this file; or the config itself, inline (|)
 * tests:                             # or a single test at the top level (inputs/assert), as pipelinetest has it
 *   - name: drops kube-system probes
 *     now: "2025-01-01T00:00:00Z"    # optional clock
 *     inputs:
 *       loki:
 *         - components: [loki.process.pod_logs.receiver]   # or a loki.source.* component, with targets
 *           targets: [{__meta_kubernetes_namespace: kube-system}]  # alone for a discovery.relabel component
 *           entries:
 *             - {line: "...", labels: {namespace: kube-system}, timestamp: "...", structured_metadata: {...}}
 *     assert:
 *       loki:
 *         - {type: count, count: 0, match: {...}}
 *         - {type: contains, match: {line: "...", labels: {mode: partial, values: {...}}}}
 *         - {type: equals, entries: [{line: "...", labels: {...}}]}
 *         - {type: dropped, count: 1, stage: stage.match, reason: kube_system_health_check}
 * ```
 *
 * Problems are diagnostics at the YAML node at fault; a file with problems runs none of its tests.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from "yaml";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import type { EntryInput } from "./types.ts";

export interface MapMatch {
  readonly mode: "exact" | "partial";
  readonly values: Readonly<Record<string, string>>;
}

/** What an entry must look like; absent fields are not compared. */
export interface EntryMatch {
  readonly line?: string;
  readonly timestamp?: string;
  readonly labels?: MapMatch;
  readonly structured_metadata?: MapMatch;
}

export type Assertion =
  | { readonly type: "count"; readonly count: number; readonly match: EntryMatch; readonly at: Diagnostic }
  | { readonly type: "contains"; readonly match: EntryMatch; readonly at: Diagnostic }
  | { readonly type: "equals"; readonly entries: readonly EntryMatch[]; readonly at: Diagnostic }
  | { readonly type: "dropped"; readonly count?: number; readonly stage?: string; readonly reason?: string; readonly at: Diagnostic };

export interface TestInput {
  /** The component entries enter at (`loki.process.x`; a `.receiver` suffix is accepted and dropped). */
  readonly components: readonly string[];
  /** Empty for a discovery.relabel test, which sends targets only. */
  readonly entries: readonly EntryInput[];
  /** For a loki.source.* start: the discovered targets the entries are read from; for discovery.relabel: its input. */
  readonly targets?: readonly Readonly<Record<string, string>>[];
}

export interface TestCase {
  readonly name: string;
  readonly now?: string;
  readonly inputs: readonly TestInput[];
  readonly assertions: readonly Assertion[];
  /** Where the test is written (for reports). */
  readonly at: Diagnostic;
}

export interface TestFile {
  readonly path: string;
  /** The config: a file (relative to the test file's directory), or River text written inline, as pipelinetest has it. */
  readonly config: { readonly path: string } | { readonly inline: string };
  readonly configAt: Diagnostic;
  readonly tests: readonly TestCase[];
  readonly diagnostics: readonly Diagnostic[];
}

class Problem extends Error {
  constructor(readonly node: Node | null | undefined, message: string) {
    super(message);
  }
}

/** Parses a test file. Never throws: problems are diagnostics (and then `tests` is empty). */
export function parseTestFile(text: string, path: string): TestFile {
  const source = new SourceFile(path, text);
  const at = (node: Node | null | undefined, message = ""): Diagnostic => {
    const [start, end] = node?.range ?? [0, 0];
    return diagnosticAt(source, "error", "TEST_FILE", message, start, end);
  };
  const empty = (diagnostics: Diagnostic[]): TestFile => ({ path, config: { inline: "" }, configAt: at(undefined), tests: [], diagnostics });
  const document = parseDocument(text, { schema: "failsafe", uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    return empty(document.errors.map((e) => diagnosticAt(source, "error", "TEST_FILE", `invalid YAML: ${e.message.split("\n")[0]}`, e.pos[0], e.pos[1])));
  }
  try {
    const root = document.contents;
    if (!isMap(root)) throw new Problem(root, "a test file is a mapping with `config` and `tests` (or `inputs` and `assert`)");
    knownKeys(root, ["config", "tests", "name", "now", "inputs", "assert"]);
    const configNode = root.get("config", true) as Node | undefined;
    const config = readConfig(configNode, root);
    const testsNode = root.get("tests", true) as Node | undefined;
    let tests: TestCase[];
    if (testsNode !== undefined) {
      if (root.has("inputs") || root.has("assert")) throw new Problem(testsNode, "give either `tests` (a list) or one test's `inputs` and `assert` at the top level, not both");
      if (!isSeq(testsNode) || testsNode.items.length === 0) throw new Problem(testsNode, "`tests` must be a non-empty list of tests");
      tests = testsNode.items.map((item, i) => readTest(item as Node, `test ${i + 1}`, at));
    } else {
      tests = [readTest(root, path.replace(/^.*\//, "").replace(/\.test\.ya?ml$/, ""), at)];
    }
    const names = new Set<string>();
    for (const t of tests) {
      if (names.has(t.name)) throw new Problem(null, `two tests are named ${JSON.stringify(t.name)}`);
      names.add(t.name);
    }
    return { path, config, configAt: at(configNode), tests, diagnostics: [] };
  } catch (err) {
    if (err instanceof Problem) return empty([at(err.node, err.message)]);
    throw err;
  }
}

function knownKeys(map: YAMLMap, allowed: readonly string[]): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "";
    if (!allowed.includes(key)) throw new Problem(pair.key as Node, `unknown key ${JSON.stringify(key)} (expected one of ${allowed.join(", ")})`);
  }
}

function readConfig(node: Node | undefined, root: Node): TestFile["config"] {
  if (node === undefined) throw new Problem(root, "missing `config`: {path: FILE} (relative to this file), or the config inline");
  if (isScalar(node)) return { inline: String(node.value) };
  if (isMap(node)) {
    knownKeys(node, ["path"]);
    const p = node.get("path", true) as Node | undefined;
    if (isScalar(p)) return { path: String(p.value) };
  }
  throw new Problem(node, "`config` must be {path: FILE} or the config itself as a string");
}

function text(node: Node | undefined | null, what: string): string {
  if (!isScalar(node)) throw new Problem(node, `${what} must be a string`);
  return String(node.value);
}

function integer(node: Node | undefined | null, what: string): number {
  const s = text(node, what);
  if (!/^[0-9]+$/.test(s)) throw new Problem(node, `${what} must be a whole number, got ${JSON.stringify(s)}`);
  return Number(s);
}

function stringMap(node: Node | undefined | null, what: string): Record<string, string> {
  if (!isMap(node)) throw new Problem(node, `${what} must be a mapping of names to strings`);
  const out: Record<string, string> = {};
  for (const pair of node.items) {
    const key = text(pair.key as Node, `a key of ${what}`);
    Object.defineProperty(out, key, { value: text(pair.value as Node, `${what}.${key}`), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readTest(node: Node, fallbackName: string, at: (n: Node | null | undefined, m?: string) => Diagnostic): TestCase {
  if (!isMap(node)) throw new Problem(node, "a test is a mapping with `name`, `inputs` and `assert`");
  knownKeys(node, node.has("config") ? ["config", "name", "now", "inputs", "assert"] : ["name", "now", "inputs", "assert"]);
  const name = node.has("name") ? text(node.get("name", true) as Node, "name") : fallbackName;
  const now = node.has("now") ? text(node.get("now", true) as Node, "now") : undefined;
  const inputsNode = node.get("inputs", true) as Node | undefined;
  if (!isMap(inputsNode)) throw new Problem(inputsNode ?? node, "missing `inputs.loki`: the entries to send (a list of {components, entries})");
  knownKeys(inputsNode, ["loki"]);
  const loki = inputsNode.get("loki", true) as Node | undefined;
  if (!isSeq(loki) || loki.items.length === 0) throw new Problem(loki ?? inputsNode, "`inputs.loki` must be a non-empty list of {components, entries}");
  const inputs = loki.items.map((item) => readInput(item as Node));
  const assertNode = node.get("assert", true) as Node | undefined;
  if (!isMap(assertNode)) throw new Problem(assertNode ?? node, "missing `assert.loki`: what the output must look like");
  knownKeys(assertNode, ["loki"]);
  const checks = assertNode.get("loki", true) as Node | undefined;
  if (!isSeq(checks) || checks.items.length === 0) throw new Problem(checks ?? assertNode, "`assert.loki` must be a non-empty list of assertions");
  const assertions = checks.items.map((item) => readAssertion(item as Node, at));
  return { name, ...(now !== undefined ? { now } : {}), inputs, assertions, at: at(node) };
}

function readInput(node: Node): TestInput {
  if (!isMap(node)) throw new Problem(node, "an input is a mapping with `components` and `entries`");
  knownKeys(node, ["components", "entries", "targets"]);
  const comps = node.get("components", true) as Node | undefined;
  if (!isSeq(comps) || comps.items.length === 0) throw new Problem(comps ?? node, "`components` must list where the entries enter, e.g. [loki.process.pod_logs.receiver]");
  const components = comps.items.map((c) => text(c as Node, "a component").replace(/\.receiver$/, ""));
  const entriesNode = node.get("entries", true) as Node | undefined;
  const needsEntries = entriesNode !== undefined || !node.has("targets");
  if (needsEntries && (!isSeq(entriesNode) || entriesNode.items.length === 0)) {
    throw new Problem(entriesNode ?? node, "`entries` must be a non-empty list of {line, labels, timestamp, structured_metadata} (only a discovery.relabel test gives targets alone)");
  }
  const entries = (isSeq(entriesNode) ? entriesNode.items : []).map((item) => {
    const e = item as Node;
    if (!isMap(e)) throw new Problem(e, "an entry is a mapping with `line` (and optional labels, timestamp, structured_metadata)");
    knownKeys(e, ["line", "labels", "timestamp", "structured_metadata"]);
    const out: { line: string; labels?: Record<string, string>; timestamp?: string; structured_metadata?: Record<string, string> } = {
      line: e.has("line") ? text(e.get("line", true) as Node, "line") : "",
    };
    if (e.has("labels")) out.labels = stringMap(e.get("labels", true) as Node, "labels");
    if (e.has("timestamp")) out.timestamp = text(e.get("timestamp", true) as Node, "timestamp");
    if (e.has("structured_metadata")) out.structured_metadata = stringMap(e.get("structured_metadata", true) as Node, "structured_metadata");
    return out;
  });
  const targetsNode = node.get("targets", true) as Node | undefined;
  let targets: Record<string, string>[] | undefined;
  if (targetsNode !== undefined) {
    if (!isSeq(targetsNode)) throw new Problem(targetsNode, "`targets` must be a list of label mappings");
    targets = targetsNode.items.map((t) => stringMap(t as Node, "a target"));
  }
  return { components, entries, ...(targets ? { targets } : {}) };
}

function readMapMatch(node: Node | undefined | null, what: string): MapMatch {
  if (!isMap(node)) throw new Problem(node, `${what} must be {mode: exact|partial, values: {...}} or a mapping of names to values`);
  if (!node.has("values")) return { mode: "exact", values: stringMap(node, what) };
  knownKeys(node, ["mode", "values"]);
  const mode = node.has("mode") ? text(node.get("mode", true) as Node, `${what}.mode`) : "exact";
  if (mode !== "exact" && mode !== "partial") throw new Problem(node.get("mode", true) as Node, `${what} mode must be "exact" or "partial", got ${JSON.stringify(mode)}`);
  return { mode, values: stringMap(node.get("values", true) as Node, `${what}.values`) };
}

function readMatch(node: Node | undefined | null): EntryMatch {
  if (node === undefined || node === null) return {};
  if (!isMap(node)) throw new Problem(node, "`match` must be a mapping of line, timestamp, labels, structured_metadata");
  knownKeys(node, ["line", "timestamp", "labels", "structured_metadata"]);
  const out: { line?: string; timestamp?: string; labels?: MapMatch; structured_metadata?: MapMatch } = {};
  if (node.has("line")) out.line = text(node.get("line", true) as Node, "line");
  if (node.has("timestamp")) out.timestamp = text(node.get("timestamp", true) as Node, "timestamp");
  if (node.has("labels")) out.labels = readMapMatch(node.get("labels", true) as Node, "labels");
  if (node.has("structured_metadata")) out.structured_metadata = readMapMatch(node.get("structured_metadata", true) as Node, "structured_metadata");
  return out;
}

function readAssertion(node: Node, at: (n: Node | null | undefined, m?: string) => Diagnostic): Assertion {
  if (!isMap(node)) throw new Problem(node, "an assertion is a mapping with a `type` (count, contains, equals, dropped)");
  const type = text(node.get("type", true) as Node, "type");
  const where = at(node);
  switch (type) {
    case "count":
      knownKeys(node, ["type", "count", "match"]);
      if (!node.has("count")) throw new Problem(node, "count requires count");
      return { type, count: integer(node.get("count", true) as Node, "count"), match: readMatch(node.get("match", true) as Node), at: where };
    case "contains": {
      knownKeys(node, ["type", "match"]);
      const match = readMatch(node.get("match", true) as Node);
      if (Object.keys(match).length === 0) throw new Problem(node, "contains requires at least one match field");
      return { type, match, at: where };
    }
    case "equals": {
      knownKeys(node, ["type", "entries"]);
      const list = node.get("entries", true) as Node | undefined;
      if (!isSeq(list)) throw new Problem(list ?? node, "equals requires `entries`: the exact output, in order (an empty list for none)");
      return { type, entries: list.items.map((i) => readMatch(i as Node)), at: where };
    }
    case "dropped":
      knownKeys(node, ["type", "count", "stage", "reason"]);
      return {
        type,
        ...(node.has("count") ? { count: integer(node.get("count", true) as Node, "count") } : {}),
        ...(node.has("stage") ? { stage: text(node.get("stage", true) as Node, "stage") } : {}),
        ...(node.has("reason") ? { reason: text(node.get("reason", true) as Node, "reason") } : {}),
        at: where,
      };
    default:
      throw new Problem(node.get("type", true) as Node, `unknown assertion type ${JSON.stringify(type)} (expected count, contains, equals or dropped)`);
  }
}
