/**
 * Validation of one relabel `rule` block, as Alloy's relabel.Config.Validate does it. Kept small and
 * self-contained so that it can be swapped for the relabel engine's own validator (src/relabel) later.
 */

export const RELABEL_ACTIONS = [
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
] as const;

/** What is known about a rule's fields: `undefined` = not set; `unknown` = set to a value river can't compute. */
export interface RuleFields {
  readonly action?: string | "unknown";
  readonly sourceLabels?: readonly string[] | "unknown";
  readonly targetLabel?: string | "unknown";
  readonly regex?: string | "unknown";
  readonly replacement?: string | "unknown";
  readonly separator?: string | "unknown";
  readonly modulus?: number | "unknown";
}

export interface RuleProblem {
  /** The field to point at (or "rule" for the whole block). */
  readonly field: keyof RuleFields | "rule";
  readonly message: string;
}

const DEFAULT_REPLACEMENT = "$1";
const DEFAULT_SEPARATOR = ";";
const DEFAULT_REGEX = "(.*)";
const RELABEL_TARGET = /^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$/;

/** Returns the problems Alloy would reject the rule for (only those river can be sure of). */
export function validateRelabelRule(r: RuleFields): RuleProblem[] {
  const out: RuleProblem[] = [];
  const action = r.action ?? "replace";
  if (action === "unknown") return out;
  if (!(RELABEL_ACTIONS as readonly string[]).includes(action)) {
    out.push({ field: "action", message: `unknown relabel action "${action}"; use one of ${RELABEL_ACTIONS.join(", ")}` });
    return out;
  }
  const target = r.targetLabel;
  const needsTarget = ["replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"];
  if (needsTarget.includes(action) && (target === undefined || target === "")) {
    out.push({ field: "rule", message: `the ${action} action requires target_label; add target_label = "<label>"` });
  }
  if (action === "hashmod" && (r.modulus === undefined || r.modulus === 0)) {
    out.push({ field: r.modulus === undefined ? "rule" : "modulus", message: "the hashmod action requires a non-zero modulus; add modulus = <n>" });
  }
  if (action === "replace" && typeof target === "string" && target !== "" && target.includes("$") && !RELABEL_TARGET.test(target)) {
    out.push({ field: "targetLabel", message: `"${target}" is not a valid target_label for the replace action` });
  }
  if (["lowercase", "uppercase", "keepequal", "dropequal"].includes(action) && r.replacement !== undefined && r.replacement !== "unknown" && r.replacement !== DEFAULT_REPLACEMENT) {
    out.push({ field: "replacement", message: `replacement can't be set for the ${action} action; remove it` });
  }
  if (action === "labelmap" && typeof r.replacement === "string" && !RELABEL_TARGET.test(r.replacement)) {
    out.push({ field: "replacement", message: `"${r.replacement}" is not a valid replacement for the labelmap action (it must be a label name, possibly with $1-style references)` });
  }
  if (action === "labeldrop" || action === "labelkeep") {
    const extra: (keyof RuleFields)[] = [];
    if (r.sourceLabels !== undefined) extra.push("sourceLabels");
    if (r.targetLabel !== undefined && r.targetLabel !== "") extra.push("targetLabel");
    if (r.modulus !== undefined && r.modulus !== 0) extra.push("modulus");
    if (r.separator !== undefined && r.separator !== DEFAULT_SEPARATOR) extra.push("separator");
    if (r.replacement !== undefined && r.replacement !== DEFAULT_REPLACEMENT) extra.push("replacement");
    for (const f of extra) {
      if (r[f] === "unknown") continue;
      out.push({ field: f, message: `the ${action} action uses only regex; remove ${FIELD_NAMES[f]}` });
    }
  }
  if (action === "keepequal" || action === "dropequal") {
    const extra: (keyof RuleFields)[] = [];
    if (r.regex !== undefined && r.regex !== DEFAULT_REGEX) extra.push("regex");
    if (r.modulus !== undefined && r.modulus !== 0) extra.push("modulus");
    if (r.separator !== undefined && r.separator !== DEFAULT_SEPARATOR) extra.push("separator");
    if (r.replacement !== undefined && r.replacement !== DEFAULT_REPLACEMENT) extra.push("replacement");
    for (const f of extra) {
      if (r[f] === "unknown") continue;
      out.push({ field: f, message: `the ${action} action uses only source_labels and target_label; remove ${FIELD_NAMES[f]}` });
    }
  }
  return out;
}

export const FIELD_NAMES: Readonly<Record<keyof RuleFields, string>> = {
  action: "action",
  sourceLabels: "source_labels",
  targetLabel: "target_label",
  regex: "regex",
  replacement: "replacement",
  separator: "separator",
  modulus: "modulus",
};
