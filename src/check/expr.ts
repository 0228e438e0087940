import { referencePath, type Expr, type BinaryExpr, type CallExpr } from "../ast/ast.ts";
import { STDLIB, stdlibAlias, stdlibEntry } from "../schema/index.ts";
import {
  ANY,
  BOOL,
  NULL,
  NUMBER,
  STRING,
  SECRET,
  OPTIONAL_SECRET,
  assignable,
  fieldType,
  list,
  object,
  ownField,
  parseType,
  typeToString,
  valueKind,
  type AlloyType,
} from "../schema/types.ts";
import type { ExprContext, Reporter } from "./model.ts";
import { parseGoDuration } from "./rules/duration.ts";
import { indexFor, suggestionText, type Match } from "./suggest.ts";
import { foldKnown, numberToString, type Value } from "../eval/fold.ts";
import { describeConst, stringToNumber } from "./values.ts";

/** What the expression checker needs from the rest of the checker. */
export interface ExprServices {
  readonly report: Reporter;
  /** Resolves a reference path; reports unknown names itself. Returns the type, or undefined if it reported. */
  resolveReference(path: string[], expr: Expr, cx: ExprContext): AlloyType | undefined;
  /** Parsed type strings, cached per check run. */
  type(text: string): AlloyType;
  /** Fragment mode: docs placeholders such as "<PATH_TARGETS>" stand for a value of any type. */
  readonly fragment: boolean;
}

/** A docs placeholder string such as "<SUBSCRIPTIONS>" (only meaningful in fragment mode). */
export function isPlaceholder(v: Value): boolean {
  return v.kind === "string" && /^<[^<>]+>$/.test(v.value.trim());
}

/** A folded value, unless it is a placeholder in fragment mode (then nothing is known about it). */
function knownValue(expr: Expr, sv: ExprServices): Value | undefined {
  const v = foldKnown(expr);
  if (v === undefined || (sv.fragment && containsPlaceholder(v))) return undefined;
  return v;
}

function containsPlaceholder(v: Value): boolean {
  if (isPlaceholder(v)) return true;
  if (v.kind === "array") return v.items.some((i) => i.kind !== "unknown" && containsPlaceholder(i));
  if (v.kind === "object") return [...v.fields.values()].some((i) => i.kind !== "unknown" && containsPlaceholder(i));
  return false;
}

/** How to point a user at values of a capsule type. */
const CAPSULE_HINTS: Readonly<Record<string, string>> = {
  LogsReceiver: "a logs receiver such as loki.write.<label>.receiver or loki.process.<label>.receiver",
  MetricsReceiver: "a metrics receiver such as prometheus.remote_write.<label>.receiver",
  ProfilesReceiver: "a profiles receiver such as pyroscope.write.<label>.receiver",
  "otelcol.Consumer": "an OpenTelemetry consumer such as otelcol.exporter.otlp.<label>.input",
  "otelcol.Handler": "an auth or storage handler such as otelcol.auth.basic.<label>.handler",
  RelabelRules: "relabel rules such as loki.relabel.<label>.rules",
};

function capsuleOf(t: AlloyType): string | undefined {
  if (t.kind === "capsule") return t.name;
  if (t.kind === "list") return capsuleOf(t.elem);
  return undefined;
}

export function mismatchHint(expected: AlloyType): string {
  const cap = capsuleOf(expected);
  if (cap !== undefined && CAPSULE_HINTS[cap] !== undefined) {
    return expected.kind === "list" ? `; use a list of ${CAPSULE_HINTS[cap]}` : `; use ${CAPSULE_HINTS[cap]}`;
  }
  if (expected.kind === "string") return "; use a string (convert.nonsensitive() turns a secret into a string)";
  return "";
}

function describeType(t: AlloyType): string {
  const s = typeToString(t);
  const k = valueKind(t);
  return s === k || k === "capsule" ? s : `${k} (${s})`;
}

/**
 * Checks a value against a known Alloy value, following the decoder's conversion rules. Returns an error message,
 * or undefined when Alloy would accept it.
 */
export function constMismatch(v: Value, expected: AlloyType): string | undefined {
  if (v.kind === "null") return undefined;
  switch (expected.kind) {
    case "any":
      return undefined;
    case "string":
      return v.kind === "string" || v.kind === "number" ? undefined : `expected string, got ${describeConst(v)}`;
    case "number":
      if (v.kind === "number") return undefined;
      if (v.kind === "string") {
        return stringToNumber(v.value) === undefined
          ? `expected number, got ${describeConst(v)} which is not a number`
          : undefined;
      }
      return `expected number, got ${describeConst(v)}`;
    case "bool":
      return v.kind === "bool" ? undefined : `expected bool, got ${describeConst(v)}`;
    case "duration": {
      const s = v.kind === "string" ? v.value : v.kind === "number" ? numberToString(v) : undefined;
      if (s === undefined) return `expected duration (a string such as "30s"), got ${describeConst(v)}`;
      const d = parseGoDuration(s);
      return d.ok ? undefined : `${d.error}; a duration is a number with a unit (ns, us, ms, s, m, h), such as "30s" or "1h30m"`;
    }
    case "secret":
    case "optional_secret":
      return v.kind === "string" ? undefined : `expected ${typeToString(expected)}, got ${describeConst(v)}`;
    case "list":
      if (v.kind !== "array") return `expected ${typeToString(expected)}, got ${describeConst(v)}`;
      for (const item of v.items) {
        if (item.kind === "unknown") continue;
        const m = constMismatch(item, expected.elem);
        if (m !== undefined) return `list element: ${m}`;
      }
      return undefined;
    case "map":
    case "object":
    case "target": {
      if (v.kind !== "object") return `expected ${typeToString(expected)}, got ${describeConst(v)}`;
      for (const [k, item] of v.fields) {
        if (item.kind === "unknown") continue;
        const ft = expected.kind === "map" ? expected.elem : expected.kind === "object" ? ownField(expected, k) : undefined;
        if (ft === undefined) continue;
        const m = constMismatch(item, ft);
        if (m !== undefined) return `field "${k}": ${m}`;
      }
      return undefined;
    }
    case "capsule":
      return `expected ${typeToString(expected)}, got ${describeConst(v)}${mismatchHint(expected)}`;
    case "null":
    case "function":
      return `expected ${typeToString(expected)}, got ${describeConst(v)}`;
  }
}

/**
 * Checks `expr` against `expected`, descending into array and object literals so that an error points at the
 * element that is wrong. Reports at most one mismatch per expression.
 */
export function checkValue(expr: Expr, expected: AlloyType, cx: ExprContext, sv: ExprServices, what: string): void {
  if (expr.kind === "ParenExpr") return checkValue(expr.inner, expected, cx, sv, what);
  if (expr.kind === "ArrayExpr" && (expected.kind === "list" || expected.kind === "any")) {
    const elem = expected.kind === "list" ? expected.elem : ANY;
    for (const e of expr.elements) checkValue(e, elem, cx, sv, what);
    return;
  }
  if (expr.kind === "ObjectExpr" && (expected.kind === "map" || expected.kind === "object" || expected.kind === "any" || expected.kind === "target")) {
    for (const f of expr.fields) {
      if (expected.kind === "target") {
        const t = typeOf(f.value, cx, sv);
        if (t.kind === "secret") {
          sv.report(cx.file, "error", "TYPE_MISMATCH", `${what}: a secret can't be used as a target label value; targets hold plain strings`, f.value.start, f.value.end);
        }
        continue;
      }
      const ft = expected.kind === "map" ? expected.elem : expected.kind === "object" ? (ownField(expected, f.name.name) ?? ANY) : ANY;
      checkValue(f.value, ft, cx, sv, what);
    }
    return;
  }
  const t = typeOf(expr, cx, sv);
  const v = knownValue(expr, sv);
  if (v !== undefined) {
    const m = constMismatch(v, expected);
    if (m !== undefined) sv.report(cx.file, "error", "TYPE_MISMATCH", `${what}: ${m}`, expr.start, expr.end);
    return;
  }
  if (sv.fragment && expr.kind === "LiteralExpr") return;
  if (!assignable(t, expected)) {
    const ref = referencePath(expr);
    const src = ref === undefined ? "" : ` from ${ref.join(".")}`;
    sv.report(
      cx.file,
      "error",
      "TYPE_MISMATCH",
      `${what}: expected ${describeType(expected)}, got ${describeType(t)}${src}${mismatchHint(expected)}`,
      expr.start,
      expr.end,
    );
  }
}

/** Infers the type of an expression, reporting problems inside it (unknown references, bad calls, operators). */
export function typeOf(expr: Expr, cx: ExprContext, sv: ExprServices): AlloyType {
  switch (expr.kind) {
    case "LiteralExpr":
      switch (expr.literal) {
        case "STRING":
          return STRING;
        case "NUMBER":
        case "FLOAT":
          return NUMBER;
        case "BOOL":
          return BOOL;
        case "NULL":
          return NULL;
      }
      return ANY;
    case "ParenExpr":
      return typeOf(expr.inner, cx, sv);
    case "ArrayExpr": {
      const types = expr.elements.map((e) => typeOf(e, cx, sv));
      const first = types[0];
      if (first === undefined) return list(ANY);
      return list(types.every((t) => typeToString(t) === typeToString(first) && t.kind === first.kind) ? first : ANY);
    }
    case "ObjectExpr": {
      // fromEntries, not assignment: a field named "__proto__" is a field (a later duplicate wins, as before).
      return object(Object.fromEntries(expr.fields.map((f) => [f.name.name, typeOf(f.value, cx, sv)])));
    }
    case "IdentifierExpr":
    case "AccessExpr": {
      const path = referencePath(expr);
      if (path !== undefined) return sv.resolveReference(path, expr, cx) ?? ANY;
      if (expr.kind === "AccessExpr") {
        const base = typeOf(expr.value, cx, sv);
        const ft = fieldType(base, expr.name.name);
        if (ft === undefined) {
          sv.report(cx.file, "error", "TYPE_MISMATCH", `can't access field "${expr.name.name}" of a ${valueKind(base)} value; only objects have fields`, expr.name.start, expr.name.end);
          return ANY;
        }
        return ft;
      }
      return ANY;
    }
    case "IndexExpr": {
      const base = typeOf(expr.value, cx, sv);
      const idx = typeOf(expr.index, cx, sv);
      switch (base.kind) {
        case "list":
          if (!assignable(idx, NUMBER)) sv.report(cx.file, "error", "TYPE_MISMATCH", `a list index must be a number, got ${typeToString(idx)}`, expr.index.start, expr.index.end);
          return base.elem;
        case "map":
        case "object":
        case "target":
          if (!assignable(idx, STRING)) sv.report(cx.file, "error", "TYPE_MISMATCH", `an object key must be a string, got ${typeToString(idx)}`, expr.index.start, expr.index.end);
          return fieldType(base, "") ?? ANY;
        case "any":
        case "null":
          return ANY;
        default:
          sv.report(cx.file, "error", "TYPE_MISMATCH", `can't index a ${valueKind(base)} value; only lists and objects can be indexed`, expr.start, expr.end);
          return ANY;
      }
    }
    case "CallExpr":
      return typeOfCall(expr, cx, sv);
    case "UnaryExpr": {
      const t = typeOf(expr.value, cx, sv);
      const want = expr.op === "!" ? BOOL : NUMBER;
      if (t.kind !== "any" && t.kind !== want.kind) {
        sv.report(cx.file, "error", "TYPE_MISMATCH", `operator ${expr.op} needs a ${want.kind}, got ${valueKind(t)}`, expr.value.start, expr.value.end);
      }
      return want;
    }
    case "BinaryExpr":
      return typeOfBinary(expr, cx, sv);
  }
}

/**
 * The type a value has once capsules that wrap strings are unwrapped (what the binary operators compare): Alloy's
 * value kind, except that secrets and other capsules keep their own kind.
 */
function operandKind(t: AlloyType): string {
  return t.kind === "secret" || t.kind === "optional_secret" || t.kind === "capsule" ? t.kind : valueKind(t);
}

const SECRETISH = new Set(["secret", "optional_secret"]);

function typeOfBinary(expr: BinaryExpr, cx: ExprContext, sv: ExprServices): AlloyType {
  const l = typeOf(expr.left, cx, sv);
  const r = typeOf(expr.right, cx, sv);
  const lk = operandKind(l);
  const rk = operandKind(r);
  const unknown = lk === "any" || rk === "any";
  const bad = (msg: string) => sv.report(cx.file, "error", "TYPE_MISMATCH", msg, expr.start, expr.end);
  switch (expr.op) {
    case "==":
    case "!=":
      return BOOL;
    case "||":
    case "&&":
      for (const [k, e] of [[lk, expr.left], [rk, expr.right]] as const) {
        if (k !== "any" && k !== "bool") sv.report(cx.file, "error", "TYPE_MISMATCH", `operator ${expr.op} needs bool operands, got ${k}`, e.start, e.end);
      }
      return BOOL;
    case "+": {
      if (SECRETISH.has(lk) || SECRETISH.has(rk)) {
        const other = SECRETISH.has(lk) ? rk : lk;
        if (other !== "any" && other !== "string" && !SECRETISH.has(other)) {
          bad(`operator + can't add a ${other} to a secret; both sides must be strings or secrets`);
          return ANY;
        }
        return lk === "secret" || rk === "secret" ? SECRET : OPTIONAL_SECRET;
      }
      if (unknown) return lk === "any" ? (rk === "number" ? NUMBER : rk === "string" ? STRING : ANY) : lk === "number" ? NUMBER : lk === "string" ? STRING : ANY;
      if (lk !== "number" && lk !== "string") {
        bad(`operator + needs numbers or strings, got ${lk}`);
        return ANY;
      }
      if (lk !== rk) {
        bad(`operator + needs two values of the same type, got ${lk} and ${rk}; Alloy doesn't convert operands (use string.format to build strings)`);
        return ANY;
      }
      return lk === "number" ? NUMBER : STRING;
    }
    case "-":
    case "*":
    case "/":
    case "%":
    case "^":
      for (const [k, e] of [[lk, expr.left], [rk, expr.right]] as const) {
        if (k !== "any" && k !== "number") sv.report(cx.file, "error", "TYPE_MISMATCH", `operator ${expr.op} needs numbers, got ${k}`, e.start, e.end);
      }
      return NUMBER;
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (!unknown) {
        // Alloy unwraps a "string or secret" that is not secret when the other side is a string (vm
        // tryUnwrapCapsules), so that comparison is known only at run time.
        const optionalVsString = (lk === "optional_secret" && rk === "string") || (lk === "string" && rk === "optional_secret");
        if (optionalVsString) return BOOL;
        if (lk !== "number" && lk !== "string") bad(`operator ${expr.op} compares numbers or strings, got ${lk}`);
        else if (lk !== rk) bad(`operator ${expr.op} needs two values of the same type, got ${lk} and ${rk}`);
      }
      return BOOL;
  }
}

function typeOfCall(expr: CallExpr, cx: ExprContext, sv: ExprServices): AlloyType {
  const path = referencePath(expr.value);
  const argTypes = expr.args.map((a) => typeOf(a, cx, sv));
  if (path === undefined) {
    typeOf(expr.value, cx, sv);
    return ANY;
  }
  const name = path.join(".");
  const head = path[0] as string;
  const alias = stdlibAlias(name);
  const isStdlib = STDLIB.topLevel.includes(head) || alias !== undefined;
  if (!isStdlib || cx.env.locals.has(head)) {
    // A call on something else (a foreach variable, a module argument): only the reference itself is checked.
    const t = sv.resolveReference(path, expr.value, cx);
    if (t !== undefined && t.kind !== "any" && t.kind !== "function" && t.kind !== "null") {
      sv.report(cx.file, "error", "TYPE_MISMATCH", `${name} is a ${valueKind(t)}, not a function`, expr.value.start, expr.value.end);
    }
    return ANY;
  }
  const canonical = alias ?? name;
  if (alias !== undefined) {
    sv.report(cx.file, "warning", "DEPRECATED_FUNCTION", `${name} is deprecated; use ${alias} instead`, expr.value.start, expr.value.end);
  }
  const entry = stdlibEntry(canonical);
  if (entry === undefined) {
    sv.report(cx.file, "error", "UNKNOWN_FUNCTION", `unknown function ${name}${suggestionText(closestStdlibName(name))}`, expr.value.start, expr.value.end);
    return ANY;
  }
  if (entry.kind === "constant") {
    sv.report(cx.file, "error", "TYPE_MISMATCH", `${name} is a constant, not a function; drop the parentheses`, expr.start, expr.end);
    return sv.type(entry.type);
  }
  const params = entry.params;
  const variadic = params.find((p) => p.variadic === true);
  const required = params.filter((p) => p.optional !== true && p.variadic !== true).length;
  const max = variadic ? Infinity : params.length;
  if (expr.args.length < required || expr.args.length > max) {
    const want = variadic ? `at least ${required}` : required === params.length ? `${required}` : `${required} to ${params.length}`;
    const sig = `${canonical}(${params.map((p) => `${p.name}${p.variadic ? "..." : ""}`).join(", ")})`;
    sv.report(cx.file, "error", "WRONG_ARGUMENT_COUNT", `${name} takes ${want} argument${want === "1" ? "" : "s"}, got ${expr.args.length}: ${sig}`, expr.start, expr.end);
  } else {
    expr.args.forEach((arg, i) => {
      const p = i < params.length ? params[i] : variadic;
      if (p === undefined) return;
      const pt = sv.type(p.type);
      checkArgument(arg, argTypes[i] ?? ANY, pt, `argument ${i + 1} (${p.name}) of ${name}`, cx, sv);
    });
  }
  if (canonical === "array.concat") {
    const elems = argTypes.map((t) => (t.kind === "list" ? t.elem : ANY));
    const first = elems[0];
    if (first !== undefined && elems.every((e) => typeToString(e) === typeToString(first))) return list(first);
  }
  if (canonical === "coalesce") {
    const first = argTypes[0];
    if (first !== undefined && argTypes.every((t) => typeToString(t) === typeToString(first))) return first;
  }
  return sv.type(entry.returns);
}

/** Function arguments are decoded like attribute values. */
function checkArgument(arg: Expr, t: AlloyType, expected: AlloyType, what: string, cx: ExprContext, sv: ExprServices): void {
  const v = knownValue(arg, sv);
  if (sv.fragment && v === undefined && arg.kind === "LiteralExpr") return;
  if (v !== undefined) {
    const m = constMismatch(v, expected);
    if (m !== undefined) sv.report(cx.file, "error", "TYPE_MISMATCH", `${what}: ${m}`, arg.start, arg.end);
    return;
  }
  if (!assignable(t, expected)) {
    sv.report(cx.file, "error", "TYPE_MISMATCH", `${what}: expected ${describeType(expected)}, got ${describeType(t)}${mismatchHint(expected)}`, arg.start, arg.end);
  }
}

export { parseType };

/** The stdlib function or constant (deprecated names included) closest to `name`. */
export function closestStdlibName(name: string): Match | undefined {
  return indexFor(STDLIB, () => [...Object.keys(STDLIB.entries), ...Object.keys(STDLIB.deprecatedAliases)]).closest(name);
}
