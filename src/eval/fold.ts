/**
 * Constant folding of River (Alloy syntax) expressions with Alloy's own semantics (syntax/vm and
 * syntax/internal/transform of Alloy 1.18): literals, arrays, objects, parentheses, unary `-`/`!`, `+ - * / % ^`,
 * comparisons, `==`/`!=` (deep), `&&`/`||`, and indexing / field access on constant values.
 *
 * Numbers keep Alloy's three kinds: int (int64), uint (uint64) and float (float64). A NUMBER literal is an int when it
 * fits int64, else a uint when it fits uint64, else a float (Go's strconv.ParseInt/ParseUint/ParseFloat with base 0,
 * so a leading 0 means octal); a binary operation takes the wider kind of its operands (uint < int < float) and int
 * arithmetic wraps around at 64 bits, as Go's does. `+` joins two strings and nothing else (Alloy converts no operand).
 *
 * What cannot be computed is an {@link Unknown}: references (including stdlib identifiers), function calls, and the
 * operations Alloy would reject (type errors, division by zero, an index out of range). An unknown propagates through
 * operators; inside an array or object only the element is unknown, so the rest of the value stays known.
 */
import { referencePath, type BinaryOp, type Expr, type Span } from "../ast/ast.ts";
import { unquoteString } from "../syntax/strings.ts";

export type NumberKind = "int" | "uint" | "float";

/** A number: `value` is a bigint in int64 range for "int", in uint64 range for "uint", and a float64 for "float". */
export type NumberValue =
  | { readonly kind: "number"; readonly numberKind: "int" | "uint"; readonly value: bigint }
  | { readonly kind: "number"; readonly numberKind: "float"; readonly value: number };

/** A value known at check time. */
export type Value =
  | { readonly kind: "string"; readonly value: string }
  | NumberValue
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "array"; readonly items: readonly Folded[] }
  /** Fields in source order (a repeated key keeps its first place and its last value). */
  | { readonly kind: "object"; readonly fields: ReadonlyMap<string, Folded> };

/** Why a value cannot be computed, and where. */
export interface Unknown extends Span {
  readonly kind: "unknown";
  /**
   * `reference`: an identifier or a field of one (`a.b.c`); `call`: a function call; `index`: indexing or field access
   * on something unknown; `error`: an operation Alloy rejects when it evaluates the expression.
   */
  readonly cause: "reference" | "call" | "index" | "error";
  /** e.g. `the reference sys.env is not a constant`, `cannot apply + to string and number`. */
  readonly message: string;
}

export type Folded = Value | Unknown;

/** A folded value as plain JavaScript: ints and uints beyond 2^53 are bigints, objects are plain objects. */
export type JsValue = string | number | bigint | boolean | null | JsValue[] | { [key: string]: JsValue };

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

export const int = (value: bigint): NumberValue => ({ kind: "number", numberKind: "int", value: BigInt.asIntN(64, value) });
export const uint = (value: bigint): NumberValue => ({ kind: "number", numberKind: "uint", value: BigInt.asUintN(64, value) });
export const float = (value: number): NumberValue => ({ kind: "number", numberKind: "float", value });
const str = (value: string): Value => ({ kind: "string", value });
const bool = (value: boolean): Value => ({ kind: "bool", value });
const NULL: Value = { kind: "null" };

function unknown(span: Span, cause: Unknown["cause"], message: string): Unknown {
  return { kind: "unknown", cause, message, start: span.start, end: span.end };
}

/** Folds `expr`. Never throws. */
export function fold(expr: Expr): Folded {
  switch (expr.kind) {
    case "LiteralExpr":
      return literal(expr.literal, expr.raw, expr);
    case "ParenExpr":
      return fold(expr.inner);
    case "ArrayExpr":
      return { kind: "array", items: expr.elements.map(fold) };
    case "ObjectExpr": {
      const fields = new Map<string, Folded>();
      for (const f of expr.fields) fields.set(f.name.name, fold(f.value));
      return { kind: "object", fields };
    }
    case "UnaryExpr": {
      const v = fold(expr.value);
      const u = firstUnknown(v);
      if (u !== undefined) return u;
      return unary(expr.op, v as Value, expr);
    }
    case "BinaryExpr": {
      const l = fold(expr.left);
      const lu = firstUnknown(l);
      if (lu !== undefined) return lu;
      const r = fold(expr.right);
      const ru = firstUnknown(r);
      if (ru !== undefined) return ru;
      return binary(expr.op, l as Value, r as Value, expr);
    }
    case "IdentifierExpr":
      return notConstant(expr);
    case "AccessExpr": {
      const base = fold(expr.value);
      if (base.kind === "unknown") return base.cause === "error" ? base : notConstant(expr);
      if (base.kind !== "object") return unknown(expr, "error", `cannot access field ${JSON.stringify(expr.name.name)} on value of type ${typeName(base)}`);
      const field = base.fields.get(expr.name.name);
      return field ?? unknown(expr.name, "error", `field ${JSON.stringify(expr.name.name)} does not exist`);
    }
    case "IndexExpr": {
      const base = fold(expr.value);
      if (base.kind === "unknown") return base.cause === "error" ? base : notConstant(expr);
      const index = fold(expr.index);
      const iu = firstUnknown(index);
      if (iu !== undefined) return iu.cause === "error" ? iu : notConstant(expr);
      return indexValue(base, index as Value, expr);
    }
    case "CallExpr":
      return notConstant(expr);
  }
}

/** The value of `expr` when it is known (arrays and objects may still hold unknown elements), else undefined. */
export function foldKnown(expr: Expr): Value | undefined {
  const v = fold(expr);
  return v.kind === "unknown" ? undefined : v;
}

/** The first unknown part of a value in source order (the value itself, or a nested element), if any. */
export function firstUnknown(v: Folded): Unknown | undefined {
  switch (v.kind) {
    case "unknown":
      return v;
    case "array":
      for (const item of v.items) {
        const u = firstUnknown(item);
        if (u !== undefined) return u;
      }
      return undefined;
    case "object":
      for (const item of v.fields.values()) {
        const u = firstUnknown(item);
        if (u !== undefined) return u;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** Alloy's name for the type of a value (as in its error messages). */
export function typeName(v: Value): string {
  return v.kind;
}

function notConstant(expr: Expr): Unknown {
  const path = referencePath(expr);
  if (path !== undefined) return unknown(expr, "reference", `the reference ${path.join(".")} is not a constant`);
  if (expr.kind === "CallExpr") return unknown(expr, "call", "a function call is not a constant");
  return unknown(expr, "index", "an index expression is not a constant");
}

// ---------------------------------------------------------------------------------------------------------------------
// Literals

function literal(kind: string, raw: string, span: Span): Folded {
  switch (kind) {
    case "STRING": {
      // The parser reports incomplete literals (error recovery); their value is unknown.
      const q = raw[0];
      if (raw.length < 2 || (q !== '"' && q !== "`") || !raw.endsWith(q)) return unknown(span, "error", `invalid string literal ${raw}`);
      return str(unquoteString(raw));
    }
    case "NUMBER":
      return parseNumberLiteral(raw) ?? unknown(span, "error", `strconv.ParseFloat: parsing ${JSON.stringify(raw)}: value out of range`);
    case "FLOAT": {
      const f = Number(raw);
      if (Number.isNaN(f)) return unknown(span, "error", `strconv.ParseFloat: parsing ${JSON.stringify(raw)}: invalid syntax`);
      if (!Number.isFinite(f)) return unknown(span, "error", `strconv.ParseFloat: parsing ${JSON.stringify(raw)}: value out of range`);
      return float(f);
    }
    case "BOOL":
      return bool(raw === "true");
    case "NULL":
      return NULL;
  }
  return unknown(span, "error", `unsupported literal ${raw}`);
}

/**
 * A NUMBER literal (decimal digits) as alloy's transform.ValueFromLiteral reads it: strconv.ParseInt(lit, 0, 64),
 * else ParseUint(lit, 0, 64), else ParseFloat(lit, 64). Base 0 makes a leading 0 octal (`010` is 8); `09`, not
 * valid octal, falls through to the float 9. Undefined when the value is out of float64 range.
 */
export function parseNumberLiteral(raw: string): NumberValue | undefined {
  let n: bigint | undefined;
  if (/^0[0-7]+$/.test(raw)) n = BigInt(`0o${raw.slice(1)}`);
  else if (/^(0|[1-9][0-9]*)$/.test(raw)) n = BigInt(raw);
  if (n !== undefined && n <= 2n ** 63n - 1n) return int(n);
  if (n !== undefined && n <= UINT64_MAX) return uint(n);
  const f = Number(raw);
  return Number.isFinite(f) ? float(f) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Numbers

const PRECISION: Readonly<Record<NumberKind, number>> = { uint: 0, int: 1, float: 2 };

function fit(a: NumberValue, b: NumberValue): NumberKind {
  return PRECISION[a.numberKind] > PRECISION[b.numberKind] ? a.numberKind : b.numberKind;
}

/** Go's Number.Int(): an int64 (uints wrap; floats truncate, and out-of-range floats give the minimum, as on amd64). */
export function toInt64(n: NumberValue): bigint {
  if (n.numberKind !== "float") return BigInt.asIntN(64, n.value);
  const t = Math.trunc(n.value);
  return Number.isFinite(t) && t >= -(2 ** 63) && t < 2 ** 63 ? BigInt(t) : INT64_MIN;
}

/** Go's Number.Uint(): a uint64 (ints wrap; floats truncate). */
export function toUint64(n: NumberValue): bigint {
  if (n.numberKind !== "float") return BigInt.asUintN(64, n.value);
  const t = Math.trunc(n.value);
  return Number.isFinite(t) ? BigInt.asUintN(64, BigInt(t)) : 2n ** 63n;
}

/** Go's Number.Float(). */
export function toFloat64(n: NumberValue): number {
  return n.numberKind === "float" ? n.value : Number(n.value);
}

/** Alloy's Number.ToString(): decimal for ints, strconv.FormatFloat(f, 'f', -1, 64) for floats (never an exponent). */
export function numberToString(n: NumberValue): string {
  return n.numberKind === "float" ? formatFloat(n.value) : n.value.toString();
}

/** strconv.FormatFloat(f, 'f', -1, 64): the shortest digits that read back as `f`, without an exponent. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Infinity) return "+Inf";
  if (f === -Infinity) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, exponent] = Math.abs(f).toExponential().split("e") as [string, string];
  const digits = mantissa.replace(".", "");
  const point = Number(exponent) + 1; // digits[0..point) are the integer part
  let text: string;
  if (point <= 0) text = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) text = digits + "0".repeat(point - digits.length);
  else text = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return f < 0 ? `-${text}` : text;
}

/** Go's intPow: n^m by repeated multiplication with wrap-around; a negative exponent leaves n (except 0 and 1). */
function intPow(n: bigint, m: bigint, wrap: (x: bigint) => bigint): bigint {
  if (m === 0n || n === 1n) return 1n;
  if (n === 0n && m > 0n) return 0n;
  if (m < 1n) return n;
  let result = 1n;
  let base = wrap(n);
  let e = m;
  while (e > 0n) {
    if (e & 1n) result = wrap(result * base);
    base = wrap(base * base);
    e >>= 1n;
  }
  return result;
}

const F64 = new DataView(new ArrayBuffer(8));
const bitsOf = (f: number): bigint => (F64.setFloat64(0, f), F64.getBigUint64(0));
const fromBits = (b: bigint): number => (F64.setBigUint64(0, b), F64.getFloat64(0));
const EXP_MASK = 0x7ffn << 52n;

/** Go's math.normalize: a subnormal scaled into the normal range, and the power of two taken out. */
function normalize(x: number): [number, number] {
  return Math.abs(x) < 2.2250738585072014e-308 ? [x * 2 ** 52, -52] : [x, 0];
}

/** Go's math.Frexp: x = frac × 2^exp with frac in [0.5, 1). */
function frexp(f: number): [number, number] {
  if (f === 0 || !Number.isFinite(f)) return [f, 0];
  const [g, e] = normalize(f);
  const x = bitsOf(g);
  const exp = e + Number((x & EXP_MASK) >> 52n) - 1023 + 1;
  return [fromBits((x & ~EXP_MASK) | (1022n << 52n)), exp];
}

/** Go's math.Ldexp: frac × 2^exp, with Go's handling of subnormal results. */
function ldexp(frac: number, exp: number): number {
  if (frac === 0 || !Number.isFinite(frac)) return frac;
  const [g, e] = normalize(frac);
  let x = bitsOf(g);
  let ex = exp + e + Number((x & EXP_MASK) >> 52n) - 1023;
  if (ex < -1075) return frac < 0 ? -0 : 0;
  if (ex > 1023) return frac < 0 ? -Infinity : Infinity;
  let m = 1;
  if (ex < -1022) {
    ex += 53;
    m = 2 ** -53;
  }
  x = (x & ~EXP_MASK) | (BigInt(ex + 1023) << 52n);
  return m * fromBits(x);
}

function isOddInt(x: number): boolean {
  if (Math.abs(x) >= 2 ** 53) return false;
  return Number.isInteger(x) && Math.abs(x) % 2 === 1;
}

/**
 * Go's math.Pow (pure Go, as on amd64 and arm64): squaring for the integer part of the exponent, so results can
 * differ from JavaScript's `**` in the last bits. The fractional part uses exp(yf·log x), where Go's platform-specific
 * Exp and Log may themselves differ from JavaScript's by an ulp.
 */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (x === 0) {
    if (y < 0) return isOddInt(y) ? (Object.is(x, -0) ? -Infinity : Infinity) : Infinity;
    return isOddInt(y) ? x : 0;
  }
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y === Infinity) ? 0 : Infinity;
  }
  if (!Number.isFinite(x)) {
    if (x === -Infinity) return goPow(1 / x, -y);
    return y < 0 ? 0 : Infinity;
  }
  if (y === 0.5) return Math.sqrt(x);
  if (y === -0.5) return 1 / Math.sqrt(x);
  let yi = Math.trunc(Math.abs(y));
  let yf = Math.abs(y) - yi;
  if (yf !== 0 && x < 0) return Number.NaN;
  if (yi >= 2 ** 63) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y > 0) ? 0 : Infinity;
  }
  let a1 = 1;
  let ae = 0;
  if (yf !== 0) {
    if (yf > 0.5) {
      yf--;
      yi++;
    }
    a1 = Math.exp(yf * Math.log(x));
  }
  let [x1, xe] = frexp(x);
  for (let i = BigInt(yi); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

function arithmetic(op: BinaryOp, l: NumberValue, r: NumberValue): NumberValue | boolean {
  const kind = fit(l, r);
  if (kind === "float") {
    const a = toFloat64(l);
    const b = toFloat64(r);
    switch (op) {
      case "+": return float(a + b);
      case "-": return float(a - b);
      case "*": return float(a * b);
      case "/": return float(a / b);
      case "%": return float(a % b); // fmod, like math.Mod
      case "^": return float(goPow(a, b));
      default: return compare(op, a, b);
    }
  }
  const make = kind === "int" ? int : uint;
  const wrap = kind === "int" ? (x: bigint) => BigInt.asIntN(64, x) : (x: bigint) => BigInt.asUintN(64, x);
  const a = kind === "int" ? toInt64(l) : toUint64(l);
  const b = kind === "int" ? toInt64(r) : toUint64(r);
  switch (op) {
    case "+": return make(a + b);
    case "-": return make(a - b);
    case "*": return make(a * b);
    case "/": return make(a / b); // truncated, like Go's
    case "%": return make(a % b); // sign of the dividend, like Go's
    case "^": return make(intPow(a, b, wrap));
    default: return compare(op, a, b);
  }
}

function isZero(n: NumberValue): boolean {
  return n.numberKind === "float" ? n.value === 0 : n.value === 0n;
}

// ---------------------------------------------------------------------------------------------------------------------
// Operators

function unary(op: "!" | "-", v: Value, span: Span): Folded {
  if (op === "!" && v.kind === "bool") return bool(!v.value);
  if (op === "-" && v.kind === "number") return v.numberKind === "float" ? float(-v.value) : int(-toInt64(v));
  return unknown(span, "error", `cannot apply ${op} to ${typeName(v)}`);
}

/** The operand types each operator accepts (both operands must then have the same type). */
const OPERAND_TYPES: Readonly<Record<Exclude<BinaryOp, "==" | "!=">, readonly Value["kind"][]>> = {
  "||": ["bool"],
  "&&": ["bool"],
  "+": ["number", "string"],
  "-": ["number"],
  "*": ["number"],
  "/": ["number"],
  "%": ["number"],
  "^": ["number"],
  "<": ["number", "string"],
  "<=": ["number", "string"],
  ">": ["number", "string"],
  ">=": ["number", "string"],
};

function binary(op: BinaryOp, l: Value, r: Value, span: Span): Folded {
  if (op === "==" || op === "!=") return bool(valuesEqual(l, r) === (op === "=="));
  const allowed = OPERAND_TYPES[op];
  if (!allowed.includes(l.kind) || !allowed.includes(r.kind) || l.kind !== r.kind) {
    return unknown(span, "error", `cannot apply ${op} to ${typeName(l)} and ${typeName(r)}`);
  }
  if (l.kind === "bool" && r.kind === "bool") return bool(op === "&&" ? l.value && r.value : l.value || r.value);
  if (l.kind === "string" && r.kind === "string") return op === "+" ? str(l.value + r.value) : bool(compare(op, compareStrings(l.value, r.value), 0));
  if (l.kind === "number" && r.kind === "number") {
    if ((op === "/" || op === "%") && isZero(r)) return unknown(span, "error", `cannot apply ${op} to number and number: divide by zero`);
    const v = arithmetic(op, l, r);
    return typeof v === "boolean" ? bool(v) : v;
  }
  return unknown(span, "error", `cannot apply ${op} to ${typeName(l)} and ${typeName(r)}`);
}

function compare<T extends number | bigint>(op: BinaryOp, a: T, b: T): boolean {
  switch (op) {
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
    default: return false;
  }
}

/** Go's string order: by UTF-8 bytes, which is by code points (JavaScript's `<` compares UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Alloy's valuesEqual: same type and deeply equal; numbers compare in their common kind. */
export function valuesEqual(l: Value, r: Value): boolean {
  switch (l.kind) {
    case "null":
      return r.kind === "null";
    case "string":
    case "bool":
      return r.kind === l.kind && r.value === l.value;
    case "number":
      if (r.kind !== "number") return false;
      switch (fit(l, r)) {
        case "float": return toFloat64(l) === toFloat64(r);
        case "int": return toInt64(l) === toInt64(r);
        case "uint": return toUint64(l) === toUint64(r);
      }
      return false;
    case "array":
      return r.kind === "array" && r.items.length === l.items.length && l.items.every((x, i) => valuesEqual(x as Value, r.items[i] as Value));
    case "object":
      if (r.kind !== "object" || r.fields.size !== l.fields.size) return false;
      for (const [k, x] of l.fields) {
        const y = r.fields.get(k);
        if (y === undefined || !valuesEqual(x as Value, y as Value)) return false;
      }
      return true;
  }
}

function indexValue(base: Value, index: Value, span: Span): Folded {
  if (base.kind === "array") {
    if (index.kind !== "number") return unknown(span, "error", `expected number, got ${typeName(index)}`);
    const i = toInt64(index);
    if (i < 0n || i >= BigInt(base.items.length)) {
      return unknown(span, "error", `index ${i} is out of range of array with length ${base.items.length}`);
    }
    return base.items[Number(i)] as Folded;
  }
  if (base.kind === "object") {
    if (index.kind !== "string") return unknown(span, "error", `expected string, got ${typeName(index)}`);
    return base.fields.get(index.value) ?? NULL; // a missing key is null when accessed with []
  }
  return unknown(span, "error", `expected object or array, got ${typeName(base)}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// Conversions

/**
 * The string Alloy's decoder makes of a value where a Go string is expected: a string itself, a number's ToString
 * (`1` → "1", `1e21` → "1000000000000000000000"); undefined for other values and unknowns.
 */
export function decodeString(v: Folded | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.kind === "string") return v.value;
  if (v.kind === "number") return numberToString(v);
  return undefined;
}

/**
 * The uint64 Alloy's decoder makes of a number where a Go uint64 is expected (hashmod's `modulus`): Go's conversion,
 * so ints wrap (`-1` is 18446744073709551615) and floats truncate (`2.9` is 2). Undefined for other values, and for
 * floats outside uint64's range (Go leaves that conversion to the platform).
 */
export function decodeUint64(v: Folded): bigint | undefined {
  if (v.kind !== "number") return undefined;
  if (v.numberKind !== "float") return BigInt.asUintN(64, v.value);
  return v.value > -1 && v.value < 2 ** 64 ? BigInt(Math.trunc(v.value)) : undefined;
}

/** The value as plain JavaScript, or undefined when any part of it is unknown. */
export function toJs(v: Folded): JsValue | undefined {
  switch (v.kind) {
    case "unknown":
      return undefined;
    case "string":
    case "bool":
      return v.value;
    case "null":
      return null;
    case "number":
      if (v.numberKind === "float") return v.value;
      return v.value >= BigInt(Number.MIN_SAFE_INTEGER) && v.value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v.value) : v.value;
    case "array": {
      const out: JsValue[] = [];
      for (const item of v.items) {
        const x = toJs(item);
        if (x === undefined) return undefined;
        out.push(x);
      }
      return out;
    }
    case "object": {
      const out: { [key: string]: JsValue } = {};
      for (const [k, item] of v.fields) {
        const x = toJs(item);
        if (x === undefined) return undefined;
        // defineProperty: a key such as "__proto__" is an ordinary field, not the prototype.
        Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}
