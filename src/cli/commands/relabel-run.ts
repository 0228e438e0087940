/**
 * `river relabel FILE --component discovery.relabel.NAME --target '{"a":"b"}'`: runs targets through the rules of a
 * relabel component (following a chain of discovery.relabel components upstream) and prints the resulting labels, or
 * which rule dropped the target; `--trace` shows every rule's effect.
 */
import { diagnosticAt, formatDiagnosticLine } from "../../diag/diagnostic.ts";
import {
  diffLabels,
  rulesFromConfig,
  simulateComponent,
  RelabelConfigError,
  RelabelRuleError,
  type Labels,
  type RelabelComponent,
  type RelabelResult,
  type TargetSimulation,
  type TraceStep,
} from "../../relabel/index.ts";
import { decodeSource } from "../../source/decode.ts";
import { SourceFile } from "../../source/source-file.ts";
import { parse } from "../../syntax/parse.ts";
import { readInput } from "../files.ts";
import { CliExit, type CliIO } from "../io.ts";
import { renderDiagnosticLines } from "../render.ts";

import type { RelabelCommandOptions } from "./relabel.ts";

/** A user-facing failure: printed as is, exit code 1. */
export class InputError extends Error {}

/**
 * A file's text; a config is decoded like `river fmt` does, so that invalid UTF-8 is a positioned syntax error. A file
 * that cannot be read throws UnreadableInput (exit 2, as in every command).
 */
function readText(io: CliIO, path: string): string {
  return decodeSource(readInput(path, io.cwd));
}

export async function runRelabel(path: string, options: RelabelCommandOptions, io: CliIO): Promise<void> {
  const text = readText(io, path);
  const { file, diagnostics, source } = parse(text, { filename: path });
  const errors = diagnostics.filter((d) => d.severity === "error");
  // Capped as in every command: a file of random bytes has 100,000s of syntax errors.
  if (errors.length > 0) throw new InputError(renderDiagnosticLines(errors, options.maxDiagnostics).trimEnd());

  const components = rulesFromConfig(file);
  const id = options.component ?? pickComponent(components, path);
  const targets = await readTargets(options, io);

  let simulations: TargetSimulation[];
  try {
    simulations = simulateComponent(file, id, targets, { trace: options.trace === true });
  } catch (err) {
    if (err instanceof RelabelConfigError) {
      const positioned = err.problems.filter((p) => p.message !== "");
      if (positioned.length > 0) {
        throw new InputError(
          positioned
            .map((p) => {
              const where = p.ruleIndex === undefined ? "" : `rule[${p.ruleIndex}]: `;
              return formatDiagnosticLine(diagnosticAt(source, "error", "RELABEL", `${componentOf(err.message)}${where}${p.message}`, p.start, p.end));
            })
            .join("\n"),
        );
      }
      const at = err.problems[0];
      throw new InputError(at ? formatDiagnosticLine(diagnosticAt(source, "error", "RELABEL", err.message, at.start, at.end)) : `${path}: ${err.message}`);
    }
    if (err instanceof RelabelRuleError) throw new InputError(`${path}: ${id}: ${err.message}`);
    throw err;
  }

  const byId = new Map(components.map((c) => [c.id, c]));
  const out: string[] = [];
  simulations.forEach((sim, i) => {
    if (options.json) {
      out.push(JSON.stringify(jsonResult(sim)));
    } else if (options.trace) {
      out.push(...traceLines(sim, i, byId, source));
    } else {
      out.push(resultLine(sim, byId, source, simulations.length > 1 ? `target ${i + 1}: ` : ""));
    }
  });
  io.stdout(out.length > 0 ? `${out.join("\n")}\n` : "");
  const warnings = simulations.flatMap((sim, i) =>
    sim.steps.flatMap((step) => (step.result.warnings ?? []).map((w) => `warning: target ${i + 1}: ${step.component}: ${w}\n`)),
  );
  if (warnings.length > 0) io.stderr(warnings.join(""));
}

function componentOf(message: string): string {
  const m = /^((?:discovery|loki)\.relabel\.[^:]+): /.exec(message);
  return m ? `${m[1]}: ` : "";
}

function pickComponent(components: readonly RelabelComponent[], path: string): string {
  const only = components[0];
  if (components.length === 1 && only) return only.id;
  if (components.length === 0) throw new InputError(`${path}: no discovery.relabel or loki.relabel component in this file`);
  throw new InputError(`${path}: several relabel components; choose one with --component (${components.map((c) => c.id).join(", ")})`);
}

async function readTargets(options: RelabelCommandOptions, io: CliIO): Promise<Labels[] | undefined> {
  const targets: Labels[] = [];
  options.target.forEach((json, i) => {
    const where = options.target.length > 1 ? `--target #${i + 1}` : "--target";
    // The argument is the "file": errors point into it as `--target:line:col`.
    targets.push(toTarget(parseJson(json, where, new SourceFile(where, json)), where));
  });
  if (options.targets !== undefined) {
    const path = options.targets;
    const text = readText(io, path);
    for (const t of parseTargetsFile(text, path)) targets.push(t); // not push(...): a file may hold millions
  }
  return options.target.length === 0 && options.targets === undefined ? undefined : targets;
}

/**
 * A JSON array of objects, or JSON Lines; errors as `file:line:col: message`. A leading byte order mark (Windows
 * editors write one) is dropped: JSON.parse refuses it, and columns are counted from the text after it, as editors do.
 */
function parseTargetsFile(file: string, path: string): Labels[] {
  const text = file.startsWith("\uFEFF") ? file.slice(1) : file;
  const trimmed = text.trimStart();
  const source = new SourceFile(path, text);
  if (trimmed.startsWith("[")) {
    const value = parseJson(text, path, source);
    if (!Array.isArray(value)) throw new InputError(`${path}: expected a JSON array of objects`);
    return value.map((t, i) => toTarget(t, `${path}: element ${i + 1}`));
  }
  const out: Labels[] = [];
  const lines = text.split("\n");
  let offset = 0;
  lines.forEach((line, i) => {
    if (line.trim() !== "") {
      const value = parseJson(line, `${path}:${i + 1}`, undefined, (pos) => {
        const p = source.position(offset + pos);
        return `${path}:${p.line}:${p.column}`;
      });
      out.push(toTarget(value, `${path}:${i + 1}`));
    }
    offset += line.length + 1;
  });
  return out;
}

function parseJson(text: string, where: string, source?: SourceFile, locate?: (pos: number) => string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // Node's messages do not always carry a position; find the offending offset ourselves.
    const pos = jsonErrorOffset(text);
    let prefix = where;
    if (locate) prefix = locate(pos);
    else if (source) {
      const p = source.position(pos);
      prefix = `${source.name}:${p.line}:${p.column}`;
    }
    throw new InputError(`${prefix}: invalid JSON: ${message.replace(/\s*in JSON at position \d+.*$/, "")}`);
  }
}

/**
 * The UTF-16 offset of the first syntax error in `text` (a minimal JSON scanner; only called when JSON.parse fails).
 * Iterative, with an explicit stack of open brackets: malformed input can nest as deep as its length.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        const e = text[i];
        if (e === "u") {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text[i + k] ?? "")) { i += k; fail(); }
          i += 5;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = (): void => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === "") fail();
    i += (m as RegExpExecArray)[0].length;
  };
  /** The brackets still open, innermost last: "{" or "[". */
  const open: string[] = [];
  /** What comes next: a value, an object key (with its colon), or what may follow a complete value. */
  let next: "value" | "key" | "after" = "value";
  try {
    for (;;) {
      ws();
      if (next === "key") {
        string();
        ws();
        if (text[i] !== ":") fail();
        i++;
        next = "value";
        continue;
      }
      if (next === "value") {
        const c = text[i];
        next = "after";
        if (c === "{" || c === "[") {
          i++;
          ws();
          if (text[i] === (c === "{" ? "}" : "]")) i++;
          else {
            open.push(c);
            next = c === "{" ? "key" : "value";
          }
        } else if (c === '"') string();
        else if (c === "t") literal("true");
        else if (c === "f") literal("false");
        else if (c === "n") literal("null");
        else number();
        continue;
      }
      const top = open[open.length - 1];
      if (top === undefined) break;
      if (text[i] === ",") {
        i++;
        next = top === "{" ? "key" : "value";
      } else if (text[i] === (top === "{" ? "}" : "]")) {
        i++;
        open.pop();
      } else fail();
    }
    if (i < text.length) fail();
  } catch (pos) {
    if (typeof pos === "number") return Math.min(pos, text.length);
    throw pos;
  }
  return 0;
}

function toTarget(value: unknown, where: string): Labels {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new InputError(`${where}: a target must be a JSON object of label names to string values`);
  }
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw new InputError(`${where}: label ${JSON.stringify(k)} must have a string value, got ${JSON.stringify(v)}`);
  }
  return value as Labels;
}

// ---------------------------------------------------------------------------------------------------------------------
// Output

/** `{a="1", b="2"}` with names in code-point order (the labels already are). */
export function formatLabels(labels: Labels): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) ? k : JSON.stringify(k)}=${JSON.stringify(v)}`)
    .join(", ")}}`;
}

function ruleDescription(component: RelabelComponent | undefined, rule: number, source: SourceFile): string {
  const input = component?.rules[rule];
  const block = component?.ruleBlocks[rule];
  const action = input?.action ?? "replace";
  const parts = [`action=${action}`];
  if (input?.source_labels !== undefined) parts.push(`source_labels=[${input.source_labels.map((s) => JSON.stringify(s)).join(", ")}]`);
  if (input?.regex !== undefined && action !== "replace") parts.push(`regex=${JSON.stringify(input.regex)}`);
  if (input?.target_label !== undefined && (action === "keepequal" || action === "dropequal")) parts.push(`target_label=${JSON.stringify(input.target_label)}`);
  const at = block ? ` at ${source.name}:${source.position(block.start).line}:${source.position(block.start).column}` : "";
  return `rule ${rule} (${parts.join(", ")})${at}`;
}

function droppedText(result: RelabelResult & { dropped: true }, componentId: string, byId: ReadonlyMap<string, RelabelComponent>, source: SourceFile, chained: boolean): string {
  const component = byId.get(componentId);
  const inComponent = chained ? ` in ${componentId}` : "";
  if (result.reason === "empty") {
    return `dropped: no labels left${result.rule >= 0 ? ` after rule ${result.rule}` : ""}${inComponent} (loki.relabel drops entries without labels)`;
  }
  return `dropped by ${ruleDescription(component, result.rule, source)}${inComponent}`;
}

function resultLine(sim: TargetSimulation, byId: ReadonlyMap<string, RelabelComponent>, source: SourceFile, prefix: string): string {
  const last = sim.steps.at(-1);
  if (sim.result.dropped && last) return prefix + droppedText(sim.result, last.component, byId, source, sim.steps.length > 1);
  return prefix + (sim.result.dropped ? "dropped" : formatLabels(sim.result.labels));
}

function traceLines(sim: TargetSimulation, index: number, byId: ReadonlyMap<string, RelabelComponent>, source: SourceFile): string[] {
  const lines = [`target ${index + 1}: ${formatLabels(sim.input)}`];
  for (const step of sim.steps) {
    lines.push(`  ${step.component}`);
    const component = byId.get(step.component);
    for (const t of step.result.trace ?? []) lines.push(...traceStepLines(t, component, source));
  }
  const last = sim.steps.at(-1);
  if (sim.result.dropped) lines.push(`  => ${last ? droppedText(sim.result, last.component, byId, source, sim.steps.length > 1) : "dropped"}`);
  else lines.push(`  => ${formatLabels(sim.result.labels)}`);
  return lines;
}

function traceStepLines(step: TraceStep, component: RelabelComponent | undefined, source: SourceFile): string[] {
  const head = `    ${ruleDescription(component, step.rule, source)}`;
  if (step.after === undefined) return [`${head}: dropped`];
  const changes = diffLabels(step.before, step.after);
  if (changes.length === 0) return [`${head}: no change`];
  return [
    `${head}:`,
    ...changes.map((c) =>
      c.kind === "added"
        ? `      + ${formatLabels({ [c.name]: c.value }).slice(1, -1)}`
        : c.kind === "removed"
          ? `      - ${formatLabels({ [c.name]: c.value }).slice(1, -1)}`
          : `      ~ ${formatLabels({ [c.name]: c.to }).slice(1, -1)} (was ${JSON.stringify(c.from)})`,
    ),
  ];
}

function jsonResult(sim: TargetSimulation): unknown {
  const last = sim.steps.at(-1);
  if (sim.result.dropped) {
    return { input: sim.input, dropped: true, component: last?.component, rule: sim.result.rule, reason: sim.result.reason };
  }
  return { input: sim.input, labels: sim.result.labels };
}
