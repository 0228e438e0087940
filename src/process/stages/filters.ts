/**
 * Stages that decide whether an entry goes on: match (with its nested pipeline), drop, limit, sampling.
 */
import type { BlockStmt } from "../../ast/ast.ts";
import type { StageArgs } from "../config.ts";
import { byteLength, extractedString } from "../entry.ts";
import { Pipeline, type Stage } from "../pipeline.ts";
import { compileSelector, type Selector } from "../selector.ts";
import { stageRegexp } from "./parsers.ts";
import type { GoRegexp } from "../../relabel/go-regexp.ts";

/** Builds the stages of nested `stage.*` blocks (match's sub-pipeline). */
export type BuildStages = (blocks: readonly BlockStmt[]) => Stage[];

export function matchStage(args: StageArgs, build: BuildStages): Stage {
  const selectorText = args.string("selector", "");
  if (selectorText === "") args.fail("selector statement required for match stage", "selector");
  const action = args.string("action", "keep") || "keep";
  if (action !== "keep" && action !== "drop") args.fail("match stage action should be 'keep' or 'drop'", "action");
  const nested = args.blocks().filter((b) => b.name[0] === "stage");
  if (action === "keep" && nested.length === 0) args.fail("match stage requires at least one additional stage to be defined in '- stages'");
  if (action === "drop" && nested.length !== 0) args.fail("match stage configured to drop entries cannot contains stages");
  let selector: Selector;
  try {
    selector = compileSelector(selectorText);
  } catch (err) {
    args.fail(`invalid selector syntax for match stage: ${(err as Error).message}`, "selector");
  }
  const reason = args.string("drop_counter_reason", "") || "match_stage";
  const pipelineName = args.string("pipeline_name", "");
  const pipeline = action === "keep" ? new Pipeline(build(nested)) : undefined;
  return {
    name: "stage.match",
    ...(pipelineName === "" ? {} : { label: pipelineName }),
    process(e, emit, ctx) {
      if (!selector.matches(e.labels, e.line)) {
        ctx.skip("the selector did not match");
        emit(e);
        return;
      }
      if (pipeline === undefined) {
        ctx.drop(reason);
        return;
      }
      ctx.hold("matched: handed to the nested stages");
      pipeline.push(e, emit, ctx);
    },
    flush(emit, ctx) {
      pipeline?.flush(emit, ctx);
    },
  };
}

export function dropStage(args: StageArgs): Stage {
  const source = args.string("source", "");
  const value = args.string("value", "");
  const expression = args.string("expression", "");
  const olderThan = args.duration("older_than");
  const longerThan = args.bytes("longer_than");
  if (source === "" && expression === "" && olderThan === 0n && longerThan === 0) {
    args.fail("drop stage config must contain at least one of `source`, `expression`, `older_than` or `longer_than`");
  }
  const reason = args.string("drop_counter_reason", "") || "drop_stage";
  if (value !== "" && expression !== "") args.fail("drop stage config error, `value` and `expression` cannot both be defined at the same time", "value");
  const separator = args.string("separator", "") || ";";
  if (value !== "" && source === "") args.fail("drop stage config must contain `source` if `value` is specified", "value");
  let re: GoRegexp | undefined;
  if (expression !== "") re = stageRegexp(args, "expression", expression, "drop stage regex compilation error: ");
  if (value !== "") re = stageRegexp(args, "value", `^${quoteMeta(value)}$`, "drop stage regex compilation error: ");
  const sources = source === "" ? [] : source.split(",");
  return {
    name: "stage.drop",
    process(e, emit, ctx) {
      const why: string[] = [];
      const keep = () => emit(e);
      if (longerThan !== 0) {
        if (byteLength(e.line) <= longerThan) return keep();
        why.push(`line longer than ${longerThan} bytes`);
      }
      if (olderThan !== 0n) {
        if (!(e.timestamp < ctx.now - olderThan)) return keep();
        why.push("older than older_than");
      }
      if (source !== "" && re === undefined) {
        if (!sources.every((s) => e.extracted.has(s))) return keep();
        why.push(`source ${sources.join(",")} present`);
      }
      if (source === "" && re !== undefined) {
        if (!re.test(e.line)) return keep();
        why.push("line matches expression");
      }
      if (source !== "" && re !== undefined) {
        const parts: string[] = [];
        for (const s of sources) {
          if (!e.extracted.has(s)) continue;
          const v = extractedString(e.extracted.get(s));
          if (v === undefined) return keep();
          parts.push(v);
        }
        if (!re.test(parts.join(separator))) return keep();
        why.push(value !== "" ? `source equals ${JSON.stringify(value)}` : "source matches expression");
      }
      ctx.drop(`${reason} (${why.join(", ")})`);
    },
  };
}

/** Go's regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, "\\$&");
}

/**
 * stage.limit with a simulated clock: every entry arrives at the same instant, so a bucket lets `burst` entries
 * through and then refills at `rate` per second of simulated time, which does not pass. With `drop = false` Alloy
 * delays entries instead of dropping them, and they all come out.
 */
export function limitStage(args: StageArgs): Stage {
  const rate = args.number("rate", 0);
  const burst = args.number("burst", 0);
  if (rate <= 0 || burst <= 0) args.fail("limit stage failed to parse rate or burst");
  const drop = args.bool("drop", false);
  const byLabel = args.string("by_label_name", "");
  if (byLabel !== "" && !drop) args.fail("when ratelimiting by label, drop must be true", "by_label_name");
  const buckets = new Map<string, number>();
  return {
    name: "stage.limit",
    process(e, emit, ctx) {
      if (!drop) return emit(e);
      let key = "";
      if (byLabel !== "") {
        const v = e.labels.get(byLabel);
        if (v === undefined) return emit(e);
        key = v;
      }
      const left = buckets.get(key) ?? Math.trunc(burst);
      if (left >= 1) {
        buckets.set(key, left - 1);
        return emit(e);
      }
      ctx.drop(`ratelimit_drop_stage (burst of ${burst} used up${byLabel === "" ? "" : ` for ${byLabel}=${JSON.stringify(key)}`})`);
    },
  };
}

/** stage.sampling with seeded random numbers: an entry is kept with probability `rate`. */
export function samplingStage(args: StageArgs): Stage {
  const rate = args.number("rate", 0);
  if (!(rate >= 0 && rate <= 1)) args.fail(`sampling stage failed to parse rate,Sampling Rate must be between 0.0 and 1.0, received ${rate.toFixed(6)}`, "rate");
  const reason = args.string("drop_counter_reason", "") || "sampling_stage";
  return {
    name: "stage.sampling",
    process(e, emit, ctx) {
      if (rate >= 1 || (rate > 0 && ctx.random() < rate)) return emit(e);
      ctx.drop(reason);
    },
  };
}
