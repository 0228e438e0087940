/**
 * `simulateProcess(stages, entries, options)`: runs entries through the stages of a loki.process component, offline,
 * with Alloy 1.18's semantics. The stages are River source (the body of a loki.process block without `forward_to`);
 * they are parsed, type-checked against Alloy's schema and validated as Alloy validates them, and every problem is
 * reported at its file:line:column.
 */
import type { BlockStmt } from "../ast/ast.ts";
import { check } from "../check/index.ts";
import { diagnosticAt, formatDiagnosticLine, type Diagnostic } from "../diag/diagnostic.ts";
import type { SourceFile } from "../source/source-file.ts";
import { parse } from "../syntax/parse.ts";
import { buildStages } from "./build.ts";
import { StageConfigError } from "./config.ts";
import { toOutput, type WorkEntry } from "./entry.ts";
import { GoTimeError, parseRFC3339 } from "./go-time.ts";
import { Pipeline, type RunContext } from "./pipeline.ts";
import type { DropRecord, EntryInput, EntryOutput, SimulateOptions, SimulateResult, TraceStep } from "./types.ts";

/** Invalid stage configuration or input: `diagnostics` holds every problem, the message their one-line forms. */
export class ProcessConfigError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnosticLine).join("\n"));
    this.name = "ProcessConfigError";
    this.diagnostics = diagnostics;
  }
}

/** A bad simulation input: an entry's timestamp or the clock is not RFC 3339. */
export class SimulationInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimulationInputError";
  }
}

/** A compiled stage chain, ready to run entries (create one per run: stages keep per-stream state). */
export interface CompiledProcess {
  readonly pipeline: Pipeline;
}

/** Builds the stages of `blocks` (from `source`), turning a config error into a positioned ProcessConfigError. */
export function compileStageBlocks(blocks: readonly BlockStmt[], source: SourceFile): CompiledProcess {
  try {
    return { pipeline: new Pipeline(buildStages(blocks)) };
  } catch (err) {
    if (err instanceof StageConfigError) {
      throw new ProcessConfigError([diagnosticAt(source, "error", "PROCESS_STAGE", err.message, err.span.start, err.span.end)]);
    }
    throw err;
  }
}

/**
 * Parses, checks and compiles River stage blocks. The checker sees them inside a loki.process block, so that it
 * applies the component's schema; its positions are mapped back to the stage source.
 */
export function compileStages(stages: string, filename = "<stages>"): CompiledProcess {
  const parsed = parse(stages, { filename });
  const syntax = parsed.diagnostics.filter((d) => d.severity === "error");
  if (syntax.length > 0) throw new ProcessConfigError(syntax);
  const stray = parsed.file.body.find((s) => s.kind !== "BlockStmt" || s.name[0] !== "stage");
  if (stray !== undefined) {
    const what = stray.kind === "BlockStmt" ? `block ${JSON.stringify(stray.name.join("."))}` : `attribute ${JSON.stringify(stray.name.name)}`;
    throw new ProcessConfigError([
      diagnosticAt(parsed.source, "error", "PROCESS_STAGE", `${what}: only stage blocks belong here (the body of a loki.process block, without forward_to)`, stray.start, stray.end),
    ]);
  }
  const wrapped = `${WRAPPER_HEAD}${stages}\nforward_to = []\n}\n`;
  const checked = check(wrapped, { fragment: true, filename }).diagnostics.filter((d) => d.severity === "error");
  if (checked.length > 0) {
    // Offsets past the wrapper's first line map back into the stage source (the checker always gives them).
    const back = (offset: number | undefined) => Math.min(stages.length, Math.max(0, (offset ?? WRAPPER_HEAD.length) - WRAPPER_HEAD.length));
    throw new ProcessConfigError(checked.map((d) => diagnosticAt(parsed.source, d.severity, d.code, d.message, back(d.start), back(d.end))));
  }
  return compileStageBlocks(parsed.file.body as BlockStmt[], parsed.source);
}

/** The checker sees the stages as the body of this component. */
const WRAPPER_HEAD = 'loki.process "simulate" {\n';

/** Runs input entries through a compiled stage chain. */
export function runProcess(compiled: CompiledProcess, entries: readonly EntryInput[], options: SimulateOptions = {}): SimulateResult {
  const now = simulationClock(options.now);
  const trace: TraceStep[] | undefined = options.trace ? [] : undefined;
  const drops: DropRecord[] = [];
  const held: DropRecord[] = [];
  const random = seededRandom(options.seed ?? 1);
  const ctx: RunContext = {
    now,
    random,
    trace,
    scope: "",
    drop: (reason, stage = "", input = -1) => {
      drops.push({ input, stage, reason });
    },
    hold: () => {},
    skip: () => {},
    unreleased: (reason, stage = "", input = -1) => void held.push({ input, stage, reason }),
  };
  if (!Array.isArray(entries)) throw new SimulationInputError("entries must be an array of entries");
  const out: EntryOutput[] = [];
  const emit = (e: WorkEntry) => out.push(toOutput(e, options.extracted === true));
  entries.forEach((input, i) => compiled.pipeline.push(workEntry(input, i, now), emit, ctx));
  compiled.pipeline.flush(emit, ctx);
  return { entries: out, dropped: drops.length, drops, ...(held.length > 0 ? { held } : {}), ...(trace ? { trace } : {}) };
}

/**
 * Simulates a loki.process component: `stages` is River source of stage blocks, `entries` the input. Throws
 * ProcessConfigError (message `file:line:col: ...`) for an invalid stage config or input timestamp.
 */
export function simulateProcess(stages: string, entries: readonly EntryInput[], options: SimulateOptions = {}): SimulateResult {
  if (typeof stages !== "string") throw new SimulationInputError("stages must be River source (a string of stage blocks)");
  return runProcess(compileStages(stages, options.filename), entries, options);
}

/** The simulated clock: `now` (RFC 3339), or the wall clock when absent. */
export function simulationClock(now: string | undefined): bigint {
  if (now === undefined) return BigInt(Date.now()) * 1_000_000n;
  try {
    return parseRFC3339(now);
  } catch (err) {
    if (err instanceof GoTimeError) throw new SimulationInputError(`now: ${err.message}`);
    throw err;
  }
}

/**
 * An input entry as the pipeline receives it. Throws a SimulationInputError naming the entry for a bad timestamp or
 * a value of the wrong type (the library is called from JavaScript too, where the types are not checked).
 */
export function workEntry(input: EntryInput, index: number, now: bigint): WorkEntry {
  const where = `entry ${index + 1}`;
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw new SimulationInputError(`${where}: an entry is an object with "line" (and optional labels, timestamp, structured_metadata)`);
  if (typeof input.line !== "string") throw new SimulationInputError(`${where}: line must be a string`);
  if (input.timestamp !== undefined && typeof input.timestamp !== "string") throw new SimulationInputError(`${where}: timestamp must be an RFC 3339 string`);
  checkStringRecord(input.labels, `${where}: labels`);
  checkStringRecord(input.structured_metadata, `${where}: structured_metadata`);
  let timestamp = now;
  if (input.timestamp !== undefined) {
    try {
      timestamp = parseRFC3339(input.timestamp);
    } catch (err) {
      if (err instanceof GoTimeError) throw new SimulationInputError(`entry ${index + 1}: timestamp: ${err.message} (expected RFC 3339, e.g. 2024-01-02T03:04:05Z)`);
      throw err;
    }
  }
  return {
    line: input.line,
    labels: new Map(Object.entries(input.labels ?? {})),
    timestamp,
    structuredMetadata: Object.entries(input.structured_metadata ?? {}),
    extracted: new Map(),
    input: index,
  };
}

function checkStringRecord(value: unknown, where: string): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new SimulationInputError(`${where}: expected an object of strings`);
  for (const [k, v] of Object.entries(value)) if (typeof v !== "string") throw new SimulationInputError(`${where}: ${JSON.stringify(k)} must be a string`);
}

/** mulberry32: a small, well-distributed generator, so that stage.sampling is repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
