/**
 * Stages that merge or split entries: multiline and split_json.
 */
import type { StageArgs } from "../config.ts";
import { cloneEntry, extractedString, labelsKey, type WorkEntry } from "../entry.ts";
import type { Emit, Stage } from "../pipeline.ts";
import { stageRegexp } from "./parsers.ts";

interface Block {
  start: WorkEntry;
  lines: string[];
}

/**
 * stage.multiline, one block per label set. Alloy also flushes a block after `max_wait_time` of wall clock without
 * a new line; the simulator has no wall clock and flushes open blocks at the end of the input instead.
 */
export function multilineStage(args: StageArgs): Stage {
  const firstline = args.string("firstline", "");
  if (firstline === "") args.fail("multiline stage config must define `firstline` regular expression", "firstline");
  const re = stageRegexp(args, "firstline", firstline, "multiline stage first line regex compilation error: ");
  const maxLines = args.number("max_lines", 128);
  const maxWait = args.has("max_wait_time") ? args.duration("max_wait_time") : 3_000_000_000n;
  if (maxWait <= 0n) args.fail("max_wait_time must be greater than 0", "max_wait_time");
  const trim = args.bool("trim_newlines", true);
  const streams = new Map<string, Block>();
  const collapse = (b: Block): WorkEntry => {
    const out = cloneEntry(b.start);
    out.line = b.lines.join("\n");
    b.lines = [];
    return out;
  };
  return {
    name: "stage.multiline",
    process(e, emit, ctx) {
      const key = labelsKey(e.labels);
      let block = streams.get(key);
      const first = re.test(e.line);
      if (block === undefined) {
        if (!first) {
          ctx.skip("not a first line, and no block is open for these labels");
          return emit(e);
        }
        block = { start: e, lines: [] };
        streams.set(key, block);
      }
      if (first && block.lines.length > 0) emit(collapse(block));
      if (first) block.start = e;
      block.lines.push(trim ? e.line.replace(/[\r\n]+$/, "") : e.line);
      ctx.hold(first ? "first line of a block" : "continuation line, joined to the open block");
      if (block.lines.length === maxLines) emit(collapse(block));
    },
    flush(emit: Emit) {
      for (const block of streams.values()) if (block.lines.length > 0) emit(collapse(block));
      streams.clear();
    },
  };
}

/** stage.split_json: a JSON array line becomes one entry per element (the raw JSON text of each). */
export function splitJsonStage(args: StageArgs): Stage {
  const source = args.string("source");
  if (source === "") args.fail("source cannot be empty", "source");
  return {
    name: "stage.split_json",
    process(e, emit, ctx) {
      let input: string | undefined = e.line;
      if (source !== undefined) input = e.extracted.has(source) ? extractedString(e.extracted.get(source)) : undefined;
      const elements = input === undefined ? undefined : rawArrayElements(input);
      if (elements === undefined) {
        ctx.skip("not a JSON array");
        return emit(e);
      }
      ctx.hold("split into its elements");
      elements.forEach((raw) => {
        const child = cloneEntry(e);
        child.line = raw;
        emit(child);
      });
    },
  };
}

/** The elements of a JSON array as they are written (Go's []json.RawMessage), or undefined if it is not one. */
export function rawArrayElements(input: string): string[] | undefined {
  if (!input.replace(/^[ \t\r\n]+/, "").startsWith("[")) return undefined;
  try {
    JSON.parse(input);
  } catch {
    return undefined;
  }
  const out: string[] = [];
  let i = input.indexOf("[") + 1;
  const skipWs = () => {
    while (i < input.length && " \t\r\n".includes(input[i] as string)) i++;
  };
  skipWs();
  if (input[i] === "]") return out;
  for (;;) {
    skipWs();
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < input.length; i++) {
      const c = input[i];
      if (inString) {
        if (c === "\\") i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') inString = true;
      else if (c === "[" || c === "{") depth++;
      else if (c === "]" || c === "}") {
        if (depth === 0) break;
        depth--;
      } else if (c === "," && depth === 0) break;
    }
    out.push(input.slice(start, i).replace(/[ \t\r\n]+$/, ""));
    if (input[i] === "]") return out;
    i++;
  }
}
