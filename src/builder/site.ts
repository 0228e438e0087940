import { findSourceMap } from "node:module";
import { fileURLToPath } from "node:url";
import type { CallSite } from "./draft.ts";

/** This directory: frames inside the builder are skipped, the first frame outside it is the user's call. */
const BUILDER_DIR = fileURLToPath(new URL(".", import.meta.url));

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

interface Frame {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Where the builder was called from: the first stack frame outside src/builder (or dist/builder), in the TypeScript
 * source. Positions are mapped with the source map Node keeps for the module (tsx's, when the loader imported it);
 * without one, the formatted stack is used, which a test runner may have mapped itself. Undefined when the stack says
 * nothing usable.
 */
export function callSite(): CallSite | undefined {
  const raw = rawFrames();
  const printed = (new Error().stack ?? "").split("\n").slice(2);
  for (let i = 0; i < raw.length; i++) {
    const frame = raw[i] as Frame;
    const file = pathOf(frame.file);
    if (file.startsWith(BUILDER_DIR) || file.startsWith("node:") || file === "") continue;
    const entry = findSourceMap(frame.file)?.findEntry(frame.line - 1, frame.column - 1);
    if (entry !== undefined && "originalLine" in entry) {
      return { filename: pathOf(entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
    }
    const m = FRAME.exec(printed[i] ?? "");
    if (m !== null && pathOf(m[1] as string) === file) return { filename: file, line: Number(m[2]), column: Number(m[3]) };
    return { filename: file, line: frame.line, column: frame.column };
  }
  return undefined;
}

/** The stack as V8 has it (generated positions), frame by frame, without this function's own frame. */
function rawFrames(): Frame[] {
  const holder: { stack?: unknown } = {};
  return structured(() => Error.captureStackTrace(holder, rawFrames), holder).slice(1);
}

/**
 * Where an error was thrown from inside `file`, mapped to its source, if V8 has not formatted the error's stack yet
 * (it does so lazily, on first use) and a frame is in `file`.
 */
export function thrownAt(err: Error, file: string): CallSite | undefined {
  for (const frame of structured(() => {}, err)) {
    if (pathOf(frame.file) !== file) continue;
    const entry = findSourceMap(frame.file)?.findEntry(frame.line - 1, frame.column - 1);
    if (entry !== undefined && "originalLine" in entry) return { filename: file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
    return { filename: file, line: frame.line, column: frame.column };
  }
  return undefined;
}

/** Reads `holder.stack` (after `capture`) with V8's frames instead of text. */
function structured(capture: () => void, holder: { stack?: unknown }): Frame[] {
  const prepare = Error.prepareStackTrace;
  try {
    Error.prepareStackTrace = (_err, frames) => frames;
    capture();
    const frames = holder.stack;
    if (!Array.isArray(frames)) return [];
    return (frames as NodeJS.CallSite[]).map((f) => ({ file: f.getFileName() ?? "", line: f.getLineNumber() ?? 0, column: f.getColumnNumber() ?? 0 }));
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

/** A file path from a stack frame's file name (a path, or a file: URL with tsx's query). */
function pathOf(name: string): string {
  return name.startsWith("file://") ? fileURLToPath(name.replace(/\?.*$/, "")) : name;
}
