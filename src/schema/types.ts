/**
 * The type language of Alloy values, as river's checker sees them.
 *
 * Alloy values have seven kinds (null, number, string, bool, array, object, function) plus capsules (opaque Go
 * values: secrets, receivers, consumers, handlers, relabel rules...). The docs describe arguments with a richer
 * vocabulary (`duration`, `list(map(string))`, `string or secret`, `LogsReceiver`, ...); `parseType` turns any of
 * their spellings into an `AlloyType`, and `assignable` answers whether Alloy's decoder could accept a value of one
 * type where another is expected. The rules follow alloy's syntax/internal/value decoder:
 *
 * - a number converts to a string; a string converts to a number when it parses as one (known only for literals);
 * - a `duration` is decoded as a string and parsed with Go's time.ParseDuration (so `0` works, `30` does not);
 * - a string converts to a secret or an optional secret; an optional secret converts to a secret, and to a string
 *   only when it is not secret (known only at run time); a secret never converts to a string;
 * - a number or bool never converts to a secret; a bool never converts from or to anything else;
 * - capsules of different kinds never convert into each other;
 * - null is accepted everywhere (it decodes to the zero value).
 *
 * `assignable` returns false only when Alloy would reject every value of the source type: when it can't tell, it
 * accepts.
 */

export type AlloyType =
  | { readonly kind: "any" }
  | { readonly kind: "null" }
  | { readonly kind: "string" }
  | { readonly kind: "number" }
  | { readonly kind: "bool" }
  /** A string that must parse as a Go duration (only meaningful as an expected type). */
  | { readonly kind: "duration" }
  | { readonly kind: "secret" }
  /** alloytypes.OptionalSecret: "string or secret". */
  | { readonly kind: "optional_secret" }
  | { readonly kind: "list"; readonly elem: AlloyType }
  /** An object whose values all have one type: `map(T)`; `object` is `map(any)`. */
  | { readonly kind: "map"; readonly elem: AlloyType }
  /** An object with known fields (from an object literal or a block). */
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, AlloyType>> }
  /** discovery.Target: an object whose values may be anything but a secret. */
  | { readonly kind: "target" }
  | { readonly kind: "capsule"; readonly name: string }
  | { readonly kind: "function"; readonly name?: string };

export const ANY: AlloyType = { kind: "any" };
export const NULL: AlloyType = { kind: "null" };
export const STRING: AlloyType = { kind: "string" };
export const NUMBER: AlloyType = { kind: "number" };
export const BOOL: AlloyType = { kind: "bool" };
export const DURATION: AlloyType = { kind: "duration" };
export const SECRET: AlloyType = { kind: "secret" };
export const OPTIONAL_SECRET: AlloyType = { kind: "optional_secret" };

export function list(elem: AlloyType): AlloyType {
  return { kind: "list", elem };
}

export function map(elem: AlloyType): AlloyType {
  return { kind: "map", elem };
}

export function capsule(name: string): AlloyType {
  return { kind: "capsule", name };
}

export function object(fields: Record<string, AlloyType>): AlloyType {
  return { kind: "object", fields };
}

/** Canonical capsule names and the spellings that mean them. */
const CAPSULE_SPELLINGS: Readonly<Record<string, string>> = {
  LogsReceiver: "LogsReceiver",
  "loki.LogsReceiver": "LogsReceiver",
  MetricsReceiver: "MetricsReceiver",
  "storage.Appendable": "MetricsReceiver",
  ProfilesReceiver: "ProfilesReceiver",
  "pyroscope.Appendable": "ProfilesReceiver",
  "otelcol.Consumer": "otelcol.Consumer",
  Consumer: "otelcol.Consumer",
  "otelcol.Handler": "otelcol.Handler",
  RelabelRules: "RelabelRules",
  "relabel.Rules": "RelabelRules",
  "[]relabel.Config": "RelabelRules",
};

/** Scalar spellings used by the docs and Go. */
const SCALAR_SPELLINGS: Readonly<Record<string, AlloyType>> = {
  any: ANY,
  "interface{}": ANY,
  null: NULL,
  string: STRING,
  size: STRING,
  "units.Base2Bytes": STRING,
  number: NUMBER,
  int: NUMBER,
  integer: NUMBER,
  uint: NUMBER,
  uint32: NUMBER,
  int64: NUMBER,
  float: NUMBER,
  float32: NUMBER,
  float64: NUMBER,
  bool: BOOL,
  boolean: BOOL,
  duration: DURATION,
  Duration: DURATION,
  "time.Duration": DURATION,
  secret: SECRET,
  "alloytypes.Secret": SECRET,
  "string or secret": OPTIONAL_SECRET,
  "secret or string": OPTIONAL_SECRET,
  optional_secret: OPTIONAL_SECRET,
  "alloytypes.OptionalSecret": OPTIONAL_SECRET,
  object: { kind: "map", elem: ANY },
  Target: { kind: "target" },
  "discovery.Target": { kind: "target" },
  receiver: ANY, // ambiguous in the docs; the generator resolves it per argument
  function: { kind: "function" },
};

/**
 * Parses a type as the docs, the extraction or Go write it: `list(map(string))`, `[]string`, `map[string]string`,
 * `lists(map(string)` (a docs typo), `capsule(otelcol.Handler)`, `LogsReceiver`, `string or secret`, ...
 * Unknown spellings become `any`, so that they never cause a false alarm.
 */
export function parseType(text: string): AlloyType {
  const t = text.trim();
  const scalar = SCALAR_SPELLINGS[t];
  if (scalar !== undefined) return scalar;
  const cap = CAPSULE_SPELLINGS[t];
  if (cap !== undefined) return capsule(cap);
  if (t === "[]discovery.Target" || t === "list(Target)") return list({ kind: "target" });
  let m = /^(?:list|lists|array)\((.*?)\)?$/.exec(t);
  if (m && t.includes("(")) return list(parseType(stripOuter(m[1] as string)));
  m = /^map\((.*)\)$/.exec(t);
  if (m) return map(parseType(m[1] as string));
  m = /^capsule\((.*)\)$/.exec(t);
  if (m) {
    const inner = (m[1] as string).trim();
    return capsule(CAPSULE_SPELLINGS[inner] ?? inner);
  }
  m = /^\[\](.*)$/.exec(t);
  if (m) return list(parseType(m[1] as string));
  m = /^map\[string\](.*)$/.exec(t);
  if (m) return map(parseType(m[1] as string));
  if (t.startsWith("*")) return parseType(t.slice(1));
  return ANY;
}

/** `lists(map(string)` is missing one paren: balance what is left. */
function stripOuter(s: string): string {
  let depth = 0;
  for (const ch of s) {
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
  }
  return depth > 0 ? s + ")".repeat(depth) : s;
}

/** The type written the way river's messages show it. */
export function typeToString(t: AlloyType): string {
  switch (t.kind) {
    case "list":
      return `list(${typeToString(t.elem)})`;
    case "map":
      return t.elem.kind === "any" ? "object" : `map(${typeToString(t.elem)})`;
    case "object":
      return "object";
    case "target":
      return "map(string)";
    case "capsule":
      return t.name === "otelcol.Handler" ? "capsule(otelcol.Handler)" : t.name;
    case "optional_secret":
      return "string or secret";
    case "function":
      return "function";
    default:
      return t.kind;
  }
}

/** The Alloy value kind a type has at run time (what alloy's error messages print). */
export function valueKind(t: AlloyType): string {
  switch (t.kind) {
    case "duration":
      return "string";
    case "list":
      return "array";
    case "map":
    case "object":
    case "target":
      return "object";
    case "secret":
    case "optional_secret":
    case "capsule":
      return "capsule";
    default:
      return t.kind;
  }
}

function isObjectLike(t: AlloyType): boolean {
  return t.kind === "map" || t.kind === "object" || t.kind === "target";
}

/**
 * Whether a value of type `from` may be accepted where `to` is expected. False means Alloy rejects every value of
 * type `from`; when the answer depends on the value (a string where a number is expected), this says true.
 */
export function assignable(from: AlloyType, to: AlloyType): boolean {
  if (to.kind === "any" || from.kind === "any" || from.kind === "null") return true;
  switch (to.kind) {
    case "null":
      return false;
    case "string":
      return from.kind === "string" || from.kind === "number" || from.kind === "optional_secret" || from.kind === "duration";
    case "number":
      return from.kind === "number" || from.kind === "string" || from.kind === "optional_secret" || from.kind === "duration";
    case "bool":
      return from.kind === "bool";
    case "duration":
      return from.kind === "string" || from.kind === "number" || from.kind === "optional_secret" || from.kind === "duration";
    case "secret":
    case "optional_secret":
      return from.kind === "string" || from.kind === "secret" || from.kind === "optional_secret" || from.kind === "duration";
    case "list":
      return from.kind === "list" && assignable(from.elem, to.elem);
    case "map":
      if (from.kind === "map") return assignable(from.elem, to.elem);
      if (from.kind === "object") return Object.values(from.fields).every((f) => assignable(f, to.elem));
      if (from.kind === "target") return assignable(STRING, to.elem);
      return false;
    case "object":
      if (!isObjectLike(from)) return false;
      if (from.kind === "object") {
        return Object.entries(to.fields).every(([k, ft]) => {
          const f = ownField(from, k);
          return f === undefined || assignable(f, ft);
        });
      }
      return true;
    case "target":
      if (from.kind === "map") return from.elem.kind !== "secret";
      if (from.kind === "object") return Object.values(from.fields).every((f) => f.kind !== "secret");
      return from.kind === "target";
    case "capsule":
      return from.kind === "capsule" && from.name === to.name;
    case "function":
      return from.kind === "function";
  }
}

/** Type of `value.name` for an object-like type; undefined when the type has no fields. */
export function fieldType(t: AlloyType, name: string): AlloyType | undefined {
  switch (t.kind) {
    case "any":
    case "null":
      return ANY;
    case "map":
      return t.elem;
    case "target":
      return STRING;
    case "object":
      return ownField(t, name) ?? ANY;
    default:
      return undefined;
  }
}

/**
 * The type of an object type's field. Field names come from configs, so only own keys count: `constructor` or
 * `__proto__` are not fields of every object.
 */
export function ownField(t: Extract<AlloyType, { kind: "object" }>, name: string): AlloyType | undefined {
  return Object.hasOwn(t.fields, name) ? t.fields[name] : undefined;
}
