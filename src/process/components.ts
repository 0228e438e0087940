/**
 * Simulating a chain of log components of a config: entries enter at a component (a loki.process or loki.relabel,
 * or a loki.source.* fed with discovered targets) and follow `forward_to` through loki.process and loki.relabel
 * components until they reach a component river does not simulate (loki.write, loki.echo, ...), where they come
 * out (a component with an empty `forward_to` is an end too). A loki.source.* start relabels the given targets through the discovery.relabel chain that feeds it (directly
 * or through local.file_match), and attaches the resulting labels to the entries, as loki.source.* does.
 */
import { blockName, referencePath, type BlockStmt, type Expr, type File } from "../ast/ast.ts";
import { check } from "../check/index.ts";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { compileComponent, findRelabelComponent, relabel, RelabelConfigError, simulateComponent, type CompiledRule, type Labels } from "../relabel/index.ts";
import type { SourceFile } from "../source/source-file.ts";
import { cloneEntry, toOutput, type WorkEntry } from "./entry.ts";
import { record, type RunContext } from "./pipeline.ts";
import { compileStageBlocks, ProcessConfigError, seededRandom, simulationClock, workEntry, type CompiledProcess } from "./simulate.ts";
import type { DropRecord, EntryInput, EntryOutput, SimulateOptions, SimulateResult, TraceStep } from "./types.ts";

/** What enters the chain: entries, and for a loki.source.* start the discovered targets they are read from. */
export interface ChainInput {
  readonly entries: readonly EntryInput[];
  /** Discovery targets (`__meta_*` labels ...). Every entry is read once from every target that survives relabelling. */
  readonly targets?: readonly Readonly<Record<string, string>>[];
}

export interface ChainResult extends SimulateResult {
  /** For every output entry, the component it arrived at (loki.write.default, ...). */
  readonly sinks: string[];
  /** With targets: the labels each target was given (undefined for a target that relabelling dropped). */
  readonly targetLabels?: (Labels | undefined)[];
  /**
   * The entries as they entered the chain, indexed like `drops[].input` and the trace: with targets, every entry once
   * per kept target, with the target's labels attached.
   */
  readonly inputs: EntryInput[];
}

type Node =
  | { readonly kind: "process"; readonly id: string; readonly compiled: CompiledProcess; readonly next: readonly string[] }
  | { readonly kind: "relabel"; readonly id: string; readonly rules: readonly CompiledRule[]; readonly next: readonly string[] }
  | { readonly kind: "sink"; readonly id: string };

/** The top-level components of a file by id (`loki.process.NAME`). */
function componentBlocks(file: File): Map<string, BlockStmt> {
  const out = new Map<string, BlockStmt>();
  for (const stmt of file.body) {
    if (stmt.kind === "BlockStmt" && stmt.label !== undefined) out.set(`${blockName(stmt)}.${stmt.label}`, stmt);
  }
  return out;
}

function attribute(block: BlockStmt, name: string): Expr | undefined {
  for (const stmt of block.body) if (stmt.kind === "AttributeStmt" && stmt.name.name === name) return stmt.value;
  return undefined;
}

/** The checker's errors per parsed config, so that simulating the same config again does not check it again. */
const CHECKED = new WeakMap<SourceFile, Diagnostic[]>();

class ChainBuilder {
  readonly nodes = new Map<string, Node>();
  readonly #blocks: Map<string, BlockStmt>;

  constructor(
    readonly file: File,
    readonly source: SourceFile,
  ) {
    this.#blocks = componentBlocks(file);
  }

  /** The checker's errors inside a component (unknown attributes, wrong types, ...), which Alloy would refuse. */
  checkBlock(block: BlockStmt): void {
    let errors = CHECKED.get(this.source);
    if (errors === undefined) {
      errors = check(this.source.text, { fragment: true, filename: this.source.name }).diagnostics.filter((d) => d.severity === "error");
      CHECKED.set(this.source, errors);
    }
    const inside = errors.filter((d) => d.start !== undefined && d.start >= block.start && d.start < block.end);
    if (inside.length > 0) throw new ProcessConfigError(inside);
  }

  fail(message: string, at: { start: number; end: number }): never {
    throw new ProcessConfigError([diagnosticAt(this.source, "error", "PROCESS_CHAIN", message, at.start, at.end)]);
  }

  block(id: string): BlockStmt {
    const b = this.#blocks.get(id);
    if (b === undefined) {
      const known = [...this.#blocks.keys()].filter((k) => k.startsWith("loki."));
      throw new ProcessConfigError([
        { severity: "error", code: "PROCESS_CHAIN", message: `no component ${id} in the config${known.length > 0 ? ` (log components: ${known.join(", ")})` : ""}`, filename: this.source.name, line: 1, column: 1 },
      ]);
    }
    return b;
  }

  /** The components a block's `forward_to` names (`loki.process.x.receiver` → `loki.process.x`). */
  forwardTo(block: BlockStmt, id: string): string[] {
    const expr = attribute(block, "forward_to");
    if (expr === undefined) return [];
    if (expr.kind !== "ArrayExpr") this.fail(`${id}: forward_to must be a list of receivers such as [loki.write.default.receiver]`, expr);
    return expr.elements.map((el) => {
      const path = referencePath(el);
      if (path === undefined || path.length < 2 || path[path.length - 1] !== "receiver") this.fail(`${id}: forward_to: expected a component's receiver, e.g. loki.write.default.receiver`, el);
      return path.slice(0, -1).join(".");
    });
  }

  node(id: string): Node {
    const known = this.nodes.get(id);
    if (known) return known;
    const block = this.block(id);
    let node: Node;
    const kind = blockName(block);
    if (kind === "loki.process" || kind === "loki.relabel") this.checkBlock(block);
    if (kind === "loki.process") {
      const stages = block.body.filter((s): s is BlockStmt => s.kind === "BlockStmt");
      node = { kind: "process", id, compiled: compileStageBlocks(stages, this.source), next: this.forwardTo(block, id) };
    } else if (kind === "loki.relabel") {
      const component = findRelabelComponent(this.file, id);
      if (component === undefined) this.fail(`${id}: not a relabel component`, block);
      let rules: CompiledRule[];
      try {
        rules = compileComponent(component);
      } catch (err) {
        if (err instanceof RelabelConfigError) this.fail(err.message, err.problems[0] ?? block);
        throw err;
      }
      node = { kind: "relabel", id, rules, next: this.forwardTo(block, id) };
    } else {
      node = { kind: "sink", id };
    }
    this.nodes.set(id, node);
    if (node.kind !== "sink") for (const n of node.next) this.node(n);
    return node;
  }
}

/**
 * The discovery.relabel component whose output feeds a loki.source.* (directly, or through local.file_match's
 * path_targets), or undefined when its targets come from elsewhere (then targets are used as given).
 */
function targetRelabeler(builder: ChainBuilder, source: BlockStmt): string | undefined {
  let expr = attribute(source, "targets");
  for (let hops = 0; expr !== undefined && hops < 8; hops++) {
    const path = referencePath(expr);
    if (path === undefined || path.length !== 4) return undefined;
    const id = path.slice(0, 3).join(".");
    if (path[0] === "discovery" && path[1] === "relabel" && path[3] === "output") return id;
    if (path[0] === "local" && path[1] === "file_match" && path[3] === "targets") {
      expr = attribute(builder.block(id), "path_targets");
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Runs the chain that starts at component `start` of a parsed config. Throws ProcessConfigError. */
export function simulateChain(file: File, source: SourceFile, start: string, input: ChainInput, options: SimulateOptions = {}): ChainResult {
  const builder: ChainBuilder = new ChainBuilder(file, source);
  const startBlock = builder.block(start);
  const startKind = blockName(startBlock);
  const now = simulationClock(options.now);
  const trace: TraceStep[] | undefined = options.trace ? [] : undefined;
  const drops: DropRecord[] = [];
  const held: DropRecord[] = [];
  const out: EntryOutput[] = [];
  const sinks: string[] = [];
  const random = seededRandom(options.seed ?? 1);
  const context = (scope: string): RunContext => ({
    now,
    random,
    trace,
    scope,
    drop: (reason, stage = scope, index = -1) => void drops.push({ input: index, stage, reason }),
    hold: () => {},
    skip: () => {},
    unreleased: (reason, stage = scope, index = -1) => void held.push({ input: index, stage, reason }),
  });

  const deliver = (id: string, e: WorkEntry): void => {
    const node = builder.node(id);
    switch (node.kind) {
      case "sink":
        out.push(toOutput(e, options.extracted === true));
        sinks.push(id);
        return;
      case "process":
        // Every component gets its own copy of an entry sent to several receivers.
        node.compiled.pipeline.push(e, (o) => forward(node.next, o, id), context(`${id} > `));
        return;
      case "relabel": {
        const result = relabel(node.rules, e.labels, { mode: "loki" });
        const ctx = context(`${id} > `);
        if (result.dropped) {
          const stage = `${id} > rule[${result.rule + 1}]`;
          const reason = result.reason === "empty" ? "no labels left" : "dropped by a keep/drop rule";
          drops.push({ input: e.input, stage, reason });
          record(ctx, stage, e.input, "dropped", reason);
          return;
        }
        e.labels = new Map(Object.entries(result.labels));
        record(ctx, id, e.input, "passed", undefined, e);
        forward(node.next, e, id);
        return;
      }
    }
  };
  // A component that forwards nowhere (`forward_to = []`) is where its entries come out.
  const forward = (next: readonly string[], e: WorkEntry, from: string): void => {
    if (next.length === 0) {
      out.push(toOutput(e, options.extracted === true));
      sinks.push(from);
      return;
    }
    next.forEach((n, i) => deliver(n, i === next.length - 1 ? e : cloneEntry(e)));
  };

  let first: readonly string[];
  let targetLabels: (Labels | undefined)[] | undefined;
  const entries: WorkEntry[] = [];
  const inputs: EntryInput[] = [];
  const enter = (e: EntryInput) => {
    entries.push(workEntry(e, inputs.length, now));
    inputs.push(e);
  };
  if (startKind.startsWith("loki.source.")) {
    first = builder.forwardTo(startBlock, start);
    if (input.targets === undefined) {
      input.entries.forEach(enter);
    } else {
      const relabeler = targetRelabeler(builder, startBlock);
      targetLabels = relabeler === undefined ? input.targets.map((t) => ({ ...t })) : discover(builder, relabeler, input.targets);
      const isFile = startKind === "loki.source.file";
      for (const labels of targetLabels) {
        if (labels === undefined) continue;
        for (const e of input.entries) {
          // loki.source.* attaches the target's labels but the reserved `__` ones (and the file it tails).
          const attached: Record<string, string> = Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith("__")));
          if (isFile && Object.hasOwn(labels, "__path__")) attached.filename = labels.__path__ as string;
          enter({ ...e, labels: { ...attached, ...e.labels } });
        }
      }
    }
  } else if (startKind === "loki.process" || startKind === "loki.relabel") {
    if (input.targets !== undefined) builder.fail(`${start}: targets are only for a loki.source.* start (entries enter ${startKind} as they are)`, startBlock);
    builder.node(start);
    first = [start];
    input.entries.forEach(enter);
  } else {
    builder.fail(`${start}: a chain starts at a loki.process, loki.relabel or loki.source.* component, not ${startKind}`, startBlock);
  }
  for (const id of first) builder.node(id);
  for (const e of entries) forward(first, e, start);
  // Flush buffering stages, upstream first: what they release goes on downstream.
  for (const node of builder.nodes.values()) {
    if (node.kind === "process") node.compiled.pipeline.flush((o) => forward(node.next, o, node.id), context(`${node.id} > `));
  }
  const result: ChainResult = { entries: out, dropped: drops.length, drops, ...(held.length > 0 ? { held } : {}), sinks, inputs, ...(targetLabels ? { targetLabels } : {}) };
  return trace ? { ...result, trace } : result;
}

function discover(builder: ChainBuilder, relabeler: string, targets: readonly Readonly<Record<string, string>>[]): (Labels | undefined)[] {
  try {
    return simulateComponent(builder.file, relabeler, targets).map((s) => (s.result.dropped ? undefined : s.result.labels));
  } catch (err) {
    if (err instanceof RelabelConfigError) builder.fail(err.message, err.problems[0] ?? builder.block(relabeler));
    throw err;
  }
}

