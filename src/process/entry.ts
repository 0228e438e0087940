/**
 * The entry as it flows through the simulated stages (Alloy's `stages.Entry`: a loki.Entry plus the extracted map),
 * and the conversions stages share.
 */
import { formatFloat } from "../eval/fold.ts";
import { formatRFC3339Nano } from "./go-time.ts";
import type { EntryOutput, ExtractedValue } from "./types.ts";

export interface WorkEntry {
  line: string;
  labels: Map<string, string>;
  /** Nanoseconds since the Unix epoch. */
  timestamp: bigint;
  /** Name/value pairs in the order they were attached (one per name). */
  structuredMetadata: [string, string][];
  extracted: Map<string, ExtractedValue>;
  /** The index of the input entry this one came from (for a merged entry: the one that started it). */
  readonly input: number;
}

export function cloneEntry(e: WorkEntry, input = e.input): WorkEntry {
  return {
    line: e.line,
    labels: new Map(e.labels),
    timestamp: e.timestamp,
    structuredMetadata: e.structuredMetadata.map(([k, v]) => [k, v]),
    extracted: new Map(e.extracted),
    input,
  };
}

/**
 * Alloy's getString: the string form of an extracted value. Floats print as Go's FormatFloat(v, 'f', -1, 64)
 * (`1562723913000`, never `1.56e12`); bools as true/false; nil cannot be converted (undefined), and the stage then
 * skips the value.
 */
export function extractedString(v: ExtractedValue | undefined): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return formatFloat(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** Go's model.LabelSet.String(): `{a="1", b="2"}`, sorted by name; used as the key of per-stream state. */
export function labelsKey(labels: ReadonlyMap<string, string>): string {
  return `{${sortedNames(labels).map((k) => `${k}=${JSON.stringify(labels.get(k))}`).join(", ")}}`;
}

export function sortedNames(labels: ReadonlyMap<string, unknown>): string[] {
  return [...labels.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function setStructuredMetadata(e: WorkEntry, name: string, value: string): void {
  const existing = e.structuredMetadata.find(([k]) => k === name);
  if (existing) existing[1] = value;
  else e.structuredMetadata.push([name, value]);
}

/** The public shape of an entry; `extracted` is included when asked for. */
export function toOutput(e: WorkEntry, withExtracted: boolean): EntryOutput {
  // fromEntries defines own properties: assigning would lose a label named "__proto__".
  const labels: Record<string, string> = Object.fromEntries(sortedNames(e.labels).map((k) => [k, e.labels.get(k) as string]));
  const out: EntryOutput = {
    line: e.line,
    labels,
    timestamp: formatRFC3339Nano(e.timestamp),
    structured_metadata: Object.fromEntries(e.structuredMetadata),
  };
  return withExtracted ? { ...out, extracted: extractedRecord(e) } : out;
}

export function extractedRecord(e: WorkEntry): Record<string, ExtractedValue> {
  const out: Record<string, ExtractedValue> = {};
  for (const k of sortedNames(e.extracted)) {
    Object.defineProperty(out, k, { value: e.extracted.get(k), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Byte length of a string in UTF-8 (Go's len on strings). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** The first `n` bytes of `s` in UTF-8 (Go's s[:n]; a cut inside a character leaves U+FFFD, as bytes would not). */
export function byteSlice(s: string, n: number): string {
  return Buffer.from(s, "utf8").subarray(0, n).toString("utf8");
}
