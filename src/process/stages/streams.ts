/**
 * stage.multiline: merges lines into blocks.
 */
import type { StageArgs } from "../config.ts";
import { cloneEntry, labelsKey, type WorkEntry } from "../entry.ts";
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
