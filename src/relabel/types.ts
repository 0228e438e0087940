/** The eleven relabel actions, spelled as Alloy spells them (case-sensitive in Alloy). */
export type RelabelAction =
  | "replace"
  | "keep"
  | "drop"
  | "hashmod"
  | "labelmap"
  | "labeldrop"
  | "labelkeep"
  | "lowercase"
  | "uppercase"
  | "keepequal"
  | "dropequal";

export const RELABEL_ACTIONS: readonly RelabelAction[] = [
  "replace",
  "keep",
  "drop",
  "hashmod",
  "labelmap",
  "labeldrop",
  "labelkeep",
  "lowercase",
  "uppercase",
  "keepequal",
  "dropequal",
];

/**
 * Whose semantics to reproduce.
 *
 * - `discovery` (default): Alloy 1.18 `discovery.relabel` — Alloy's validation (UTF-8 label names, case-sensitive
 *   actions), Alloy's relabel loop, an empty result is kept as `{}`.
 * - `loki`: Alloy 1.18 `loki.relabel` — Alloy's validation, then Prometheus' relabel code with legacy label names at
 *   run time; an entry left without labels is dropped.
 * - `prometheus_utf8` / `prometheus_legacy`: Prometheus 3 `relabel_configs` with that name validation scheme.
 */
export type RelabelMode = "discovery" | "loki" | "prometheus_utf8" | "prometheus_legacy";

/**
 * One rule as written in a `rule` block (or a Prometheus `relabel_configs` entry), with Alloy's attribute names.
 * Omitted attributes take Alloy's defaults: `separator = ";"`, `regex = "(.*)"`, `replacement = "$1"`,
 * `action = "replace"`. `modulus` accepts a bigint or a decimal string for values above 2^53.
 */
export interface RelabelRuleInput {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly modulus?: number | bigint | string;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?: string;
}

/** A label set: label name to value. Empty values mean "absent" (they are dropped on input). */
export type Labels = Readonly<Record<string, string>>;

/** A label set in any of the shapes the API accepts. */
export type LabelsInput = Labels | ReadonlyMap<string, string> | Iterable<readonly [string, string]>;

export interface RelabelOptions {
  /** Defaults to `"discovery"`. */
  readonly mode?: RelabelMode;
  /** Also return each rule's labels before and after. */
  readonly trace?: boolean;
}

/** One step of a trace: the labels before and after rule `rule` (`after` is undefined when the rule dropped them). */
export interface TraceStep {
  readonly rule: number;
  readonly action: RelabelAction;
  readonly before: Labels;
  readonly after: Labels | undefined;
}

export interface KeptResult {
  readonly dropped?: false;
  /** The resulting labels, keys in code-point order. */
  readonly labels: Labels;
  readonly trace?: readonly TraceStep[];
  /** Where Alloy's own answer may differ run to run (labelmap collisions); absent when there are none. */
  readonly warnings?: readonly string[];
}

export interface DroppedResult {
  readonly dropped: true;
  /**
   * The index of the rule that dropped the target. For loki mode's "no labels left" drop, the rule that removed the
   * last label (-1 if the input was already empty).
   */
  readonly rule: number;
  /** `rule`: a keep/drop/keepequal/dropequal rule dropped it; `empty`: loki dropped an entry left without labels. */
  readonly reason: "rule" | "empty";
  readonly trace?: readonly TraceStep[];
  readonly warnings?: readonly string[];
}

export type RelabelResult = KeptResult | DroppedResult;

/** A problem with one rule, as `validateRule` reports it. */
export interface RuleProblem {
  /** The attribute at fault, when there is one. */
  readonly field?: keyof RelabelRuleInput;
  readonly message: string;
}
