import { fileURLToPath } from "node:url";
import type { CallSite } from "./draft.ts";

/** This directory: frames inside the builder are skipped, the first frame outside it is the user's call. */
const BUILDER_DIR = fileURLToPath(new URL(".", import.meta.url));

const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/**
 * Where the builder was called from: the first stack frame outside src/builder (or dist/builder). Undefined when the
 * stack says nothing usable (stack traces switched off, native frames only).
 */
export function callSite(): CallSite | undefined {
  const stack = new Error().stack ?? "";
  for (const line of stack.split("\n").slice(1)) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    let file = m[1] as string;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (file.startsWith(BUILDER_DIR) || file.startsWith("node:")) continue;
    return { filename: file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}
