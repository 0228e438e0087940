/**
 * Reading a stage block's arguments from the AST: constant values folded with Alloy's semantics
 * (src/eval/fold.ts) and decoded into the Go types the stage configs use, with the source range of every attribute
 * so that a rejected value is reported where it is written.
 */
import type { AttributeStmt, BlockStmt, Span } from "../ast/ast.ts";
import { decodeString, firstUnknown, fold, toJs, type JsValue } from "../eval/fold.ts";
import { parseGoDuration } from "../check/rules/duration.ts";

/** A stage config Alloy would reject (or one river cannot simulate), at a range of the source. */
export class StageConfigError extends Error {
  readonly span: Span;
  constructor(message: string, span: Span) {
    super(message);
    this.name = "StageConfigError";
    this.span = span;
  }
}

export class StageArgs {
  readonly block: BlockStmt;
  readonly #attrs = new Map<string, AttributeStmt>();

  constructor(block: BlockStmt) {
    this.block = block;
    for (const stmt of block.body) if (stmt.kind === "AttributeStmt") this.#attrs.set(stmt.name.name, stmt);
  }

  /** Nested blocks (truncate's `rule`, match's `stage.*`). */
  blocks(): BlockStmt[] {
    return this.block.body.filter((s): s is BlockStmt => s.kind === "BlockStmt");
  }

  has(name: string): boolean {
    return this.#attrs.has(name);
  }

  /** Where to report a problem with `name` (the attribute, or the block when it is absent). */
  span(name?: string): Span {
    const attr = name === undefined ? undefined : this.#attrs.get(name);
    return attr ?? { start: this.block.start, end: this.block.lcurly + 1 };
  }

  fail(message: string, name?: string): never {
    throw new StageConfigError(message, this.span(name));
  }

  #value(name: string): JsValue | undefined {
    const attr = this.#attrs.get(name);
    if (attr === undefined) return undefined;
    const folded = fold(attr.value);
    const bad = firstUnknown(folded);
    if (bad !== undefined) {
      const why = bad.cause === "error" ? bad.message : `${bad.message}; river can only simulate stages whose arguments are constant expressions`;
      throw new StageConfigError(why, bad);
    }
    // Alloy decodes a number where a Go string is expected into its decimal text.
    if (folded.kind === "number") return decodeString(folded) as string;
    return toJs(folded) as JsValue;
  }

  /** A string argument (numbers are converted, as Alloy does), or `fallback` when absent. */
  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const v = this.#value(name);
    if (v === undefined) return fallback;
    if (typeof v !== "string") this.fail(`${name}: expected string, got ${kindOf(v)}`, name);
    return v;
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.#value(name);
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") this.fail(`${name}: expected bool, got ${kindOf(v)}`, name);
    return v;
  }

  number(name: string): number | undefined;
  number(name: string, fallback: number): number;
  number(name: string, fallback?: number): number | undefined {
    const attr = this.#attrs.get(name);
    if (attr === undefined) return fallback;
    const folded = fold(attr.value);
    if (folded.kind !== "number") this.fail(`${name}: expected number, got ${folded.kind === "unknown" ? "a value that is not constant" : folded.kind}`, name);
    return Number(folded.value);
  }

  stringList(name: string): string[] | undefined {
    const v = this.#value(name);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) this.fail(`${name}: expected list(string), got ${kindOf(v)}`, name);
    return v.map((x) => {
      if (typeof x === "number" || typeof x === "bigint") return String(x);
      if (typeof x !== "string") this.fail(`${name}: expected list(string), found an element of type ${kindOf(x)}`, name);
      return x;
    });
  }

  /** A `map(string)`; a null value stands for Go's nil `*string` (treated like ""). */
  stringMap(name: string): Map<string, string> | undefined {
    const v = this.#value(name);
    if (v === undefined) return undefined;
    if (v === null || typeof v !== "object" || Array.isArray(v)) this.fail(`${name}: expected map(string), got ${kindOf(v)}`, name);
    const out = new Map<string, string>();
    for (const [k, x] of Object.entries(v)) {
      if (x === null) out.set(k, "");
      else if (typeof x === "string") out.set(k, x);
      else if (typeof x === "number" || typeof x === "bigint") out.set(k, String(x));
      else this.fail(`${name}: the value of ${JSON.stringify(k)} must be a string, got ${kindOf(x)}`, name);
    }
    return out;
  }

  /** A Go duration in nanoseconds (0 when absent). */
  duration(name: string): bigint {
    const text = this.string(name);
    if (text === undefined) return 0n;
    const parsed = parseGoDuration(text);
    if (!parsed.ok) this.fail(`${name}: ${parsed.error}`, name);
    return BigInt(Math.round(parsed.nanos));
  }

  /** alecthomas/units Base2Bytes (`10B`, `4KB` = 4096, `1MiB`); 0 when absent. */
  bytes(name: string): number {
    const text = this.string(name);
    if (text === undefined) return 0;
    const n = parseBase2Bytes(text);
    if (n === undefined) this.fail(`${name}: invalid size ${JSON.stringify(text)} (expected a number with a unit such as 10B, 4KB, 1MiB)`, name);
    return n;
  }
}

const BASE2_UNITS: Readonly<Record<string, number>> = {
  B: 1, KB: 2 ** 10, KiB: 2 ** 10, MB: 2 ** 20, MiB: 2 ** 20, GB: 2 ** 30, GiB: 2 ** 30, TB: 2 ** 40, TiB: 2 ** 40,
  PB: 2 ** 50, PiB: 2 ** 50, EB: 2 ** 60, EiB: 2 ** 60,
};

/** units.ParseBase2Bytes: a sequence of `<number><unit>` (e.g. `1MB512KB`), or `0`. */
function parseBase2Bytes(text: string): number | undefined {
  if (text === "0") return 0;
  const re = /([0-9]+(?:\.[0-9]+)?)([A-Za-z]+)/y;
  let total = 0;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < text.length && (m = re.exec(text)) !== null) {
    const unit = BASE2_UNITS[m[2] as string];
    if (unit === undefined) return undefined;
    total += Number(m[1]) * unit;
    at = re.lastIndex;
  }
  return at === text.length && text.length > 0 ? Math.trunc(total) : undefined;
}

function kindOf(v: JsValue): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "bigint") return "number";
  return typeof v;
}
