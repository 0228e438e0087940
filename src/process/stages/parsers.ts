/**
 * Stages that parse the line (or an extracted value) into the extracted map: cri, docker, json, logfmt, regex,
 * pattern. Semantics of Alloy 1.18's internal/component/loki/process/stages.
 */
import jmespath from "jmespath";
import { isValidLegacyLabelName, isValidUtf8LabelName } from "../../relabel/label-names.ts";
import { compileGoRegexp, GoRegexpSyntaxError, type GoRegexp } from "../../relabel/go-regexp.ts";
import type { StageArgs } from "../config.ts";
import { byteLength, byteSlice, extractedString, labelsKey, type WorkEntry } from "../entry.ts";
import { NAMED_LAYOUTS, parseGoTime } from "../go-time.ts";
import type { Emit, RunContext, Stage } from "../pipeline.ts";
import type { ExtractedValue } from "../types.ts";

/** jmespath's parser (exported by the package, missing from its type definitions): throws on a bad expression. */
const compileJmespath = (jmespath as unknown as { compile(expression: string): unknown }).compile;

/** The functions of the JMESPath specification, which the jmespath package implements. */
const JMESPATH_FUNCTIONS = new Set([
  "abs", "avg", "ceil", "contains", "ends_with", "floor", "join", "keys", "length", "map", "max", "max_by", "merge", "min",
  "min_by", "not_null", "reverse", "sort", "sort_by", "starts_with", "sum", "to_array", "to_number", "to_string", "type",
  "values",
]);

/**
 * The first function an expression calls that the jmespath package lacks. Alloy uses jmespath-community, which adds
 * functions (lower, upper, split, items, group_by, ...); calling one here would fail at run time and silently extract
 * nothing, so the expression is refused up front instead.
 */
function unsupportedJmespathFunction(node: unknown): string | undefined {
  if (node === null || typeof node !== "object") return undefined;
  const n = node as { type?: unknown; name?: unknown; children?: unknown };
  if (n.type === "Function" && typeof n.name === "string" && !JMESPATH_FUNCTIONS.has(n.name)) return n.name;
  if (!Array.isArray(n.children)) return undefined;
  for (const child of n.children) {
    const found = unsupportedJmespathFunction(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Compiles a Go regexp for a stage argument, reporting a bad one at the attribute. */
export function stageRegexp(args: StageArgs, name: string, pattern: string, prefix = ""): GoRegexp {
  try {
    return compileGoRegexp(pattern);
  } catch (err) {
    if (err instanceof GoRegexpSyntaxError) args.fail(`${prefix}${err.message}`, name);
    throw err;
  }
}

/**
 * The input of a parsing stage: the line, or the string form of extracted[source]. Undefined when the source key
 * is missing or its value cannot be converted (the stage then does nothing).
 */
function sourceInput(e: WorkEntry, source: string | undefined): string | undefined {
  if (source === undefined) return e.line;
  if (!e.extracted.has(source)) return undefined;
  return extractedString(e.extracted.get(source));
}

/** An optional `source` that Alloy decodes into a *string: present but empty is an error. */
function optionalSource(args: StageArgs): string | undefined {
  const source = args.string("source");
  if (source === "") args.fail("empty source", "source");
  return source;
}

function parseRFC3339NanoOrUndefined(text: string): bigint | undefined {
  try {
    return parseGoTime(NAMED_LAYOUTS.RFC3339Nano as string, text);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------------

interface CriLine {
  time: string;
  stream: "stdout" | "stderr";
  partial: boolean;
  content: string;
}

/** Alloy's lenient CRI parser: time (up to the first whitespace), one space, stream, one space, optional flag. */
export function parseCri(line: string): CriLine | undefined {
  const ws = line.search(/[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u);
  const time = ws < 0 ? "" : line.slice(0, ws);
  let rest = ws < 0 ? line : line.slice(ws);
  if (!rest.startsWith(" ")) return undefined;
  rest = rest.slice(1);
  let stream: CriLine["stream"];
  if (rest.startsWith("stdout")) stream = "stdout";
  else if (rest.startsWith("stderr")) stream = "stderr";
  else return undefined;
  rest = rest.slice(6);
  if (!rest.startsWith(" ")) return undefined;
  rest = rest.slice(1);
  let partial = false;
  if (rest.startsWith("P")) {
    partial = true;
    rest = rest.slice(1);
  } else if (rest.startsWith("F")) rest = rest.slice(1);
  if (rest.startsWith(" ")) rest = rest.slice(1);
  return { time, stream, partial, content: rest };
}

export function criStage(args: StageArgs): Stage {
  const maxLines = args.number("max_partial_lines", 100);
  if (maxLines <= 0) args.fail("max_partial_lines must be greater than 0", "max_partial_lines");
  const maxSize = args.number("max_partial_line_size", 0);
  const truncate = args.bool("max_partial_line_size_truncate", false);
  const partials = new Map<string, WorkEntry>();
  const cut = (e: WorkEntry) => {
    if (truncate && byteLength(e.line) > maxSize) e.line = byteSlice(e.line, maxSize);
  };
  return {
    name: "stage.cri",
    process(e, emit, ctx) {
      const parsed = parseCri(e.line);
      if (parsed === undefined) {
        emit(e);
        return;
      }
      e.extracted.set("flags", parsed.partial ? "P" : "F");
      e.extracted.set("stream", parsed.stream);
      e.extracted.set("content", parsed.content);
      e.extracted.set("time", parsed.time);
      e.line = parsed.content;
      const ts = parseRFC3339NanoOrUndefined(parsed.time);
      if (ts !== undefined) e.timestamp = ts;
      e.labels.set("stream", parsed.stream);
      const key = labelsKey(e.labels);
      if (parsed.partial) {
        if (partials.size >= maxLines) {
          // Too many streams with partial lines: everything buffered goes out as it is.
          const flushed = [...partials.values()];
          partials.clear();
          cut(e);
          partials.set(key, e);
          ctx.hold(`partial line (max_partial_lines = ${maxLines} reached: ${flushed.length} buffered lines released)`);
          for (const f of flushed) emit(f);
          return;
        }
        const prev = partials.get(key);
        if (prev) e.line = prev.line + e.line;
        cut(e);
        partials.set(key, e);
        ctx.hold("partial line (flag P), waiting for the rest");
        return;
      }
      const prev = partials.get(key);
      if (prev) {
        e.line = prev.line + e.line;
        cut(e);
        partials.delete(key);
      }
      emit(e);
    },
    flush(_emit, ctx) {
      // Alloy keeps a partial line until its stream's next full line, whatever the time: it is not released here.
      for (const e of partials.values()) ctx.unreleased("still held at the end of the input: Alloy keeps a partial line until its stream's next full line", undefined, e.input);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------

export function dockerStage(): Stage {
  return {
    name: "stage.docker",
    process(e, emit) {
      const fields = dockerFields(e.line);
      if (fields !== undefined && fields.log !== "") {
        e.extracted.set("output", fields.log);
        e.extracted.set("stream", fields.stream);
        e.extracted.set("timestamp", fields.time);
        e.line = fields.log;
        e.labels.set("stream", fields.stream);
        const ts = parseRFC3339NanoOrUndefined(fields.time);
        if (ts !== undefined) e.timestamp = ts;
      }
      emit(e);
    },
  };
}

/** Go's json.Unmarshal into `{Log, Time, Stream string}`: keys match case-insensitively; a non-string value fails. */
function dockerFields(line: string): { log: string; time: string; stream: string } | undefined {
  let data: unknown;
  try {
    data = parseGoJson(line);
  } catch {
    return undefined;
  }
  if (data === null) return { log: "", time: "", stream: "" };
  if (typeof data !== "object" || Array.isArray(data)) return undefined;
  const out = { log: "", time: "", stream: "" };
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    const field = k.toLowerCase();
    if (field !== "log" && field !== "time" && field !== "stream") continue;
    if (v === null) continue;
    if (typeof v !== "string") return undefined;
    out[field] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------

export function jsonStage(args: StageArgs): Stage {
  const expressions = args.stringMap("expressions") ?? new Map<string, string>();
  const regexText = args.string("regex", "");
  if (expressions.size === 0 && regexText === "") args.fail("JMES expressions or regex is required");
  const source = optionalSource(args);
  const compiled: [string, string][] = [];
  for (const [name, expr] of expressions) {
    const jmes = expr === "" ? name : expr;
    let ast: unknown;
    try {
      ast = compileJmespath(jmes);
    } catch (err) {
      args.fail(`could not compile JMES expression: ${JSON.stringify(jmes)}: ${err instanceof Error ? err.message : String(err)}`, "expressions");
    }
    const fn = unsupportedJmespathFunction(ast);
    if (fn !== undefined) args.fail(`JMES expression ${JSON.stringify(jmes)}: function ${fn}() is not supported by river's simulator (only the JMESPath specification's functions are)`, "expressions");
    compiled.push([name, jmes]);
  }
  compiled.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const keyRegexp = regexText === "" ? undefined : stageRegexp(args, "regex", regexText);
  const dropMalformed = args.bool("drop_malformed", false);
  return {
    name: "stage.json",
    process(e, emit, ctx) {
      const input = sourceInput(e, source);
      if (input === undefined) {
        emit(e);
        return;
      }
      let data: unknown;
      try {
        data = parseGoJson(input);
        if (data !== null && (typeof data !== "object" || Array.isArray(data))) throw new Error("not an object");
      } catch {
        if (dropMalformed) {
          ctx.drop("malformed JSON (drop_malformed = true)");
          return;
        }
        ctx.skip("not a JSON object");
        emit(e);
        return;
      }
      for (const [name, jmes] of compiled) {
        let result: unknown;
        try {
          result = jmespath.search(data as never, jmes);
        } catch {
          continue;
        }
        e.extracted.set(name, simplifyJson(result));
      }
      if (keyRegexp !== undefined && data !== null) {
        for (const [k, v] of Object.entries(data as Record<string, unknown>)) if (keyRegexp.test(k)) e.extracted.set(k, simplifyJson(v));
      }
      emit(e);
    },
  };
}

/** Strings, numbers, bools and null are kept; objects and arrays become compact JSON (HTML characters escaped). */
export function simplifyJson(v: unknown): ExtractedValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return goJson(v);
}

/** Go's decoders refuse JSON nested deeper than this ("exceeded max depth"). */
const GO_JSON_MAX_DEPTH = 10_000;

/** JSON.parse, refusing what Go's decoders refuse beyond it: nesting deeper than GO_JSON_MAX_DEPTH. */
export function parseGoJson(text: string): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > GO_JSON_MAX_DEPTH) throw new SyntaxError("exceeded max depth");
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return JSON.parse(text);
}

/** A piece of JSON text already written, on the stack of goJson. */
class JsonText {
  constructor(readonly text: string) {}
}
const COMMA = new JsonText(",");
const CLOSE_ARRAY = new JsonText("]");
const CLOSE_OBJECT = new JsonText("}");

/**
 * JSON as Go's encoders print it: compact, with <, > and & escaped. Written with an explicit stack, since values as
 * deep as Go decodes (GO_JSON_MAX_DEPTH) overflow JSON.stringify's recursion.
 */
export function goJson(v: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x instanceof JsonText) out.push(x.text);
    else if (Array.isArray(x)) {
      out.push("[");
      stack.push(CLOSE_ARRAY);
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i], ...(i > 0 ? [COMMA] : []));
    } else if (x !== null && typeof x === "object") {
      out.push("{");
      stack.push(CLOSE_OBJECT);
      const fields = Object.entries(x).filter(([, value]) => value !== undefined);
      for (let i = fields.length - 1; i >= 0; i--) {
        const [key, value] = fields[i] as [string, unknown];
        stack.push(value, new JsonText(`${JSON.stringify(key)}:`), ...(i > 0 ? [COMMA] : []));
      }
    } else out.push(JSON.stringify(x) ?? "null");
  }
  return out.join("").replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// ---------------------------------------------------------------------------------------------------------------------

/** One key/value of go-logfmt's decoder; `error` ends the scan (pairs before it are kept). */
type LogfmtItem = { key: string; value: string } | { error: string };

/** go-logfmt's Decoder over every line of `input`. */
export function* logfmtPairs(input: string): Generator<LogfmtItem> {
  for (const rawLine of input.split("\n")) {
    const line = rawLine.endsWith("\r") ? rawLine.slice(0, -1) : rawLine;
    let pos = 0;
    const n = line.length;
    for (;;) {
      while (pos < n && line.charCodeAt(pos) <= 32) pos++;
      if (pos >= n) break;
      const start = pos;
      let key: string | undefined;
      while (pos < n) {
        const c = line[pos] as string;
        if (c === "=" || c === '"' || line.charCodeAt(pos) <= 32) break;
        pos++;
      }
      if (pos > start) key = line.slice(start, pos);
      if (pos >= n || line.charCodeAt(pos) <= 32) {
        yield { key: key as string, value: "" };
        continue;
      }
      if (line[pos] === '"' || key === undefined) {
        yield { error: `unexpected ${JSON.stringify(line[pos])}` };
        return;
      }
      pos++; // '='
      if (pos >= n || line.charCodeAt(pos) <= 32) {
        yield { key, value: "" };
        continue;
      }
      if (line[pos] === '"') {
        const q = pos;
        let esc = false;
        let hasEsc = false;
        let end = -1;
        for (let p = q + 1; p < n; p++) {
          const c = line[p];
          if (esc) esc = false;
          else if (c === "\\") hasEsc = esc = true;
          else if (c === '"') {
            end = p;
            break;
          }
        }
        if (end < 0) {
          yield { error: "unterminated quoted value" };
          return;
        }
        const raw = line.slice(q, end + 1);
        let value: string;
        if (hasEsc) {
          try {
            value = JSON.parse(raw.replace(/[\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)) as string;
          } catch {
            yield { error: "invalid quoted value" };
            return;
          }
        } else value = raw.slice(1, -1);
        pos = end + 1;
        yield { key, value };
        continue;
      }
      const vstart = pos;
      while (pos < n && line.charCodeAt(pos) > 32) {
        const c = line[pos];
        if (c === "=" || c === '"') {
          yield { error: `unexpected ${JSON.stringify(c)}` };
          return;
        }
        pos++;
      }
      yield { key, value: line.slice(vstart, pos) };
    }
  }
}

export function logfmtStage(args: StageArgs): Stage {
  const mapping = args.stringMap("mapping") ?? new Map<string, string>();
  const regexText = args.string("regex", "");
  if (mapping.size === 0 && regexText === "") args.fail("logfmt mapping or regex is required");
  const inverse = new Map<string, string>();
  for (const [k, v] of mapping) inverse.set(v === "" ? k : v, k);
  const keyRegexp = regexText === "" ? undefined : stageRegexp(args, "regex", regexText);
  const source = args.string("source", "");
  return {
    name: "stage.logfmt",
    process(e, emit, ctx) {
      const input = sourceInput(e, source === "" ? undefined : source);
      if (input !== undefined) {
        for (const item of logfmtPairs(input)) {
          if ("error" in item) {
            ctx.skip(`logfmt syntax error: ${item.error} (pairs before it were extracted)`);
            break;
          }
          const target = inverse.get(item.key);
          if (target !== undefined) e.extracted.set(target, item.value);
          if (keyRegexp?.test(item.key)) e.extracted.set(item.key, item.value);
        }
      }
      emit(e);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------

export function regexStage(args: StageArgs): Stage {
  const expression = args.string("expression", "");
  if (expression === "") args.fail("expression is required", "expression");
  const source = optionalSource(args);
  const re = stageRegexp(args, "expression", expression, "could not compile regular expression: ");
  const labelsFromGroups = args.bool("labels_from_groups", false);
  return {
    name: "stage.regex",
    process(e, emit, ctx) {
      const input = sourceInput(e, source);
      const m = input === undefined ? undefined : re.find(input);
      if (input === undefined || m === undefined) {
        if (input !== undefined) ctx.skip("the expression did not match");
        emit(e);
        return;
      }
      re.subexpNames.forEach((name, i) => {
        if (i === 0 || name === "") return;
        const start = m.indices[2 * i] as number;
        const value = start < 0 ? "" : input.slice(start, m.indices[2 * i + 1]);
        e.extracted.set(name, value);
        if (labelsFromGroups && isValidUtf8LabelName(name)) e.labels.set(name, value);
      });
      emit(e);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------

type PatternPart = { capture: string } | { literal: string };

/** Loki's pattern syntax: `<name>` captures (`<_>` unnamed) between literals. Throws an Error as Loki's parser does. */
export function parsePattern(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  const re = /<([A-Za-z_][A-Za-z0-9_]*)>/g;
  let last = 0;
  for (const m of pattern.matchAll(re)) {
    if (m.index > last) parts.push({ literal: pattern.slice(last, m.index) });
    parts.push({ capture: m[1] as string });
    last = m.index + m[0].length;
  }
  if (last < pattern.length) parts.push({ literal: pattern.slice(last) });
  const names = parts.flatMap((p) => ("capture" in p && p.capture !== "_" ? [p.capture] : []));
  if (names.length === 0) throw new Error("at least one capture is required");
  for (let i = 0; i + 1 < parts.length; i++) {
    if ("capture" in (parts[i] as PatternPart) && "capture" in (parts[i + 1] as PatternPart)) throw new Error("found consecutive capture: invalid expression");
  }
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw new Error(`duplicate capture name (${n}): invalid expression`);
    seen.add(n);
  }
  return parts;
}

/** Loki's pattern matcher: the captured values in order (a partial match leaves the later captures out). */
export function matchPattern(parts: readonly PatternPart[], input: string): [string, string][] | undefined {
  if (input.length === 0 || parts.length === 0) return undefined;
  let rest = input;
  let i = 0;
  const first = parts[0] as PatternPart;
  if ("literal" in first) {
    if (!rest.startsWith(first.literal)) return undefined;
    rest = rest.slice(first.literal.length);
    i = 1;
  }
  if (i >= parts.length) return undefined;
  const out: [string, string][] = [];
  while (i < parts.length) {
    const capture = (parts[i] as { capture: string }).capture;
    if (i + 1 >= parts.length) {
      if (capture !== "_") out.push([capture, rest]);
      return out;
    }
    const literal = (parts[i + 1] as { literal: string }).literal;
    i += 2;
    const at = rest.indexOf(literal);
    if (at < 0) {
      if (capture !== "_") out.push([capture, rest]);
      return out;
    }
    if (capture !== "_") out.push([capture, rest.slice(0, at)]);
    rest = rest.slice(at + literal.length);
  }
  return out;
}

export function patternStage(args: StageArgs): Stage {
  const pattern = args.string("pattern", "");
  if (pattern === "") args.fail("pattern is required", "pattern");
  const source = optionalSource(args);
  let parts: PatternPart[];
  try {
    parts = parsePattern(pattern);
  } catch (err) {
    args.fail(`failed to parse pattern: ${(err as Error).message}`, "pattern");
  }
  for (const p of parts) {
    if ("capture" in p && p.capture !== "_" && !isValidLegacyLabelName(p.capture)) args.fail(`invalid capture label name '${p.capture}'`, "pattern");
  }
  const labelsFromGroups = args.bool("labels_from_groups", false);
  return {
    name: "stage.pattern",
    process(e: WorkEntry, emit: Emit, ctx: RunContext) {
      const input = sourceInput(e, source);
      const matches = input === undefined ? undefined : matchPattern(parts, input);
      if (matches === undefined) {
        if (input !== undefined) ctx.skip("the pattern did not match");
      } else {
        for (const [name, value] of matches) {
          e.extracted.set(name, value);
          if (labelsFromGroups) e.labels.set(name, value);
        }
      }
      emit(e);
    },
  };
}
