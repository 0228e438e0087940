/**
 * Validation of one relabel `rule` block for the checker. The rules themselves are the relabel engine's
 * (`validateRule` in src/relabel, which reproduces Alloy's decoding and relabel.Config.Validate); this module turns
 * what the checker knows about a block into a rule object, and the engine's problems into checker problems that
 * point at an attribute and say how to fix it.
 */
import { RELABEL_ACTIONS, UNKNOWN_VALUE, validateRule, type RuleProblem as EngineProblem } from "../../relabel/index.ts";
import { didYouMean } from "../suggest.ts";

export { RELABEL_ACTIONS };

/** A value the checker cannot compute (a reference, a call): only the checks that do not depend on it are made. */
export type UnknownValue = typeof UNKNOWN_VALUE;

/** What is known about a rule's fields: `undefined` = not set; `UNKNOWN_VALUE` = set to a value river can't compute. */
export interface RuleFields {
  readonly action?: string | UnknownValue;
  readonly sourceLabels?: readonly string[] | UnknownValue;
  readonly targetLabel?: string | UnknownValue;
  readonly regex?: string | UnknownValue;
  readonly replacement?: string | UnknownValue;
  readonly separator?: string | UnknownValue;
  /** A number, a bigint or a decimal string (Alloy converts numeric strings). */
  readonly modulus?: number | bigint | string | UnknownValue;
}

export interface RuleProblem {
  /** The field to point at (or "rule" for the whole block). */
  readonly field: keyof RuleFields | "rule";
  readonly message: string;
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

const FIELDS = Object.keys(FIELD_NAMES) as (keyof RuleFields)[];
const BY_ATTRIBUTE = new Map<string, keyof RuleFields>(FIELDS.map((f) => [FIELD_NAMES[f], f]));

/** The attributes an action may use when Alloy says it takes "only" some of them. */
const ONLY: Readonly<Record<string, readonly (keyof RuleFields)[]>> = {
  labeldrop: ["action", "regex"],
  labelkeep: ["action", "regex"],
  keepequal: ["action", "sourceLabels", "targetLabel"],
  dropequal: ["action", "sourceLabels", "targetLabel"],
};

function toInput(r: RuleFields, only?: ReadonlySet<keyof RuleFields>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = r[f];
    if (v === undefined || (only !== undefined && !only.has(f))) continue;
    input[FIELD_NAMES[f]] = v;
  }
  return input;
}

/**
 * Returns the problems Alloy would reject the rule for, as the relabel engine finds them: decode problems, then the
 * first `Validate()` failure (Alloy stops there). Problems that depend on a value river cannot compute are not
 * reported. A problem that names no attribute ("uses only ...") is reported once per attribute that causes it.
 */
export function validateRelabelRule(r: RuleFields): RuleProblem[] {
  const action = r.action ?? "replace";
  const out: RuleProblem[] = [];
  for (const p of validateRule(toInput(r), { mode: "discovery" })) {
    const field = p.field === undefined ? undefined : BY_ATTRIBUTE.get(p.field);
    if (field !== undefined) {
      out.push({ field, message: withHint(p, field, action, r) });
      continue;
    }
    // "X action requires only ..., and no other fields": find the attributes that make it fail, by validating the
    // rule with only the allowed attributes plus one candidate at a time.
    const allowed = typeof action === "string" ? ONLY[action] : undefined;
    const culprits: (keyof RuleFields)[] = [];
    if (allowed !== undefined) {
      for (const c of FIELDS) {
        if (allowed.includes(c) || r[c] === undefined || r[c] === UNKNOWN_VALUE) continue;
        const again = validateRule(toInput(r, new Set([...allowed, c])), { mode: "discovery" });
        if (again.some((q) => q.field === undefined && q.message === p.message)) culprits.push(c);
      }
    }
    if (culprits.length === 0) out.push({ field: "rule", message: p.message });
    for (const c of culprits) out.push({ field: c, message: `${p.message}; remove ${FIELD_NAMES[c]}` });
  }
  return out;
}

/** Alloy's message, followed by how to fix it. */
function withHint(p: EngineProblem, field: keyof RuleFields, action: string | UnknownValue, r: RuleFields): string {
  const m = p.message;
  switch (field) {
    case "action": {
      const given = typeof r.action === "string" ? r.action : "";
      const near = didYouMean(given, RELABEL_ACTIONS);
      return `${m}; ${near !== undefined ? `did you mean "${near}"? ` : ""}use one of ${RELABEL_ACTIONS.join(", ")}`;
    }
    case "modulus":
      return r.modulus === undefined ? `${m}; add modulus = <n>` : `${m}; use a whole number greater than 0`;
    case "targetLabel":
      if (r.targetLabel === undefined || r.targetLabel === "") return `${m}; add target_label = "<label>"`;
      return action === "replace"
        ? `${m}; use a label name, optionally with $1 or \${name} references to the regex groups`
        : `${m}; use a label name`;
    case "replacement":
      return action === "labelmap"
        ? `${m}; use a label name, optionally with $1 or \${name} references to the regex groups`
        : `${m}; remove replacement`;
    case "regex":
      return `${m}; write an RE2 (Go) regular expression`;
    default:
      return m;
  }
}
