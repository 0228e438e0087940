/**
 * Running `*.test.yaml` files (see testfile.ts): every test sends its inputs through the chain of components that
 * starts where they enter, and checks the assertions on what comes out at the end of the chain (and on what was
 * dropped where). Each input group runs on fresh stage state.
 */
import { dirname, isAbsolute, join } from "node:path";
import { diagnosticAt, formatDiagnosticLine, type Diagnostic } from "../diag/diagnostic.ts";
import { decodeSource } from "../source/decode.ts";
import { parse } from "../syntax/parse.ts";
import { simulateChain } from "./components.ts";
import { ProcessConfigError, simulationClock, SimulationInputError } from "./simulate.ts";
import { formatRFC3339Nano, GoTimeError, parseRFC3339 } from "./go-time.ts";
import { RelabelConfigError, simulateComponent } from "../relabel/index.ts";
import { parseTestFile, type Assertion, type EntryMatch, type MapMatch, type TestCase } from "./testfile.ts";
import type { DropRecord, EntryOutput } from "./types.ts";

export interface AssertionFailure {
  /** `file:line:col: what failed` (the position of the assertion). */
  readonly message: string;
  /** For a diff: the expected and the actual output, one entry per line. */
  readonly expected?: string;
  readonly actual?: string;
}

export interface TestResult {
  readonly file: string;
  readonly name: string;
  readonly passed: boolean;
  readonly failures: readonly AssertionFailure[];
  readonly durationMs: number;
  /** What came out, and what was dropped (for reports). */
  readonly output: readonly EntryOutput[];
  readonly drops: readonly DropRecord[];
}

export interface TestRun {
  readonly results: readonly TestResult[];
  /** Test files or configs that could not be used (bad YAML, missing config, invalid stages): no test of theirs ran. */
  readonly problems: readonly Diagnostic[];
  readonly passed: number;
  readonly failed: number;
}

/** Reads a file (a path as the test file's path is given: relative paths from the same directory); throws an Error. */
export type ReadFile = (path: string) => Uint8Array;

/** Runs one test file's text. `readConfig` reads the config the file names (a path relative to the test file). */
export function runTestSource(text: string, path: string, readConfig: ReadFile): TestRun {
  const file = parseTestFile(text, path);
  if (file.diagnostics.length > 0) return { results: [], problems: file.diagnostics, passed: 0, failed: 0 };
  let configText: string;
  let configName: string;
  if ("inline" in file.config) {
    configText = file.config.inline;
    configName = `${path} (config)`;
  } else {
    // The config path is relative to the test file; the reader resolves both against the same directory.
    configName = isAbsolute(file.config.path) ? file.config.path : join(dirname(path), file.config.path);
    try {
      configText = decodeSource(readConfig(configName));
    } catch (err) {
      return { results: [], problems: [{ ...file.configAt, message: `cannot read config ${file.config.path}: ${err instanceof Error ? err.message : String(err)}` }], passed: 0, failed: 0 };
    }
  }
  const parsed = parse(configText, { filename: configName });
  const syntax = parsed.diagnostics.filter((d) => d.severity === "error");
  if (syntax.length > 0) return { results: [], problems: syntax, passed: 0, failed: 0 };
  const results: TestResult[] = [];
  const problems: Diagnostic[] = [];
  for (const test of file.tests) {
    const started = performance.now();
    try {
      const { output, drops } = runInputs(test, parsed);
      const failures = test.assertions.flatMap((a) => check(a, output, drops));
      results.push({ file: path, name: test.name, passed: failures.length === 0, failures, durationMs: performance.now() - started, output, drops });
    } catch (err) {
      if (err instanceof ProcessConfigError) {
        problems.push(...err.diagnostics);
        results.push(failedRun(path, test, err.diagnostics.map(formatDiagnosticLine).join("\n"), started));
      } else if (err instanceof SimulationInputError) {
        results.push(failedRun(path, test, `${formatDiagnosticLine(test.at)}${err.message}`, started));
      } else throw err;
    }
  }
  const passed = results.filter((r) => r.passed).length;
  return { results, problems, passed, failed: results.length - passed };
}

function failedRun(file: string, test: TestCase, message: string, started: number): TestResult {
  return { file, name: test.name, passed: false, failures: [{ message }], durationMs: performance.now() - started, output: [], drops: [] };
}

function runInputs(test: TestCase, parsed: ReturnType<typeof parse>): { output: EntryOutput[]; drops: DropRecord[] } {
  const output: EntryOutput[] = [];
  const drops: DropRecord[] = [];
  for (const input of test.inputs) {
    for (const component of input.components) {
      const result = component.startsWith("discovery.relabel.")
        ? relabelTargets(parsed, component, input.targets ?? [], test.now)
        : simulateChain(parsed.file, parsed.source, component, { entries: input.entries, targets: input.targets }, { now: test.now });
      output.push(...result.entries);
      drops.push(...result.drops);
    }
  }
  return { output, drops };
}

/**
 * A discovery.relabel test: every target becomes an output "entry" with an empty line and the resulting labels (a
 * dropped target is a drop by the rule that dropped it), so that the same assertions apply.
 */
function relabelTargets(parsed: ReturnType<typeof parse>, component: string, targets: readonly Readonly<Record<string, string>>[], now: string | undefined): { entries: EntryOutput[]; drops: DropRecord[] } {
  const timestamp = formatRFC3339Nano(simulationClock(now));
  let simulations;
  try {
    simulations = simulateComponent(parsed.file, component, targets);
  } catch (err) {
    if (!(err instanceof RelabelConfigError)) throw err;
    const at = err.problems.find((p) => p.message !== "") ?? err.problems[0];
    throw new ProcessConfigError([at === undefined ? { ...diagnosticAt(parsed.source, "error", "RELABEL", err.message, 0), line: 1, column: 1 } : diagnosticAt(parsed.source, "error", "RELABEL", err.message, at.start, at.end)]);
  }
  const entries: EntryOutput[] = [];
  const drops: DropRecord[] = [];
  simulations.forEach((sim, i) => {
    const r = sim.result;
    if (r.dropped) drops.push({ input: i, stage: `${sim.steps.at(-1)?.component ?? component} > rule[${r.rule + 1}]`, reason: r.reason === "empty" ? "no labels left" : "dropped by a keep/drop rule" });
    else entries.push({ line: "", labels: { ...r.labels }, timestamp, structured_metadata: {} });
  });
  return { entries, drops };
}

// ---------------------------------------------------------------------------------------------------------------------
// Assertions

function mapMatches(actual: Readonly<Record<string, string>>, m: MapMatch): boolean {
  const want = Object.entries(m.values);
  if (m.mode === "exact" && Object.keys(actual).length !== want.length) return false;
  return want.every(([k, v]) => Object.prototype.hasOwnProperty.call(actual, k) && actual[k] === v);
}

function sameInstant(a: string, b: string): boolean {
  try {
    return parseRFC3339(a) === parseRFC3339(b);
  } catch (err) {
    if (err instanceof GoTimeError) return a === b;
    throw err;
  }
}

export function entryMatches(e: EntryOutput, m: EntryMatch): boolean {
  if (m.line !== undefined && e.line !== m.line) return false;
  if (m.timestamp !== undefined && !sameInstant(e.timestamp, m.timestamp)) return false;
  if (m.labels !== undefined && !mapMatches(e.labels, m.labels)) return false;
  if (m.structured_metadata !== undefined && !mapMatches(e.structured_metadata, m.structured_metadata)) return false;
  return true;
}

/** The fields of an entry an assertion looks at, as one line of JSON. */
function show(e: EntryOutput | EntryMatch, fields: readonly (keyof EntryMatch)[]): string {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = (e as Record<string, unknown>)[f];
    if (v === undefined) continue;
    out[f] = typeof v === "object" && v !== null && "values" in v ? (v as MapMatch).values : v;
  }
  return JSON.stringify(out);
}

function fieldsOf(matches: readonly EntryMatch[]): (keyof EntryMatch)[] {
  const all: (keyof EntryMatch)[] = ["line", "labels", "structured_metadata", "timestamp"];
  const used = all.filter((f) => matches.some((m) => m[f] !== undefined));
  return used.length > 0 ? used : ["line", "labels"];
}

function listing(entries: readonly EntryOutput[], fields: readonly (keyof EntryMatch)[]): string {
  return entries.map((e) => `${show(e, fields)}\n`).join("");
}

function check(a: Assertion, output: readonly EntryOutput[], drops: readonly DropRecord[]): AssertionFailure[] {
  const where = formatDiagnosticLine(a.at);
  switch (a.type) {
    case "count": {
      const n = output.filter((e) => entryMatches(e, a.match)).length;
      if (n === a.count) return [];
      const fields = fieldsOf([a.match]);
      const what = Object.keys(a.match).length === 0 ? "entries" : `entries matching ${show(a.match, fields)}`;
      return [{ message: `${where}expected ${a.count} ${what}, got ${n}`, actual: listing(output, fields) }];
    }
    case "contains": {
      if (output.some((e) => entryMatches(e, a.match))) return [];
      const fields = fieldsOf([a.match]);
      return [{ message: `${where}no output entry matches ${show(a.match, fields)}`, expected: `${show(a.match, fields)}\n`, actual: listing(output, fields) }];
    }
    case "equals": {
      if (output.length === a.entries.length && a.entries.every((m, i) => entryMatches(output[i] as EntryOutput, m))) return [];
      const fields = fieldsOf(a.entries);
      return [{ message: `${where}the output differs from the expected entries`, expected: a.entries.map((m) => `${show(m, fields)}\n`).join(""), actual: listing(output, fields) }];
    }
    case "dropped": {
      const hits = drops.filter((d) => (a.stage === undefined || d.stage.includes(a.stage)) && (a.reason === undefined || d.reason.includes(a.reason)));
      const ok = a.count === undefined ? hits.length > 0 : hits.length === a.count;
      if (ok) return [];
      const filter = [a.stage !== undefined ? `stage ~ ${JSON.stringify(a.stage)}` : "", a.reason !== undefined ? `reason ~ ${JSON.stringify(a.reason)}` : ""].filter((x) => x !== "").join(", ");
      return [
        {
          message: `${where}expected ${a.count === undefined ? "at least 1" : a.count} dropped ${filter === "" ? "entries" : `entries (${filter})`}, got ${hits.length}`,
          actual: drops.map((d) => `entry ${d.input + 1}: dropped by ${d.stage}: ${d.reason}\n`).join(""),
        },
      ];
    }
  }
}
