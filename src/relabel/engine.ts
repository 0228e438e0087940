/**
 * The relabel loop: applies compiled rules to one label set with the semantics of the chosen mode.
 */
import { goToLower, goToUpper } from "./go-case.ts";
import { hashmod } from "./hashmod.ts";
import { isValidLegacyLabelName, isValidUtf8LabelName, sortEntriesByName } from "./label-names.ts";
import { compileRules, type CompiledRule } from "./rule.ts";
import type {
  Labels,
  LabelsInput,
  RelabelMode,
  RelabelOptions,
  RelabelResult,
  RelabelRuleInput,
  TraceStep,
} from "./types.ts";

/**
 * The label set being relabelled, modelled on Prometheus' `labels.Builder`: the input labels (`base`, in name order),
 * the labels set by rules (`added`, in the order they were first set; setting one again keeps its place) and the
 * deleted names. Its iteration order is what labelmap sees: base labels not deleted or overwritten, then added ones —
 * a snapshot, so labels a labelmap adds are not mapped again by the same rule.
 *
 * Alloy's discovery.relabel iterates Go maps instead, so where a labelmap's outputs collide with other labels its
 * answer can vary from run to run; this order is one of the answers Alloy can give (and always Prometheus' answer).
 */
class LabelSet {
  /** The input labels; sorted by name only when an iteration needs the order. */
  readonly #base: Map<string, string>;
  #sortedBase: [string, string][] | undefined;
  readonly #added = new Map<string, string>();
  readonly #deleted = new Set<string>();

  constructor(base: Map<string, string>) {
    this.#base = base;
  }

  get(name: string): string {
    const added = this.#added.get(name);
    if (added !== undefined) return added;
    if (this.#deleted.has(name)) return "";
    return this.#base.get(name) ?? "";
  }

  /** Setting "" deletes, as in both Alloy's and Prometheus' builders. */
  set(name: string, value: string): void {
    if (value === "") this.delete(name);
    else this.#added.set(name, value);
  }

  delete(name: string): void {
    this.#added.delete(name);
    this.#deleted.add(name);
  }

  /** A snapshot of the current labels in iteration order. */
  entries(): [string, string][] {
    const out: [string, string][] = [];
    this.#sortedBase ??= sortEntriesByName([...this.#base]);
    for (const [name, value] of this.#sortedBase) {
      if (!this.#deleted.has(name) && !this.#added.has(name)) out.push([name, value]);
    }
    for (const entry of this.#added) out.push(entry);
    return out;
  }

  /**
   * The labels as a plain object with keys in code-point order. Built with Object.fromEntries, which defines own
   * properties: assigning `out[name] = value` would turn a label named `__proto__` into a prototype change and lose it.
   */
  toLabels(): Labels {
    return Object.fromEntries(sortEntriesByName(this.entries()));
  }

  isEmpty(): boolean {
    for (const name of this.#base.keys()) if (!this.#deleted.has(name) && !this.#added.has(name)) return false;
    return this.#added.size === 0;
  }
}

/** Normalises any accepted label-set shape into a map without empty values (in input order). */
export function toLabelMap(labels: LabelsInput): Map<string, string> {
  const out = new Map<string, string>();
  const add = (name: string, value: unknown): void => {
    if (typeof value !== "string") throw new TypeError(`label ${JSON.stringify(name)}: value must be a string`);
    if (value !== "") out.set(name, value);
  };
  if (labels instanceof Map || isIterable(labels)) {
    for (const [name, value] of labels as Iterable<readonly [string, unknown]>) add(name, value);
  } else {
    for (const name in labels) if (Object.hasOwn(labels, name)) add(name, (labels as Record<string, unknown>)[name]);
  }
  return out;
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return typeof x === "object" && x !== null && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === "function";
}

/** The rules of a relabel call: plain rule objects (validated and compiled on the fly) or `compileRules` output. */
export type RulesInput = readonly RelabelRuleInput[] | readonly CompiledRule[];

function isCompiled(rules: RulesInput): rules is readonly CompiledRule[] {
  const first = rules[0] as Partial<CompiledRule> | undefined;
  return first !== undefined && typeof first.regex === "object" && typeof first.index === "number";
}

/**
 * Applies `rules` to `labels`. Returns the resulting labels, or `{dropped: true, rule}`. Throws RelabelRuleError
 * (naming the rule and the problem) when a rule is invalid — before looking at the labels, as Alloy refuses the
 * whole config. Pass `compileRules(rules, {mode})` output to skip re-validating on every call; it must have been
 * compiled for the same mode.
 */
export function relabel(rules: RulesInput, labels: LabelsInput, options: RelabelOptions = {}): RelabelResult {
  const mode = options.mode ?? "discovery";
  const compiled = isCompiled(rules) ? rules : compileRules(rules, { mode });
  return applyCompiled(compiled, toLabelMap(labels), mode, options.trace === true);
}

function applyCompiled(
  rules: readonly CompiledRule[],
  input: Map<string, string>,
  mode: RelabelMode,
  trace: boolean,
): RelabelResult {
  const lb = new LabelSet(input);
  const steps: TraceStep[] | undefined = trace ? [] : undefined;
  const isValidTarget = mode === "loki" || mode === "prometheus_legacy" ? isValidLegacyLabelName : isValidUtf8LabelName;
  let emptiedBy = -1;
  let wasEmpty = input.size === 0;
  const warnings: string[] = [];
  // Alloy iterates Go maps in labelmap (discovery and loki); Prometheus' own order is deterministic.
  const warn = mode === "discovery" || mode === "loki" ? (m: string) => void warnings.push(m) : undefined;
  const finish = <R extends RelabelResult>(result: R): R => (warnings.length > 0 ? { ...result, warnings } : result);

  for (const rule of rules) {
    const before = steps ? lb.toLabels() : undefined;
    const keep = applyRule(rule, lb, isValidTarget, warn);
    if (steps && before) steps.push({ rule: rule.index, action: rule.action, before, after: keep ? lb.toLabels() : undefined });
    if (!keep) {
      return finish(steps ? { dropped: true, rule: rule.index, reason: "rule", trace: steps } : { dropped: true, rule: rule.index, reason: "rule" });
    }
    if (mode === "loki") {
      const empty = lb.isEmpty();
      if (empty && !wasEmpty) emptiedBy = rule.index;
      wasEmpty = empty;
    }
  }
  // loki.relabel drops an entry that has no labels left.
  if (mode === "loki" && lb.isEmpty()) {
    return finish(steps ? { dropped: true, rule: emptiedBy, reason: "empty", trace: steps } : { dropped: true, rule: emptiedBy, reason: "empty" });
  }
  const labels = lb.toLabels();
  return finish(steps ? { labels, trace: steps } : { labels });
}

/** One rule; false when it drops the label set. */
function applyRule(
  rule: CompiledRule,
  lb: LabelSet,
  isValidTarget: (name: string) => boolean,
  warn?: (message: string) => void,
): boolean {
  let value = "";
  const sources = rule.sourceLabels;
  if (sources !== undefined && sources.length > 0) {
    value = lb.get(sources[0] as string);
    for (let i = 1; i < sources.length; i++) value += rule.separator + lb.get(sources[i] as string);
  }

  switch (rule.action) {
    case "drop":
      return !rule.regex.test(value);
    case "keep":
      return rule.regex.test(value);
    case "dropequal":
      return lb.get(rule.targetLabel) !== value;
    case "keepequal":
      return lb.get(rule.targetLabel) === value;
    case "replace": {
      const match = rule.regex.find(value);
      if (match === undefined) return true;
      const target = rule.regex.expand(rule.targetLabel, value, match);
      if (!isValidTarget(target)) return true;
      const result = rule.regex.expand(rule.replacement, value, match);
      if (result === "") lb.delete(target);
      else lb.set(target, result);
      return true;
    }
    case "lowercase":
      lb.set(rule.targetLabel, goToLower(value));
      return true;
    case "uppercase":
      lb.set(rule.targetLabel, goToUpper(value));
      return true;
    case "hashmod":
      lb.set(rule.targetLabel, hashmod(value, rule.modulus));
      return true;
    case "labelmap": {
      const entries = lb.entries();
      const written = warn ? new Map<string, [string, string]>() : undefined;
      for (const [name, labelValue] of entries) {
        if (!rule.regex.test(name)) continue;
        const target = rule.regex.replaceAll(name, rule.replacement);
        lb.set(target, labelValue);
        if (written) {
          const previous = written.get(target);
          if (previous && previous[1] !== labelValue) {
            warn?.(`rule ${rule.index} (labelmap): ${JSON.stringify(previous[0])} and ${JSON.stringify(name)} both map to ${JSON.stringify(target)} with different values; Alloy keeps either one, run to run`);
          }
          written.set(target, [name, labelValue]);
        }
      }
      if (written && warn) {
        for (const [target, [source]] of written) {
          // A target that is itself a source of this rule, or matches the regex, can be mapped (or skipped) depending
          // on Go's map iteration order.
          if (target !== source && rule.regex.test(target)) {
            warn(`rule ${rule.index} (labelmap): ${JSON.stringify(target)} (from ${JSON.stringify(source)}) also matches the regex; Alloy may map it again or skip it, run to run`);
          }
        }
      }
      return true;
    }
    case "labeldrop":
      for (const [name] of lb.entries()) if (rule.regex.test(name)) lb.delete(name);
      return true;
    case "labelkeep":
      for (const [name] of lb.entries()) if (!rule.regex.test(name)) lb.delete(name);
      return true;
  }
}
