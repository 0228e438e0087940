/**
 * The stage chain of a loki.process component (Alloy's `stages.Pipeline`), run synchronously: every entry goes
 * through all stages before the next one enters, so the output order is deterministic. Stages that buffer (cri
 * multiline blocks) are flushed at the end of the input, in stage order, where Alloy would flush them on a timer;
 * what Alloy never flushes on its own (cri's partial lines) is reported as held.
 */
import { extractedRecord, toOutput, type WorkEntry } from "./entry.ts";
import type { TraceOutcome, TraceStep } from "./types.ts";

export type Emit = (e: WorkEntry) => void;

/** What a stage may ask of the run: the clock, seeded randomness, and the accounting of drops. */
export interface RunContext {
  /** The simulated clock, in nanoseconds since the epoch. */
  readonly now: bigint;
  /** A number in [0, 1) from the seeded generator. */
  random(): number;
  /**
   * Records that the entry being processed was dropped on purpose (it counts in `dropped`). Stages give the reason;
   * the pipeline adds the stage's name and the input the entry came from.
   */
  drop(reason: string, stage?: string, input?: number): void;
  /** Records that the entry being processed was kept back (buffered), with why. */
  hold(reason: string): void;
  /**
   * At the end of the input (in a stage's flush): records an entry the stage still holds and would not release on
   * its own in Alloy (a partial CRI line waits for its stream's next full line). It counts in `held`.
   */
  unreleased(reason: string, stage?: string, input?: number): void;
  /** Notes why an entry passed unchanged (e.g. a selector that did not match). */
  skip(reason: string): void;
  readonly trace?: TraceStep[];
  /** Prefix of the stage names in the trace: the component, and the match stages a nested pipeline runs in. */
  readonly scope: string;
}

export interface Stage {
  /** `stage.json`, ... */
  readonly name: string;
  /** Said after the stage's position in trace names (match's `pipeline_name`). */
  readonly label?: string;
  /** Processes one entry and emits what comes out of it (none: dropped or buffered). */
  process(e: WorkEntry, emit: Emit, ctx: RunContext): void;
  /** Emits what the stage still holds at the end of the input (or reports it with `ctx.unreleased`). */
  flush?(emit: Emit, ctx: RunContext): void;
}

/** A chain of stages. */
export class Pipeline {
  readonly stages: readonly Stage[];

  constructor(stages: readonly Stage[]) {
    this.stages = stages;
  }

  /** The trace name of stage `i`: `stage.json[3]`, after the scope it runs in. */
  stageName(i: number, scope: string): string {
    const stage = this.stages[i] as Stage;
    return `${scope}${stage.name}[${i + 1}]${stage.label === undefined ? "" : ` (${stage.label})`}`;
  }

  /** Copies the labels into the extracted map (as strings), then runs the stages. */
  push(e: WorkEntry, emit: Emit, ctx: RunContext): void {
    for (const [k, v] of e.labels) e.extracted.set(k, v);
    this.#run(0, e, emit, ctx);
  }

  /** Flushes every stage in order; what a stage flushes goes through the stages after it. */
  flush(emit: Emit, ctx: RunContext): void {
    this.stages.forEach((stage, i) => {
      if (!stage.flush) return;
      const name = this.stageName(i, ctx.scope);
      stage.flush(
        (out) => {
          record(ctx, name, out.input, "emitted", "flushed at the end of the input", out);
          this.#run(i + 1, out, emit, ctx);
        },
        {
          ...ctx,
          scope: `${name} > `,
          unreleased: (reason, stage = name, input = -1) => {
            record(ctx, stage, input, "buffered", reason);
            ctx.unreleased(reason, stage, input);
          },
        },
      );
    });
  }

  #run(i: number, e: WorkEntry, emit: Emit, ctx: RunContext): void {
    const stage = this.stages[i];
    if (stage === undefined) {
      emit(e);
      return;
    }
    const name = this.stageName(i, ctx.scope);
    const state: { dropped?: string; held?: string; skipped?: string; passed: boolean } = { passed: false };
    const inner: RunContext = {
      now: ctx.now,
      random: ctx.random,
      trace: ctx.trace,
      scope: `${name} > `,
      drop: (reason, stage = name, input = e.input) => {
        state.dropped = reason;
        ctx.drop(reason, stage, input);
      },
      hold: (reason) => {
        state.held = reason;
      },
      skip: (reason) => {
        state.skipped = reason;
      },
      unreleased: ctx.unreleased,
    };
    stage.process(
      e,
      (out) => {
        if (out === e) {
          state.passed = true;
          record(ctx, name, out.input, state.skipped ? "skipped" : "passed", state.skipped, out);
        } else {
          record(ctx, name, out.input, "emitted", "released by this stage", out);
        }
        this.#run(i + 1, out, emit, ctx);
      },
      inner,
    );
    if (state.dropped !== undefined) record(ctx, name, e.input, "dropped", state.dropped);
    else if (!state.passed) record(ctx, name, e.input, "buffered", state.held ?? "kept back by the stage");
  }
}

/** Adds a step to the trace, when one is being recorded. */
export function record(ctx: RunContext, stage: string, input: number, outcome: TraceOutcome, reason: string | undefined, e?: WorkEntry): void {
  if (ctx.trace === undefined) return;
  const step: TraceStep = {
    input,
    stage,
    outcome,
    ...(reason !== undefined ? { reason } : {}),
    ...(e !== undefined ? { entry: { ...toOutput(e, false), extracted: extractedRecord(e) } } : {}),
  };
  ctx.trace.push(step);
}
