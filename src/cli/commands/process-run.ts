/**
 * `river process FILE -c loki.process.NAME --line '...' --trace`: runs log entries through a loki.process component
 * and whatever it forwards to (loki.relabel, more loki.process), or through a file of bare stage blocks, and prints
 * what comes out, what was dropped where, and with `--trace` what every stage did.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { blockName, type BlockStmt } from "../../ast/ast.ts";
import { formatDiagnosticLine } from "../../diag/diagnostic.ts";
import { simulateChain } from "../../process/components.ts";
import { entryLine, renderTrace } from "../../process/render.ts";
import { compileStages, ProcessConfigError, runProcess, SimulationInputError } from "../../process/simulate.ts";
import type { EntryInput, SimulateResult } from "../../process/types.ts";
import { decodeSource } from "../../source/decode.ts";
import { parse } from "../../syntax/parse.ts";
import type { CliIO } from "../io.ts";
import type { ProcessCommandOptions } from "./process.ts";

/** A user-facing failure: printed as is, exit code 1. */
export class ProcessInputError extends Error {}

async function readText(io: CliIO, path: string): Promise<string> {
  try {
    return decodeSource(await readFile(resolve(io.cwd, path)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProcessInputError(`${path}: ${code === "ENOENT" ? "no such file" : err instanceof Error ? err.message : String(err)}`);
  }
}

function json(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ProcessInputError(`${where}: invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function stringRecord(value: unknown, where: string): Record<string, string> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ProcessInputError(`${where}: expected an object of strings`);
  for (const [k, v] of Object.entries(value)) if (typeof v !== "string") throw new ProcessInputError(`${where}: ${JSON.stringify(k)} must be a string`);
  return value as Record<string, string>;
}

function toEntry(value: unknown, where: string): EntryInput {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ProcessInputError(`${where}: an entry is an object with "line" (and optional labels, timestamp, structured_metadata)`);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    if (!["line", "labels", "timestamp", "structured_metadata"].includes(k)) throw new ProcessInputError(`${where}: unknown field ${JSON.stringify(k)} (expected line, labels, timestamp, structured_metadata)`);
  }
  if (typeof v.line !== "string") throw new ProcessInputError(`${where}: "line" must be a string`);
  if (v.timestamp !== undefined && typeof v.timestamp !== "string") throw new ProcessInputError(`${where}: "timestamp" must be an RFC 3339 string`);
  return {
    line: v.line,
    ...(v.labels !== undefined ? { labels: stringRecord(v.labels, `${where}: labels`) } : {}),
    ...(typeof v.timestamp === "string" ? { timestamp: v.timestamp } : {}),
    ...(v.structured_metadata !== undefined ? { structured_metadata: stringRecord(v.structured_metadata, `${where}: structured_metadata`) } : {}),
  };
}

async function readEntries(options: ProcessCommandOptions, io: CliIO): Promise<EntryInput[]> {
  const entries = options.entry.map((e, i) => toEntry(json(e, `--entry #${i + 1}`), `--entry #${i + 1}`));
  if (options.entries !== undefined) {
    const text = await readText(io, options.entries);
    if (text.trimStart().startsWith("[")) {
      const list = json(text, options.entries);
      if (!Array.isArray(list)) throw new ProcessInputError(`${options.entries}: expected a JSON array of entries`);
      list.forEach((e, i) => entries.push(toEntry(e, `${options.entries}: entry ${i + 1}`)));
    } else {
      text.split("\n").forEach((line, i) => {
        if (line.trim() !== "") entries.push(toEntry(json(line, `${options.entries}:${i + 1}`), `${options.entries}:${i + 1}`));
      });
    }
  }
  const labels = options.labels === undefined ? undefined : stringRecord(json(options.labels, "--labels"), "--labels");
  for (const line of options.line) entries.push(labels ? { line, labels } : { line });
  if (entries.length === 0) throw new ProcessInputError("no entries: give some with --line, --entry or --entries");
  return entries;
}

export async function runProcessCommand(path: string, options: ProcessCommandOptions, io: CliIO): Promise<void> {
  const text = await readText(io, path);
  const { file, diagnostics, source } = parse(text, { filename: path });
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new ProcessInputError(errors.map(formatDiagnosticLine).join("\n"));
  const entries = await readEntries(options, io);
  const targets = options.target.map((t, i) => stringRecord(json(t, `--target #${i + 1}`), `--target #${i + 1}`));
  const simulation = { now: options.now, trace: options.trace === true, extracted: options.extracted === true };
  const bareStages = file.body.length > 0 && file.body.every((s) => s.kind === "BlockStmt" && s.name[0] === "stage");
  let result: SimulateResult;
  // With targets, entries enter once per target: the trace and the drops refer to those.
  let entered: readonly EntryInput[] = entries;
  try {
    if (bareStages) {
      if (options.component !== undefined || targets.length > 0) throw new ProcessInputError(`${path}: holds bare stage blocks; --component and --target need a config with components`);
      result = runProcess(compileStages(text, path), entries, simulation);
    } else {
      const start = options.component ?? onlyProcess(file.body.filter((s): s is BlockStmt => s.kind === "BlockStmt"), path);
      const chain = simulateChain(file, source, start, { entries, ...(targets.length > 0 ? { targets } : {}) }, simulation);
      entered = chain.inputs;
      result = chain;
    }
  } catch (err) {
    if (err instanceof ProcessConfigError || err instanceof SimulationInputError) throw new ProcessInputError(err.message);
    throw err;
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({ entries: result.entries, dropped: result.dropped, drops: result.drops, ...(result.held ? { held: result.held } : {}), ...(result.trace ? { trace: result.trace } : {}) })}\n`);
    return;
  }
  const out: string[] = [];
  if (result.trace) out.push(...renderTrace(entered, result.trace), "");
  for (const e of result.entries) {
    out.push(entryLine(e));
    if (options.extracted && e.extracted) out.push(`  extracted: ${JSON.stringify(e.extracted)}`);
  }
  for (const d of result.drops) out.push(`entry ${d.input + 1} dropped by ${d.stage}: ${d.reason}`);
  const held = result.held ?? [];
  for (const h of held) out.push(`entry ${h.input + 1} held by ${h.stage}: ${h.reason}`);
  out.push(`${result.entries.length} ${result.entries.length === 1 ? "entry" : "entries"} out, ${result.dropped} dropped${held.length > 0 ? `, ${held.length} held` : ""}`);
  io.stdout(`${out.join("\n")}\n`);
}

function onlyProcess(blocks: readonly BlockStmt[], path: string): string {
  const ids = blocks.filter((b) => blockName(b) === "loki.process" && b.label !== undefined).map((b) => `loki.process.${b.label}`);
  if (ids.length === 1) return ids[0] as string;
  if (ids.length === 0) throw new ProcessInputError(`${path}: no loki.process component in this file (name the start with --component)`);
  throw new ProcessInputError(`${path}: several loki.process components; choose one with --component (${ids.join(", ")})`);
}
