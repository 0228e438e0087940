/**
 * Text forms of simulation results for the CLI: an entry on one line, the per-stage trace as what each stage
 * changed, and JUnit XML for `river test --junit`.
 */
import { formatRFC3339Nano, parseRFC3339 } from "./go-time.ts";
import type { TestRun } from "./test-runner.ts";
import type { EntryInput, EntryOutput, ExtractedValue, TraceStep } from "./types.ts";

/** `{a="1", b="2"}`, sorted by name. */
function labelText(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${names.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(", ")}}`;
}

/** `{labels} "line"` plus the timestamp and structured metadata. */
export function entryLine(e: EntryOutput): string {
  const sm = Object.keys(e.structured_metadata).length > 0 ? ` structured_metadata=${labelText(e.structured_metadata)}` : "";
  return `${e.timestamp} ${labelText(e.labels)} ${JSON.stringify(e.line)}${sm}`;
}

function valueText(v: ExtractedValue | undefined): string {
  return v === null ? "null" : JSON.stringify(v);
}

interface Snapshot {
  readonly line: string;
  /** Unknown for the input as given (its timestamp may be absent or written differently). */
  readonly timestamp?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly structured_metadata: Readonly<Record<string, string>>;
  readonly extracted: Readonly<Record<string, ExtractedValue>>;
}

/** What changed between two snapshots of an entry, as short `field: change` items. */
function changes(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  if (before.line !== after.line) out.push(`line = ${JSON.stringify(after.line)}`);
  if (before.timestamp !== undefined && before.timestamp !== after.timestamp) out.push(`timestamp = ${after.timestamp}`);
  const mapDiff = (what: string, a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>, show: (v: never) => string) => {
    for (const k of Object.keys(b)) {
      if (!(k in a)) out.push(`+${what}${k}=${show(b[k] as never)}`);
      else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push(`~${what}${k}=${show(b[k] as never)}`);
    }
    for (const k of Object.keys(a)) if (!(k in b)) out.push(`-${what}${k}`);
  };
  mapDiff("label ", before.labels, after.labels, (v: string) => JSON.stringify(v));
  mapDiff("metadata ", before.structured_metadata, after.structured_metadata, (v: string) => JSON.stringify(v));
  mapDiff("extracted ", before.extracted, after.extracted, (v: ExtractedValue) => valueText(v));
  return out;
}

/** The trace, grouped by input entry: each stage's outcome and what it changed. */
export function renderTrace(inputs: readonly EntryInput[], trace: readonly TraceStep[]): string[] {
  const lines: string[] = [];
  const width = Math.min(48, Math.max(0, ...trace.map((s) => s.stage.length)));
  inputs.forEach((input, i) => {
    lines.push(`entry ${i + 1}: ${input.labels ? `${labelText(input.labels)} ` : ""}${JSON.stringify(input.line)}`);
    // Before the first stage: the input, with its labels copied into the extracted map as loki.process does.
    let previous: Snapshot = {
      line: input.line,
      ...(input.timestamp !== undefined ? { timestamp: normalizedTime(input.timestamp) } : {}),
      labels: input.labels ?? {},
      structured_metadata: input.structured_metadata ?? {},
      extracted: input.labels ?? {},
    };
    for (const step of trace) {
      if (step.input !== i) continue;
      const name = step.stage.padEnd(width);
      if (step.entry === undefined) {
        lines.push(`  ${name}  ${step.outcome}${step.reason ? `: ${step.reason}` : ""}`);
        continue;
      }
      const diff = changes(previous, step.entry);
      const what = step.outcome === "passed" ? (diff.length === 0 ? "unchanged" : diff.join(", ")) : `${step.outcome}${step.reason ? ` (${step.reason})` : ""}${diff.length > 0 ? `: ${diff.join(", ")}` : ""}`;
      lines.push(`  ${name}  ${what}`);
      previous = step.entry;
    }
  });
  return lines;
}

/** An input timestamp as the trace prints timestamps (RFC 3339 in UTC), so that only real changes show. */
function normalizedTime(text: string): string | undefined {
  try {
    return formatRFC3339Nano(parseRFC3339(text));
  } catch {
    return undefined;
  }
}

function xml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] as string).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** JUnit XML: one testsuite per test file, one testcase per test, a failure element per failed test. */
export function junitXml(run: TestRun): string {
  const byFile = new Map<string, TestRun["results"][number][]>();
  for (const r of run.results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="river test" tests="${run.results.length}" failures="${run.failed}" errors="${run.problems.length}">`];
  for (const [file, results] of byFile) {
    const failures = results.filter((r) => !r.passed).length;
    const time = results.reduce((t, r) => t + r.durationMs, 0) / 1000;
    out.push(`  <testsuite name="${xml(file)}" tests="${results.length}" failures="${failures}" time="${time.toFixed(3)}">`);
    for (const r of results) {
      out.push(`    <testcase name="${xml(r.name)}" classname="${xml(file)}" time="${(r.durationMs / 1000).toFixed(3)}">`);
      if (!r.passed) {
        const body = r.failures.map((f) => [f.message, f.expected ? `expected:\n${f.expected}` : "", f.actual !== undefined ? `actual:\n${f.actual}` : ""].filter((x) => x !== "").join("\n")).join("\n\n");
        out.push(`      <failure message="${xml(r.failures[0]?.message ?? "failed")}">${xml(body)}</failure>`);
      }
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  if (run.problems.length > 0) {
    out.push(`  <testsuite name="problems" tests="${run.problems.length}" errors="${run.problems.length}">`);
    for (const p of run.problems) {
      out.push(`    <testcase name="${xml(`${p.filename}:${p.line}:${p.column}`)}" classname="${xml(p.filename)}">`);
      out.push(`      <error message="${xml(p.message)}"/>`);
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>", "");
  return out.join("\n");
}
