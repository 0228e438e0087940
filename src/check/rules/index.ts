import { blockName, type AttributeStmt, type Stmt } from "../../ast/ast.ts";
import type { ArgumentSchema, BlockSchema } from "../../schema/model.ts";
import type { ExprContext, Reporter } from "../model.ts";
import { decodeString, decodeUint64, fold, foldKnown, toJs, type Value } from "../../eval/fold.ts";
import { isPlaceholder } from "../expr.ts";
import { didYouMean } from "../suggest.ts";
import { logqlSelectorError } from "./logql.ts";
import { re2Error, relabelRegexError } from "./regex.ts";
import { UNKNOWN_VALUE } from "../../relabel/index.ts";
import { FIELD_NAMES, validateRelabelRule, type RuleFields, type UnknownValue } from "./relabel.ts";

/** What the component rules need from the checker. */
export interface RuleHost {
  readonly report: Reporter;
  /** Fragment mode: docs placeholders such as "<ROLE>" stand for any value. */
  readonly fragment: boolean;
}

/** Plain-string arguments that hold a Go (RE2) regular expression, by the block name that owns them. */
const REGEX_ARGS: Readonly<Record<string, readonly string[]>> = {
  "stage.regex": ["expression"],
  "stage.replace": ["expression"],
  "stage.drop": ["expression"],
  "stage.multiline": ["firstline"],
};

function lastBlock(where: string): string {
  const parts = where.split(" > ");
  return parts[parts.length - 1] as string;
}

/** Rules for one attribute value: RE2 regexes, enums. Durations and types are checked by the type checker. */
export function checkArgumentRules(host: RuleHost, where: string, name: string, arg: ArgumentSchema, stmt: AttributeStmt, cx: ExprContext): void {
  const value = decodeString(fold(stmt.value));
  if (value === undefined) return;
  const at: [number, number] = [stmt.value.start, stmt.value.end];
  if (arg.goType === "Regexp") {
    const err = relabelRegexError(value);
    if (err !== undefined) host.report(cx.file, "error", "INVALID_REGEX", `${where}: ${name} is not a valid RE2 regular expression: ${err}`, ...at);
    return;
  }
  if (REGEX_ARGS[lastBlock(where)]?.includes(name) === true) {
    const err = re2Error(value);
    if (err !== undefined) host.report(cx.file, "error", "INVALID_REGEX", `${where}: ${name} is not a valid RE2 regular expression: ${err}`, ...at);
    return;
  }
  if (host.fragment && isPlaceholder({ kind: "string", value })) return;
  const message = enumError(arg, value);
  if (message !== undefined) host.report(cx.file, "error", "INVALID_ENUM", `${where}: ${name} ${message}`, ...at);
}

/**
 * Why `value` is not one of the argument's `oneOf` strings (the schema's enum data, see ENUM_ARGUMENTS in
 * scripts/gen-schema.mjs), or undefined when it is, or when the argument takes any string.
 */
export function enumError(arg: ArgumentSchema, value: string): string | undefined {
  const allowed = arg.oneOf;
  if (allowed === undefined) return undefined;
  const fold = arg.oneOfIgnoresCase === true ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (allowed.some((v) => fold(v) === fold(value))) return undefined;
  const shown = allowed.filter((v) => v !== "");
  const list = shown.map((v) => JSON.stringify(v)).join(", ");
  const notes = [arg.oneOfIgnoresCase === true ? "any case" : "", allowed.includes("") ? `or "" for the default` : ""].filter((n) => n !== "");
  const near = value === "" ? undefined : didYouMean(value, shown);
  return `must be ${shown.length === 1 ? list : `one of ${list}`}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}, got ${JSON.stringify(value)}${near !== undefined ? `; did you mean ${JSON.stringify(near)}?` : ""}`;
}

/** Rules that look at a whole block: relabel rules, stage.drop and stage.match. */
export function checkBlockRules(host: RuleHost, where: string, schema: BlockSchema, body: readonly Stmt[], cx: ExprContext, header: readonly [number, number]): void {
  const attrs = new Map<string, AttributeStmt>();
  for (const s of body) if (s.kind === "AttributeStmt" && !attrs.has(s.name.name)) attrs.set(s.name.name, s);
  const block = lastBlock(where);
  if (schema.arguments["action"]?.goType === "Action" && schema.arguments["regex"]?.goType === "Regexp") {
    checkRelabelRule(host, where, attrs, body, cx, header);
  } else if (block === "stage.drop") {
    checkDropStage(host, where, attrs, body, cx, header);
  } else if (block === "stage.match") {
    checkMatchStage(host, where, attrs, body, cx, header);
  }
}

type Known<T> = T | "unknown" | undefined;

function known(a: AttributeStmt | undefined): Value | "unknown" | undefined {
  if (a === undefined) return undefined;
  return foldKnown(a.value) ?? "unknown";
}

function knownString(a: AttributeStmt | undefined): Known<string> {
  const v = known(a);
  if (v === undefined || v === "unknown") return v;
  if (v.kind === "null") return undefined;
  return decodeString(v) ?? "unknown";
}


function checkRelabelRule(host: RuleHost, where: string, attrs: Map<string, AttributeStmt>, body: readonly Stmt[], cx: ExprContext, header: readonly [number, number]): void {
  // Attributes the checker can't compute are UNKNOWN_VALUE; null is the same as leaving the attribute out.
  const str = (name: string): string | UnknownValue | undefined => {
    const v = known(attrs.get(name));
    if (v === undefined || v === "unknown") return v === undefined ? undefined : UNKNOWN_VALUE;
    if (v.kind === "null") return undefined;
    return decodeString(v) ?? UNKNOWN_VALUE;
  };
  const sl = known(attrs.get("source_labels"));
  let sourceLabels: readonly string[] | UnknownValue | undefined = UNKNOWN_VALUE;
  if (sl === undefined || (sl !== "unknown" && sl.kind === "null")) sourceLabels = undefined;
  else if (sl !== "unknown" && sl.kind === "array") {
    const items = sl.items.map((x) => decodeString(x));
    if (items.every((x): x is string => x !== undefined)) sourceLabels = items;
  }
  const mod = known(attrs.get("modulus"));
  let modulus: number | bigint | string | UnknownValue | undefined = UNKNOWN_VALUE;
  if (mod === undefined || (mod !== "unknown" && mod.kind === "null")) modulus = undefined;
  else if (mod !== "unknown" && mod.kind === "string") modulus = mod.value;
  else if (mod !== "unknown" && mod.kind === "number") modulus = decodeUint64(mod) ?? (toJs(mod) as number | bigint);
  // A regex that does not compile is reported as INVALID_REGEX by the argument rule; validate the rest without it.
  const regex = str("regex");
  const fields: RuleFields = {
    action: str("action"),
    targetLabel: str("target_label"),
    regex: typeof regex === "string" && relabelRegexError(regex) !== undefined ? UNKNOWN_VALUE : regex,
    replacement: str("replacement"),
    separator: str("separator"),
    sourceLabels,
    modulus,
  };
  for (const p of validateRelabelRule(fields)) {
    const attrName = p.field === "rule" ? undefined : FIELD_NAMES[p.field];
    const a = attrName === undefined ? undefined : attrs.get(attrName);
    const [s, e] = a !== undefined ? [a.start, a.end] : header;
    host.report(cx.file, "error", "INVALID_RELABEL_RULE", `${where}: ${p.message}`, s, e);
  }
}

function checkDropStage(host: RuleHost, where: string, attrs: Map<string, AttributeStmt>, body: readonly Stmt[], cx: ExprContext, header: readonly [number, number]): void {
  const set = (n: string) => {
    const v = knownString(attrs.get(n));
    return v === "unknown" ? "unknown" : v !== undefined && v !== "";
  };
  const source = set("source");
  const expression = set("expression");
  const value = set("value");
  const older = set("older_than");
  const longer = set("longer_than");
  if ([source, expression, older, longer].every((x) => x === false)) {
    const [s, e] = header;
    host.report(cx.file, "error", "INVALID_STAGE", `${where}: stage.drop needs at least one of source, expression, older_than or longer_than`, s, e);
    return;
  }
  if (value === true && expression === true) {
    const a = attrs.get("value") as AttributeStmt;
    host.report(cx.file, "error", "INVALID_STAGE", `${where}: value and expression can't both be set in stage.drop; keep one`, a.start, a.end);
  }
  if (value === true && source === false) {
    const a = attrs.get("value") as AttributeStmt;
    host.report(cx.file, "error", "INVALID_STAGE", `${where}: stage.drop with value also needs source (the extracted field to compare)`, a.start, a.end);
  }
}

function checkMatchStage(host: RuleHost, where: string, attrs: Map<string, AttributeStmt>, body: readonly Stmt[], cx: ExprContext, header: readonly [number, number]): void {
  const selector = attrs.get("selector");
  const sel = knownString(selector);
  if (selector !== undefined && typeof sel === "string" && sel !== "unknown") {
    const err = sel === "" ? "the selector is empty" : logqlSelectorError(sel);
    if (err !== undefined) {
      host.report(cx.file, "error", "INVALID_SELECTOR", `${where}: invalid selector: ${err}; write a LogQL stream selector such as {app="web"} |= "error"`, selector.value.start, selector.value.end);
    }
  }
  const action = knownString(attrs.get("action"));
  const stages = body.filter((s) => s.kind === "BlockStmt" && blockName(s).startsWith("stage."));
  const actionAttr = attrs.get("action");
  if (typeof action === "string" && action !== "unknown" && action !== "" && action !== "keep" && action !== "drop" && actionAttr !== undefined) {
    host.report(cx.file, "error", "INVALID_ENUM", `${where}: action must be "keep" or "drop", got "${action}"`, actionAttr.value.start, actionAttr.value.end);
    return;
  }
  const act = action === undefined || action === "" ? "keep" : action;
  if (act === "keep" && stages.length === 0) {
    const [s, e] = selector !== undefined ? [selector.start, selector.end] : header;
    host.report(cx.file, "error", "INVALID_STAGE", `${where}: a stage.match that keeps entries needs at least one nested stage; add stages or set action = "drop"`, s, e);
  }
  if (act === "drop" && stages.length > 0) {
    const first = stages[0] as Stmt;
    host.report(cx.file, "error", "INVALID_STAGE", `${where}: a stage.match with action = "drop" can't contain stages; remove them or use action = "keep"`, first.start, first.start + 11);
  }
}
