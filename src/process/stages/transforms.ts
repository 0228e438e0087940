/**
 * Stages that rewrite values: replace, template, timestamp, decolorize, truncate, luhn.
 */
import { compileGoRegexp } from "../../relabel/go-regexp.ts";
import type { StageArgs } from "../config.ts";
import { byteLength, byteSlice, extractedString, labelsKey, type WorkEntry } from "../entry.ts";
import { parseGoTemplate, TemplateExecError, TemplateParseError, type GoTemplate } from "../go-template.ts";
import { addYears, GoTimeError, layoutHasYear, loadLocation, NAMED_LAYOUTS, NS_PER_SECOND, parseGoTime, UTC, wallOf, yearOf, type GoLocation } from "../go-time.ts";
import type { Stage } from "../pipeline.ts";
import { stageRegexp } from "./parsers.ts";

function template(args: StageArgs, name: string, text: string, prefix = ""): GoTemplate {
  try {
    return parseGoTemplate(text);
  } catch (err) {
    if (err instanceof TemplateParseError) args.fail(`${prefix}template: pipeline_template:1: ${err.message}`, name);
    throw err;
  }
}

/** The extracted map as template data: every value that converts to a string. */
function templateData(e: WorkEntry): Record<string, string> {
  const td: Record<string, string> = {};
  for (const [k, v] of e.extracted) {
    const s = extractedString(v);
    if (s !== undefined) Object.defineProperty(td, k, { value: s, enumerable: true, writable: true, configurable: true });
  }
  return td;
}

export function replaceStage(args: StageArgs): Stage {
  const expression = args.string("expression", "");
  if (expression === "") args.fail("expression is required", "expression");
  const re = stageRegexp(args, "expression", expression, "could not compile regular expression: ");
  const source = args.string("source", "");
  const tmpl = template(args, "replace", args.string("replace", ""), "failed to compile template: ");
  return {
    name: "stage.replace",
    process(e, emit, ctx) {
      let input = e.line;
      if (source !== "") {
        const v = e.extracted.has(source) ? extractedString(e.extracted.get(source)) : undefined;
        if (v === undefined) {
          ctx.skip(`no string value extracted[${JSON.stringify(source)}]`);
          return emit(e);
        }
        input = v;
      }
      const all = re.findAll(input);
      if (all.length === 0) {
        ctx.skip("the expression did not match");
        return emit(e);
      }
      const td = templateData(e);
      let result = "";
      let prevEnd = 0;
      const captured = new Map<string, string>();
      try {
        for (const m of all) {
          for (let i = 2; i < m.indices.length; i += 2) {
            const s = m.indices[i] as number;
            const t = m.indices[i + 1] as number;
            if (s < 0) continue;
            const text = input.slice(s, t);
            const out = tmpl.execute({ ...td, Value: text });
            if (prevEnd === 0 || prevEnd <= s) {
              result += input.slice(prevEnd, s) + out;
              prevEnd = t;
            }
            captured.set(text, out);
          }
        }
      } catch (err) {
        if (!(err instanceof TemplateExecError)) throw err;
        ctx.skip(`template error: ${err.message}`);
        return emit(e);
      }
      result += input.slice(prevEnd);
      if (source !== "") e.extracted.set(source, result);
      else e.line = result;
      const first = all[0] as { indices: readonly number[] };
      re.subexpNames.forEach((name, i) => {
        if (i === 0 || name === "") return;
        const s = first.indices[2 * i] as number;
        const text = s < 0 ? "" : input.slice(s, first.indices[2 * i + 1]);
        const out = captured.get(text);
        if (out !== undefined) e.extracted.set(name, out);
      });
      emit(e);
    },
  };
}

export function templateStage(args: StageArgs): Stage {
  const source = args.string("source", "");
  if (source === "") args.fail("template source value is required", "source");
  const tmpl = template(args, "template", args.string("template", ""));
  return {
    name: "stage.template",
    process(e, emit, ctx) {
      const td: Record<string, string> = templateData(e);
      if (Object.hasOwn(td, source)) td.Value = td[source] as string;
      td.Entry = e.line;
      let out: string;
      try {
        out = tmpl.execute(td);
      } catch (err) {
        if (!(err instanceof TemplateExecError)) throw err;
        ctx.skip(`template error: ${err.message}`);
        return emit(e);
      }
      if (out === "") e.extracted.delete(source);
      else e.extracted.set(source, out);
      emit(e);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------

type TimeParser = (text: string, now: bigint) => bigint;

/** Alloy's convertDateLayout: the named formats, the Unix ones, and Go layouts (year-less ones take now's year). */
function dateParser(format: string, loc: GoLocation | undefined): TimeParser {
  const named = NAMED_LAYOUTS[format];
  if (named !== undefined) return (t) => parseGoTime(named, t);
  const integer = (t: string): bigint => {
    if (!/^[+-]?[0-9]+$/.test(t)) throw new GoTimeError(`strconv.ParseInt: parsing ${JSON.stringify(t)}: invalid syntax`);
    const n = BigInt(t);
    if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new GoTimeError(`strconv.ParseInt: parsing ${JSON.stringify(t)}: value out of range`);
    return n;
  };
  switch (format) {
    case "Unix":
      return (t) => {
        const parts = t.split(".");
        if (parts.length === 2) {
          const sec = integer(parts[0] as string);
          const frac = integer(parts[1] as string);
          const digits = (parts[1] as string).length;
          const nsec = BigInt(Math.trunc(Number(frac) * 10 ** (9 - digits)));
          return sec * NS_PER_SECOND + nsec;
        }
        return integer(t) * NS_PER_SECOND;
      };
    case "UnixMs":
      return (t) => BigInt.asIntN(64, integer(t) * 1_000_000n);
    case "UnixUs":
      return (t) => BigInt.asIntN(64, integer(t) * 1_000n);
    case "UnixNs":
      return (t) => integer(t);
  }
  const where = loc ?? UTC;
  if (!layoutHasYear(format)) {
    return (t, now) => {
      const parsed = parseGoTime(format, t, where);
      if (yearOf(parsed, where) !== 0) throw new GoTimeError(`timestamp '${t}' is expected to not contain the year date component`);
      const month = wallOf(parsed, where).month;
      const nowWall = wallOf(now, UTC);
      let years = nowWall.year;
      if (month === 12 && nowWall.month === 1) years = nowWall.year - 1;
      else if (month === 1 && nowWall.month === 12) years = nowWall.year + 1;
      return addYears(parsed, years, where);
    };
  }
  return (t) => parseGoTime(format, t, where);
}

export function timestampStage(args: StageArgs): Stage {
  const source = args.string("source", "");
  if (source === "") args.fail("timestamp source value is required if timestamp is specified", "source");
  const format = args.string("format", "");
  if (format === "") args.fail("timestamp format is required", "format");
  let loc: GoLocation | undefined;
  const location = args.string("location");
  if (location !== undefined) {
    try {
      loc = loadLocation(location);
    } catch (err) {
      args.fail(`invalid location specified: ${(err as Error).message}`, "location");
    }
  }
  const onFailure = args.string("action_on_failure", "") || "fudge";
  if (onFailure !== "skip" && onFailure !== "fudge") args.fail("invalid action on failure (supported values are [skip fudge])", "action_on_failure");
  const onDuplicate = args.string("action_on_duplicate_timestamp", "") || "fudge";
  if (onDuplicate !== "keep" && onDuplicate !== "fudge") args.fail("invalid action on duplicate timestamp (supported values are [keep fudge])", "action_on_duplicate_timestamp");
  const parsers = [format, ...(args.stringList("fallback_formats") ?? [])].map((f) => dateParser(f, loc));
  const useCache = onFailure === "fudge" || onDuplicate === "fudge";
  const last = new Map<string, { parsed: bigint; adjusted: bigint }>();
  return {
    name: "stage.timestamp",
    process(e, emit, ctx) {
      let parsed: bigint | undefined;
      let failure: string | undefined;
      if (!e.extracted.has(source)) failure = `no extracted value ${JSON.stringify(source)}`;
      else {
        const text = extractedString(e.extracted.get(source));
        if (text === undefined) failure = `extracted[${JSON.stringify(source)}] cannot be converted to a string`;
        else {
          for (const p of parsers) {
            try {
              parsed = p(text, ctx.now);
              break;
            } catch (err) {
              if (!(err instanceof GoTimeError)) throw err;
              failure ??= err.message;
            }
          }
        }
      }
      const key = labelsKey(e.labels);
      if (parsed === undefined) {
        const previous = onFailure === "fudge" ? last.get(key) : undefined;
        if (previous !== undefined) {
          e.timestamp = previous.adjusted + 1n;
          last.set(key, { parsed: previous.parsed, adjusted: e.timestamp });
          ctx.skip(`failed to parse time (${failure}); fudged to the last timestamp + 1ns`);
        } else ctx.skip(`failed to parse time (${failure}); timestamp kept`);
        return emit(e);
      }
      e.timestamp = parsed;
      if (onDuplicate === "fudge") {
        const previous = last.get(key);
        if (previous !== undefined && previous.parsed === parsed) e.timestamp = previous.adjusted + 1n;
      }
      if (useCache) last.set(key, { parsed, adjusted: e.timestamp });
      emit(e);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------

const ANSI = compileGoRegexp("[\u001B\u009B][[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\u0007)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))");

export function decolorizeStage(): Stage {
  return {
    name: "stage.decolorize",
    process(e, emit) {
      e.line = ANSI.replaceAll(e.line, "");
      emit(e);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------

interface TruncateRule {
  readonly limit: number;
  readonly suffix: string;
  readonly sources: readonly string[];
  readonly sourceType: "line" | "label" | "structured_metadata" | "extracted";
}

export function truncateStage(args: StageArgs, readRule: (block: import("../../ast/ast.ts").BlockStmt) => StageArgs): Stage {
  const rules: TruncateRule[] = args.blocks().filter((b) => b.name.join(".") === "rule").map((b) => {
    const r = readRule(b);
    const limit = r.bytes("limit");
    const suffix = r.string("suffix", "");
    const sources = r.stringList("sources") ?? [];
    const sourceType = r.string("source_type", "line");
    if (!["line", "label", "structured_metadata", "extracted"].includes(sourceType)) r.fail(`unknown source_type: ${sourceType}`, "source_type");
    if (limit <= 0) r.fail("limit must be greater than zero", "limit");
    if (sourceType === "line" && sources.length > 0) r.fail("sources cannot be set when source_type is 'line'", "sources");
    if (suffix.length > 0 && limit <= byteLength(suffix)) r.fail("suffix length cannot be greater than or equal to limit", "suffix");
    return { limit, suffix, sources, sourceType: sourceType as TruncateRule["sourceType"] };
  });
  if (rules.length === 0) args.fail('missing required block "rule"');
  return {
    name: "stage.truncate",
    process(e, emit) {
      const kinds = new Set<string>();
      const cut = (rule: TruncateRule, value: string): string | undefined => {
        const keep = rule.limit - byteLength(rule.suffix);
        return byteLength(value) > keep ? byteSlice(value, keep) + rule.suffix : undefined;
      };
      for (const rule of rules) {
        switch (rule.sourceType) {
          case "line": {
            const v = cut(rule, e.line);
            if (v !== undefined) {
              e.line = v;
              kinds.add("line");
            }
            break;
          }
          case "label":
            for (const name of rule.sources.length > 0 ? rule.sources : [...e.labels.keys()]) {
              const old = e.labels.get(name);
              const v = old === undefined ? undefined : cut(rule, old);
              if (v !== undefined) {
                e.labels.set(name, v);
                kinds.add("label");
              }
            }
            break;
          case "structured_metadata":
            for (const pair of e.structuredMetadata) {
              if (rule.sources.length > 0 && !rule.sources.includes(pair[0])) continue;
              const v = cut(rule, pair[1]);
              if (v !== undefined) {
                pair[1] = v;
                kinds.add("structured_metadata");
              }
            }
            break;
          case "extracted":
            for (const name of rule.sources.length > 0 ? rule.sources : [...e.extracted.keys()]) {
              const old = e.extracted.get(name);
              const v = typeof old === "string" ? cut(rule, old) : undefined;
              if (v !== undefined) {
                e.extracted.set(name, v);
                kinds.add("extracted");
              }
            }
            break;
        }
        if (kinds.size > 0) {
          const existing = e.extracted.get("truncated");
          if (typeof existing === "string") for (const k of existing.split(",")) kinds.add(k);
          e.extracted.set("truncated", [...kinds].sort().join(","));
        }
      }
      emit(e);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------

const UNICODE_DIGIT = /\p{Nd}/u;

/** Luhn's checksum on the number Go's strconv.Atoi reads from the digits (undefined beyond int64). */
function luhnValid(digits: string): boolean | undefined {
  if (!/^[0-9]+$/.test(digits)) return undefined; // Atoi only reads ASCII digits
  const n = BigInt(digits);
  if (n > 2n ** 63n - 1n) return undefined;
  let number = n;
  const last = number % 10n;
  number /= 10n;
  let sum = 0n;
  for (let i = 0; number > 0n; i++) {
    let cur = number % 10n;
    if (i % 2 === 0) {
      cur *= 2n;
      if (cur > 9n) cur = (cur % 10n) + cur / 10n;
    }
    sum += cur;
    number /= 10n;
  }
  return (last + (sum % 10n)) % 10n === 0n;
}

/** Replaces runs of digits (with optional delimiters inside) that pass the Luhn check. */
export function redactLuhn(input: string, replacement: string, minLength: number, delimiters: string): string {
  let out = "";
  let digits = "";
  let text = "";
  let trailing = "";
  const flush = () => {
    if (Buffer.byteLength(digits) >= minLength) {
      out += luhnValid(digits) === true ? replacement + trailing : text;
    } else if (digits.length > 0) out += text;
    digits = "";
    text = "";
    trailing = "";
  };
  for (const ch of input) {
    if (UNICODE_DIGIT.test(ch)) {
      digits += ch;
      text += ch;
      trailing = "";
    } else if (delimiters !== "" && delimiters.includes(ch) && digits.length > 0) {
      text += ch;
      trailing = ch;
    } else {
      flush();
      out += ch;
    }
  }
  flush();
  return out;
}

export function luhnStage(args: StageArgs): Stage {
  const replacement = args.string("replacement", "") || "**REDACTED**";
  let minLength = args.number("min_length", 13);
  if (minLength < 1) minLength = 13;
  const source = args.string("source");
  if (source === "") args.fail("empty source", "source");
  const delimiters = args.string("delimiters", "");
  return {
    name: "stage.luhn",
    process(e, emit) {
      let input = e.line;
      if (source !== undefined) {
        const v = e.extracted.get(source);
        if (typeof v !== "string") return emit(e);
        input = v;
      }
      e.line = redactLuhn(input, replacement, minLength, delimiters);
      emit(e);
    },
  };
}
