import { readFileSync, statSync, type Stats } from "node:fs";
import { decodeSource } from "../source/decode.ts";
import type { ModuleRead } from "./model.ts";

/**
 * Reads the `import.file` module at absolute path `abs` (`path` is the filename as written, for messages): what every
 * front end (`river check`, `river graph`, the language server) gives the checker as `readModule`.
 *  - a regular file: its text (`read` may serve it from a cache; by default it is read and decoded as any source);
 *  - a device, a FIFO or a socket: an error, since reading it would hang (a FIFO waits for a writer) or never end
 *    (/dev/zero);
 *  - a directory (Alloy loads its `*.alloy` files, river does not yet), a missing or unreadable file: undefined, an
 *    opaque import (it may exist where Alloy runs).
 */
export function readModuleFile(abs: string, path: string, read: (abs: string) => string | undefined = readSource): ModuleRead {
  let stat: Stats;
  try {
    stat = statSync(abs);
  } catch {
    return undefined;
  }
  if (stat.isDirectory()) return undefined;
  if (!stat.isFile()) return { error: `${path} is ${specialFileKind(stat)}, not a regular file` };
  return read(abs);
}

function readSource(abs: string): string | undefined {
  try {
    return decodeSource(readFileSync(abs));
  } catch {
    return undefined;
  }
}

function specialFileKind(stat: Stats): string {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isCharacterDevice()) return "a character device";
  if (stat.isBlockDevice()) return "a block device";
  if (stat.isSocket()) return "a socket";
  return "a special file";
}
