/**
 * The shapes of the loki.process simulator's public API, and the entry that flows through the stages.
 */

/**
 * A value of the extracted map. Alloy keeps Go values there: strings, float64 (from JSON numbers), bools and nil
 * (a JSON field that is null or missing: the key exists with no value). Nested JSON is stored re-marshalled as a
 * string, so these four kinds are all a stage can meet.
 */
export type ExtractedValue = string | number | boolean | null;

/** An input entry as the API and `river test` accept it. */
export interface EntryInput {
  readonly line: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** RFC 3339 (with optional fraction and offset); the simulator's clock when absent. */
  readonly timestamp?: string;
  readonly structured_metadata?: Readonly<Record<string, string>>;
}

/** An entry that came out of the pipeline. */
export interface EntryOutput {
  readonly line: string;
  /** Sorted by name (Alloy's label sets are unordered). */
  readonly labels: Record<string, string>;
  /** RFC 3339 with nanoseconds, in UTC, as Go's `time.RFC3339Nano` prints it. */
  readonly timestamp: string;
  /** In the order the stages attached them. */
  readonly structured_metadata: Record<string, string>;
  /** The whole extracted map, when `options.extracted` is set. */
  readonly extracted?: Record<string, ExtractedValue>;
}

export interface SimulateOptions {
  /** The clock (RFC 3339): default timestamps, drop `older_than`, pack's ingest time, year-less layouts. Default: now. */
  readonly now?: string;
  /** Add the extracted map to every output entry. */
  readonly extracted?: boolean;
  /** Record what every stage did to every entry. */
  readonly trace?: boolean;
  /** Seed of stage.sampling's random numbers (default 1), so that runs are repeatable. */
  readonly seed?: number;
  /** Name used in error positions for the stage source. Default "<stages>". */
  readonly filename?: string;
}

/** What a stage did to one entry it received. */
export type TraceOutcome = "passed" | "dropped" | "buffered" | "emitted" | "skipped";

/** One step of the per-stage trace. */
export interface TraceStep {
  /** Index of the input entry this step belongs to (for a merged entry: the entry that started the block). */
  readonly input: number;
  /** The stage, e.g. `stage.json` or `stage.match[2] > stage.regex` (1-based positions in their pipeline). */
  readonly stage: string;
  readonly outcome: TraceOutcome;
  /** Why the entry was dropped, buffered or skipped (for drops, Alloy's drop_counter_reason). */
  readonly reason?: string;
  /** The entry after the stage (absent when dropped or buffered). */
  readonly entry?: EntryOutput & { readonly extracted: Record<string, ExtractedValue> };
}

export interface DropRecord {
  readonly input: number;
  /**
   * The stage as the trace names it (`stage.drop[3]`, `stage.match[2] > stage.drop[1]`; in a config's chain of
   * components prefixed by the component, `loki.process.logs > stage.drop[3]`), or a relabel component's rule
   * (`loki.relabel.x > rule[2]`).
   */
  readonly stage: string;
  readonly reason: string;
}

export interface SimulateResult {
  readonly entries: EntryOutput[];
  /** Input entries removed by a filtering stage (drop, match with action "drop", limit, sampling, json drop_malformed). */
  readonly dropped: number;
  /** Every drop: which input entry, which stage (as in the trace) and why. */
  readonly drops: DropRecord[];
  /**
   * Entries a stage still held at the end of the input and would not release on its own (a partial CRI line, until
   * its stream's next full line): present when there are any.
   */
  readonly held?: DropRecord[];
  /** With `options.trace`: every stage's effect, in the order the stages ran. */
  readonly trace?: TraceStep[];
}
