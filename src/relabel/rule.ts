/**
 * Decoding and validation of relabel rules, as Alloy decodes a `rule` block (unknown attributes, attribute types,
 * case-sensitive action names, the regex compiled at decode time) and then runs `Config.Validate()`; or, in the
 * Prometheus modes, as Prometheus decodes and validates a `relabel_configs` entry.
 */
import { compileGoRegexp, GoRegexpSyntaxError, type GoRegexp } from "./go-regexp.ts";
import { isValidLegacyLabelName, isValidRelabelTargetTemplate, isValidUtf8LabelName } from "./label-names.ts";
import {
  RELABEL_ACTIONS,
  type RelabelAction,
  type RelabelMode,
  type RelabelRuleInput,
  type RuleProblem,
} from "./types.ts";

export const DEFAULT_SEPARATOR = ";";
export const DEFAULT_REGEX = "(.*)";
export const DEFAULT_REPLACEMENT = "$1";
const MAX_UINT64 = (1n << 64n) - 1n;

const RULE_FIELDS: readonly (keyof RelabelRuleInput)[] = [
  "source_labels",
  "separator",
  "regex",
  "modulus",
  "target_label",
  "replacement",
  "action",
];

/** Thrown by `relabel`/`compileRules` for an invalid rule: names the rule (0-based) and the problem. */
export class RelabelRuleError extends Error {
  readonly ruleIndex: number;
  readonly field: keyof RelabelRuleInput | undefined;
  readonly problem: string;

  constructor(ruleIndex: number, problem: RuleProblem) {
    super(`rule[${ruleIndex}]: ${problem.field ? `${problem.field}: ` : ""}${problem.message}`);
    this.name = "RelabelRuleError";
    this.ruleIndex = ruleIndex;
    this.field = problem.field;
    this.problem = problem.message;
  }
}

/** A rule ready to run: decoded, defaulted, validated, its regex compiled. */
export interface CompiledRule {
  readonly index: number;
  readonly action: RelabelAction;
  /** undefined when the attribute was omitted (Go's nil slice). */
  readonly sourceLabels: readonly string[] | undefined;
  readonly separator: string;
  /** The regex as written (without the anchoring), `(.*)` by default. */
  readonly regexSource: string;
  readonly regexExplicit: boolean;
  /** The anchored regex, `^(?s:` + regexSource + `)$`. */
  readonly regex: GoRegexp;
  readonly modulus: bigint;
  readonly targetLabel: string;
  readonly replacement: string;
  /** The rule as given. */
  readonly input: RelabelRuleInput;
}

export interface ValidateOptions {
  readonly mode?: RelabelMode;
}

/**
 * Marks an attribute whose value is not known (a reference, a function call): `validateRule` then reports only the
 * problems that do not depend on it. For the type checker, which sees configs whose values it cannot compute.
 */
export const UNKNOWN_VALUE: unique symbol = Symbol("river.relabel.unknown");

/**
 * The problems of one rule object, in the order Alloy (or Prometheus, in those modes) would report them; empty when
 * the rule is valid. Decode problems (unknown attributes, wrong types, an unknown action, a regex that does not
 * compile, a bad modulus) are all listed; after them, only the first `Validate()` failure, as Alloy stops there.
 * Usable by the type checker on rule objects built from a config.
 */
export function validateRule(rule: unknown, options: ValidateOptions = {}): RuleProblem[] {
  const unknown = new Set<keyof RelabelRuleInput>();
  let known = rule;
  if (typeof rule === "object" && rule !== null && !Array.isArray(rule)) {
    const fields: [string, unknown][] = [];
    for (const [k, v] of Object.entries(rule)) {
      if (v === UNKNOWN_VALUE && (RULE_FIELDS as readonly string[]).includes(k)) unknown.add(k as keyof RelabelRuleInput);
      else fields.push([k, v]);
    }
    // fromEntries defines own properties; assigning a "__proto__" key would drop it instead of reporting it.
    known = Object.fromEntries(fields);
  }
  const decoded = decodeRule(known, options.mode ?? "discovery");
  if (decoded.problems.length > 0) return decoded.problems;
  const problem = checkRule(decoded.rule, options.mode ?? "discovery", unknown);
  return problem ? [problem] : [];
}

/** Decodes, validates and compiles `rules`. Throws RelabelRuleError for the first invalid rule. */
export function compileRules(rules: readonly unknown[], options: ValidateOptions = {}): CompiledRule[] {
  const mode = options.mode ?? "discovery";
  return rules.map((rule, index) => {
    const decoded = decodeRule(rule, mode);
    const first = decoded.problems[0];
    if (first) throw new RelabelRuleError(index, first);
    const problem = checkRule(decoded.rule, mode);
    if (problem) throw new RelabelRuleError(index, problem);
    return { ...decoded.rule, index };
  });
}

type DecodedRule = Omit<CompiledRule, "index">;

function isPrometheusMode(mode: RelabelMode): boolean {
  return mode === "prometheus_utf8" || mode === "prometheus_legacy";
}

function decodeRule(rule: unknown, mode: RelabelMode): { rule: DecodedRule; problems: RuleProblem[] } {
  const problems: RuleProblem[] = [];
  const input = (typeof rule === "object" && rule !== null && !Array.isArray(rule) ? rule : {}) as Record<
    string,
    unknown
  >;
  if (input !== rule) problems.push({ message: "a rule must be an object of attributes" });
  for (const key of Object.keys(input)) {
    if (!(RULE_FIELDS as readonly string[]).includes(key)) {
      problems.push({ message: `unrecognized attribute name ${JSON.stringify(key)}` });
    }
  }

  const str = (field: keyof RelabelRuleInput, fallback: string): string => {
    const v = input[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "string") {
      problems.push({ field, message: `expected string, got ${describe(v)}` });
      return fallback;
    }
    return v;
  };

  let sourceLabels: string[] | undefined;
  const sl = input["source_labels"];
  if (sl !== undefined && sl !== null) {
    if (!Array.isArray(sl) || !sl.every((x) => typeof x === "string")) {
      problems.push({ field: "source_labels", message: `expected list(string), got ${describe(sl)}` });
    } else {
      sourceLabels = [...(sl as string[])];
    }
  }

  const separator = str("separator", DEFAULT_SEPARATOR);
  const targetLabel = str("target_label", "");
  const replacement = str("replacement", DEFAULT_REPLACEMENT);

  const actionText = str("action", "replace");
  let action: RelabelAction = "replace";
  if (isPrometheusMode(mode)) {
    // Prometheus' YAML decoding lower-cases the action; an empty one is reported by Validate.
    const lower = actionText.toLowerCase();
    if ((RELABEL_ACTIONS as readonly string[]).includes(lower)) action = lower as RelabelAction;
    else if (actionText === "") problems.push({ field: "action", message: "relabel action cannot be empty" });
    else problems.push({ field: "action", message: `unknown relabel action ${JSON.stringify(actionText)}` });
  } else if ((RELABEL_ACTIONS as readonly string[]).includes(actionText)) {
    action = actionText as RelabelAction;
  } else {
    problems.push({ field: "action", message: `unrecognized action type ${JSON.stringify(actionText)}` });
  }

  let modulus = 0n;
  const mod = input["modulus"];
  if (mod !== undefined && mod !== null) {
    const parsed = parseUint64(mod);
    if (parsed === undefined) {
      problems.push({ field: "modulus", message: `expected an unsigned 64-bit integer, got ${describe(mod)}` });
    } else {
      modulus = parsed;
    }
  }

  const regexRaw = input["regex"];
  const regexExplicit = regexRaw !== undefined && regexRaw !== null;
  const regexSource = str("regex", DEFAULT_REGEX);
  let regex: GoRegexp | undefined;
  try {
    regex = compileGoRegexp(`^(?s:${regexSource})$`);
  } catch (err) {
    if (!(err instanceof GoRegexpSyntaxError)) throw err;
    problems.push({ field: "regex", message: err.message });
  }

  return {
    rule: {
      action,
      sourceLabels,
      separator,
      regexSource,
      regexExplicit,
      // Only read when there are no problems, and then the regex compiled.
      regex: regex as GoRegexp,
      modulus,
      targetLabel,
      replacement,
      input: input as RelabelRuleInput,
    },
    problems,
  };
}

function parseUint64(v: unknown): bigint | undefined {
  let n: bigint;
  if (typeof v === "bigint") n = v;
  else if (typeof v === "number") {
    if (!Number.isInteger(v)) return undefined;
    n = BigInt(v);
  } else if (typeof v === "string" && /^[0-9]+$/.test(v)) n = BigInt(v);
  else return undefined;
  return n >= 0n && n <= MAX_UINT64 ? n : undefined;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "list";
  if (v === null) return "null";
  if (typeof v === "bigint") return "number";
  return typeof v === "object" ? "object" : typeof v;
}

/** Alloy's / Prometheus' `Validate()`: the first problem, if any. */
function checkRule(
  rule: DecodedRule,
  mode: RelabelMode,
  unknown: ReadonlySet<keyof RelabelRuleInput> = new Set(),
): RuleProblem | undefined {
  const { action, targetLabel, replacement } = rule;
  // With values unknown, only the checks that do not read them can be made.
  const known = (...fields: (keyof RelabelRuleInput)[]): boolean => fields.every((f) => !unknown.has(f));
  if (!known("action")) return undefined;
  const legacy = mode === "prometheus_legacy";
  const prometheus = isPrometheusMode(mode);
  const isValidName = legacy ? isValidLegacyLabelName : isValidUtf8LabelName;
  // A name with `$` references: Alloy (any mode built on Alloy's validation) and Prometheus' legacy scheme use the
  // legacy relabelTarget regexp; Prometheus' UTF-8 scheme accepts any valid name.
  const isValidTemplate = mode === "prometheus_utf8" ? isValidUtf8LabelName : isValidRelabelTargetTemplate;
  const needsTarget =
    action === "replace" ||
    action === "hashmod" ||
    action === "lowercase" ||
    action === "uppercase" ||
    action === "keepequal" ||
    action === "dropequal";
  const caseOrEqual =
    action === "lowercase" || action === "uppercase" || action === "keepequal" || action === "dropequal";

  if (known("modulus") && rule.modulus === 0n && action === "hashmod") {
    return { field: "modulus", message: "relabel configuration for hashmod requires non-zero modulus" };
  }
  if (known("target_label") && needsTarget && targetLabel === "") {
    return { field: "target_label", message: `relabel configuration for ${action} action requires 'target_label' value` };
  }
  if (known("target_label") && action === "replace") {
    const ok = targetLabel.includes("$") ? isValidTemplate(targetLabel) : isValidName(targetLabel);
    if (!ok) return { field: "target_label", message: `${JSON.stringify(targetLabel)} is invalid 'target_label' for ${action} action` };
  }
  if (known("target_label") && caseOrEqual && !isValidName(targetLabel)) {
    return { field: "target_label", message: `${JSON.stringify(targetLabel)} is invalid 'target_label' for ${action} action` };
  }
  if (known("replacement") && caseOrEqual && replacement !== DEFAULT_REPLACEMENT) {
    return { field: "replacement", message: `'replacement' can not be set for ${action} action` };
  }
  if (known("replacement") && action === "labelmap" && !isValidTemplate(replacement)) {
    return { field: "replacement", message: `${JSON.stringify(replacement)} is invalid 'replacement' for ${action} action` };
  }
  if (known("target_label") && action === "hashmod" && !isValidName(targetLabel)) {
    return { field: "target_label", message: `${JSON.stringify(targetLabel)} is invalid 'target_label' for ${action} action` };
  }

  const equalProblem = (): RuleProblem | undefined => {
    // Alloy compares the regex by value (an explicit "(.*)" is fine); Prometheus by pointer (any explicit regex fails).
    const customRegex = prometheus ? rule.regexExplicit : rule.regexSource !== DEFAULT_REGEX;
    if (
      customRegex ||
      rule.modulus !== 0n ||
      rule.separator !== DEFAULT_SEPARATOR ||
      rule.replacement !== DEFAULT_REPLACEMENT
    ) {
      return { message: `${action} action requires only 'source_labels' and 'target_label', and no other fields` };
    }
    return undefined;
  };
  const dropKeepProblem = (): RuleProblem | undefined => {
    if (
      rule.sourceLabels !== undefined ||
      targetLabel !== "" ||
      rule.modulus !== 0n ||
      rule.separator !== DEFAULT_SEPARATOR ||
      rule.replacement !== DEFAULT_REPLACEMENT
    ) {
      return { message: `${action} action requires only 'regex', and no other fields` };
    }
    return undefined;
  };
  // Alloy checks labeldrop/labelkeep before keepequal/dropequal, Prometheus the other way round; they never overlap.
  if ((action === "labeldrop" || action === "labelkeep") && known("source_labels", "target_label", "modulus", "separator", "replacement")) {
    return dropKeepProblem();
  }
  if ((action === "keepequal" || action === "dropequal") && known("regex", "modulus", "separator", "replacement")) {
    return equalProblem();
  }
  return undefined;
}
