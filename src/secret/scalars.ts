/**
 * What sops hashes for a plaintext YAML scalar. sops reads YAML with Go's yaml.v3 into `interface{}` values and feeds
 * `sops.ToBytes(value)` to the MAC: strings as they are, ints in decimal, floats with `strconv.FormatFloat(f, 'f', -1,
 * 64)`, booleans as `True`/`False`; nulls are skipped. So `port: 0x1F` is hashed as `31` and `immutable: true` as
 * `True`. Only plain (unquoted, untagged) scalars are resolved; quoted and block scalars are strings. Timestamps stay
 * strings, as yaml.v3 keeps them when decoding into `interface{}`.
 */

/** A plaintext scalar as sops sees it: `undefined` for null (not hashed), else the bytes it hashes, as text. */
export function sopsScalarText(value: string, plain: boolean, tag: string | undefined): string | undefined {
  if (tag === "tag:yaml.org,2002:str" || !plain) return value;
  const special = SPECIAL.get(value);
  if (special !== undefined) return special === NULL ? undefined : special;
  if (!/^[-+.0-9]/.test(value)) return value;
  const number = resolveNumber(value.replaceAll("_", ""));
  return number ?? value;
}

const NULL = Symbol("null");
const SPECIAL = new Map<string, string | typeof NULL>([
  ...["", "~", "null", "Null", "NULL"].map((s) => [s, NULL] as const),
  ...["true", "True", "TRUE"].map((s) => [s, "True"] as const),
  ...["false", "False", "FALSE"].map((s) => [s, "False"] as const),
  ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((s) => [s, "+Inf"] as const),
  ...["-.inf", "-.Inf", "-.INF"].map((s) => [s, "-Inf"] as const),
  ...[".nan", ".NaN", ".NAN"].map((s) => [s, "NaN"] as const),
]);

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * yaml.v3's number resolution: Go's `strconv.ParseInt(s, 0, 64)` (sign, `0x`, `0o`, `0b`, a leading `0` for octal),
 * then a YAML-style float, then `0b`/`0o` forms with a sign. Returns the decimal text sops hashes, or undefined when
 * the scalar stays a string.
 */
function resolveNumber(s: string): string | undefined {
  const int = parseGoInt(s);
  if (int !== undefined && int >= INT64_MIN && int <= INT64_MAX) return int.toString();
  if (YAML_FLOAT.test(s)) return formatGoFloat(Number(s));
  return undefined;
}

function parseGoInt(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign = "", digits = ""] = m;
  let prefixed = digits;
  if (/^0[xXoObB]/.test(digits)) prefixed = `0${digits[1]?.toLowerCase()}${digits.slice(2)}`;
  else if (/^0./.test(digits)) prefixed = `0o${digits.slice(1)}`; // Go reads a leading 0 as octal
  const magnitude = BigInt(prefixed);
  return sign === "-" ? -magnitude : magnitude;
}

/** Go's `strconv.FormatFloat(x, 'f', -1, 64)`: the shortest round-tripping digits, never an exponent. */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  if (Object.is(x, -0)) return "-0";
  const [mantissa = "", exp = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const point = Number(exp) + 1; // digits before the decimal point
  let out: string;
  if (point <= 0) out = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + "0".repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return x < 0 ? `-${out}` : out;
}
