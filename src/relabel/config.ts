/**
 * Relabel rules read from a parsed River config: the `rule` blocks of every `discovery.relabel` and `loki.relabel`
 * component, with attribute values computed from constant expressions, and the simulation of a chain of
 * `discovery.relabel` components (`targets = discovery.relabel.other.output`).
 */
import {
  blockName,
  referencePath,
  type AttributeStmt,
  type BlockStmt,
  type Expr,
  type File,
  type Span,
} from "../ast/ast.ts";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import type { SourceFile } from "../source/source-file.ts";
import { decodeString, decodeUint64, firstUnknown, fold, toJs, uint, type Folded, type JsValue, type Unknown, type Value } from "../eval/fold.ts";
import { relabel } from "./engine.ts";
import { compileRules, validateRule, RelabelRuleError, type CompiledRule } from "./rule.ts";
import type { Labels, LabelsInput, RelabelMode, RelabelResult, RelabelRuleInput } from "./types.ts";

export type RelabelComponentKind = "discovery.relabel" | "loki.relabel";

/** A problem found while reading rules from a config, at a range of the source. */
export interface ConfigProblem extends Span {
  readonly message: string;
  /** The rule (0-based, within its component) the problem belongs to, if any. */
  readonly ruleIndex?: number;
}

export interface RelabelComponent {
  /** `discovery.relabel.NAME` */
  readonly id: string;
  readonly kind: RelabelComponentKind;
  readonly label: string;
  readonly block: BlockStmt;
  /** The rule blocks' attribute values (only the attributes whose value could be computed). */
  readonly rules: RelabelRuleInput[];
  readonly ruleBlocks: BlockStmt[];
  /** The `targets` attribute of a discovery.relabel, as written. */
  readonly targets: Expr | undefined;
  /** Values that could not be computed, and invalid rules (as Alloy would reject them), with positions. */
  readonly problems: ConfigProblem[];
}

const KINDS: readonly RelabelComponentKind[] = ["discovery.relabel", "loki.relabel"];

/** Every discovery.relabel / loki.relabel component of `file` (top level), in source order. */
export function rulesFromConfig(file: File): RelabelComponent[] {
  const out: RelabelComponent[] = [];
  for (const stmt of file.body) {
    if (stmt.kind !== "BlockStmt") continue;
    const kind = blockName(stmt);
    if (!(KINDS as readonly string[]).includes(kind) || stmt.label === undefined) continue;
    out.push(readComponent(stmt, kind as RelabelComponentKind, stmt.label));
  }
  return out;
}

/** The component with id `discovery.relabel.NAME` / `loki.relabel.NAME`, or undefined. */
export function findRelabelComponent(file: File, id: string): RelabelComponent | undefined {
  return rulesFromConfig(file).find((c) => c.id === id);
}

function readComponent(block: BlockStmt, kind: RelabelComponentKind, label: string): RelabelComponent {
  const problems: ConfigProblem[] = [];
  const rules: RelabelRuleInput[] = [];
  const ruleBlocks: BlockStmt[] = [];
  let targets: Expr | undefined;
  for (const stmt of block.body) {
    if (stmt.kind === "AttributeStmt") {
      if (stmt.name.name === "targets") targets = stmt.value;
      continue;
    }
    if (stmt.name.join(".") !== "rule") continue;
    const ruleIndex = ruleBlocks.length;
    ruleBlocks.push(stmt);
    const fields: [string, unknown][] = [];
    const seen = new Map<string, AttributeStmt>();
    for (const inner of stmt.body) {
      if (inner.kind === "BlockStmt") {
        problems.push({ message: `unrecognized block name ${JSON.stringify(inner.name.join("."))}`, start: inner.start, end: inner.end, ruleIndex });
        continue;
      }
      const name = inner.name.name;
      if (seen.has(name)) {
        problems.push({ message: `attribute ${JSON.stringify(name)} may only be provided once`, start: inner.start, end: inner.end, ruleIndex });
        continue;
      }
      seen.set(name, inner);
      const value = fromFolded(decodeAsAlloy(name, fold(inner.value)));
      if (!value.ok) {
        problems.push({ message: value.message, start: value.span.start, end: value.span.end, ruleIndex });
        continue;
      }
      fields.push([name, value.value]);
    }
    // fromEntries: an attribute named __proto__ must reach validation as an unknown field, not replace the prototype.
    const rule = Object.fromEntries(fields) as RelabelRuleInput;
    rules.push(rule);
    // Alloy refuses the whole config when a rule is invalid; report it at the attribute at fault (or the block).
    if (!problems.some((p) => p.ruleIndex === ruleIndex)) {
      const mode: RelabelMode = kind === "loki.relabel" ? "loki" : "discovery";
      for (const problem of validateRule(rule, { mode })) {
        const at: Span = (problem.field && seen.get(problem.field)) || unknownAttribute(problem.message, seen) || stmt;
        problems.push({ message: problem.message, start: at.start, end: at.end, ruleIndex });
      }
    }
  }
  return { id: `${kind}.${label}`, kind, label, block, rules, ruleBlocks, targets, problems };
}

/** The rule attributes Alloy decodes into Go strings (`source_labels` into a list of them). */
const STRING_ATTRIBUTES = new Set(["separator", "regex", "target_label", "replacement", "action"]);

/**
 * Alloy's value conversion for a rule attribute: a number where a string is expected becomes its decimal text
 * (`replacement = 1` sets "1", `replacement = 1e21` sets "1000000000000000000000"), and `modulus` becomes a uint64
 * the way Go converts numbers (`-1` is 18446744073709551615), as alloy's decoder does. Everything else is left for
 * validateRule to judge.
 */
function decodeAsAlloy(name: string, value: Folded): Folded {
  const text = (v: Folded): Folded => (v.kind === "number" ? ({ kind: "string", value: decodeString(v) as string } satisfies Value) : v);
  if (STRING_ATTRIBUTES.has(name)) return text(value);
  if (name === "source_labels" && value.kind === "array") return { kind: "array", items: value.items.map(text) };
  const modulus = name === "modulus" ? decodeUint64(value) : undefined;
  return modulus === undefined ? value : uint(modulus);
}

function unknownAttribute(message: string, seen: ReadonlyMap<string, AttributeStmt>): AttributeStmt | undefined {
  const m = /^unrecognized attribute name "(.*)"$/.exec(message);
  return m ? seen.get(m[1] as string) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Constant values (folded by src/eval/fold.ts, with Alloy's semantics)

export type ConstantValue = JsValue;

export type FoldResult = { ok: true; value: ConstantValue } | { ok: false; message: string; span: Span };

/**
 * The value of a constant expression: literals, arrays, objects, parentheses, unary `-`/`!`, string concatenation and
 * arithmetic with `+ - * / % ^`, comparisons, `==`/`!=`, `&&`/`||` and indexing, evaluated as Alloy evaluates them.
 * References and function calls are not constant (river does not evaluate components or the standard library here)
 * and are reported with their position, as are operations Alloy rejects (`"a" + 1`, division by zero).
 */
export function foldConstant(expr: Expr): FoldResult {
  return fromFolded(fold(expr));
}

function fromFolded(folded: Folded): FoldResult {
  const bad = firstUnknown(folded);
  if (bad !== undefined) return { ok: false, message: constantProblem(bad), span: { start: bad.start, end: bad.end } };
  return { ok: true, value: toJs(folded) as ConstantValue };
}

function constantProblem(u: Unknown): string {
  return u.cause === "error" ? u.message : `${u.message}; river can only simulate rules whose values are constant expressions`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Simulation

/** Thrown when a component cannot be simulated: unknown component, invalid or non-constant rules, a broken chain. */
export class RelabelConfigError extends Error {
  readonly problems: readonly ConfigProblem[];
  constructor(message: string, problems: readonly ConfigProblem[] = []) {
    super(message);
    this.name = "RelabelConfigError";
    this.problems = problems;
  }
}

export interface ChainStep {
  /** The component applied, e.g. `discovery.relabel.pods`. */
  readonly component: string;
  readonly result: RelabelResult;
}

export interface TargetSimulation {
  readonly input: Labels;
  /** The components applied, upstream first; the last one is where the target ended (dropped or fully relabelled). */
  readonly steps: readonly ChainStep[];
  /** The result of the whole chain. */
  readonly result: RelabelResult;
}

export interface SimulateOptions {
  /** Record each rule's effect (per component). */
  readonly trace?: boolean;
}

/**
 * Runs `targets` through the component `id` (`discovery.relabel.NAME` or `loki.relabel.NAME`). For a
 * discovery.relabel whose `targets` is another discovery.relabel's `output`, the chain is followed upstream and the
 * given targets enter at its start. Without `targets`, a chain that starts with a constant `targets` list uses it.
 * loki.relabel components are simulated on their own, in loki mode.
 */
export function simulateComponent(
  file: File,
  id: string,
  targets?: readonly LabelsInput[],
  options: SimulateOptions = {},
): TargetSimulation[] {
  const components = new Map(rulesFromConfig(file).map((c) => [c.id, c]));
  const chain = resolveChain(components, id);
  const compiled = chain.map((c) => ({ component: c, rules: compileComponent(c) }));
  const first = chain[0] as RelabelComponent;
  const inputs: readonly LabelsInput[] = targets ?? constantTargets(first);
  return inputs.map((input) => {
    const steps: ChainStep[] = [];
    let current: LabelsInput = input;
    let result: RelabelResult = { labels: {} };
    for (const { component, rules } of compiled) {
      result = relabel(rules, current, { mode: component.kind === "loki.relabel" ? "loki" : "discovery", trace: options.trace });
      steps.push({ component: component.id, result });
      if (result.dropped) break;
      current = result.labels;
    }
    const firstResult = steps[0];
    const inputLabels: Labels = firstResult?.result.trace?.[0]?.before ?? normalizedInput(input);
    return { input: inputLabels, steps, result };
  });
}

function normalizedInput(input: LabelsInput): Labels {
  const r = relabel([], input);
  return r.dropped ? {} : r.labels;
}

/** Compiles a component's rules, or throws RelabelConfigError with the problems and their positions. */
export function compileComponent(component: RelabelComponent): CompiledRule[] {
  const first = component.problems[0];
  if (first) throw new RelabelConfigError(`${component.id}: ${first.message}`, component.problems);
  try {
    return compileRules(component.rules, { mode: component.kind === "loki.relabel" ? "loki" : "discovery" });
  } catch (err) {
    if (err instanceof RelabelRuleError) {
      const block = component.ruleBlocks[err.ruleIndex];
      throw new RelabelConfigError(`${component.id}: ${err.message}`, block ? [{ message: err.message, start: block.start, end: block.end, ruleIndex: err.ruleIndex }] : []);
    }
    throw err;
  }
}

/**
 * Component `id` and the discovery.relabel components feeding it (`targets = discovery.relabel.x.output`), upstream
 * first. Throws RelabelConfigError for a missing component or upstream, or a cycle.
 */
export function resolveChain(components: ReadonlyMap<string, RelabelComponent>, id: string): RelabelComponent[] {
  const chain: RelabelComponent[] = [];
  const seen = new Set<string>();
  let current = components.get(id);
  if (current === undefined) {
    const known = [...components.keys()];
    throw new RelabelConfigError(
      `no component ${id} in the config${known.length > 0 ? ` (relabel components: ${known.join(", ")})` : " (it has no discovery.relabel or loki.relabel component)"}`,
    );
  }
  while (current !== undefined) {
    if (seen.has(current.id)) throw new RelabelConfigError(`${current.id}: its targets form a cycle`, [spanOf(current.targets ?? current.block)]);
    seen.add(current.id);
    chain.unshift(current);
    if (current.kind !== "discovery.relabel" || current.targets === undefined) break;
    const path = referencePath(current.targets);
    if (path === undefined || path.length !== 4 || path[0] !== "discovery" || path[1] !== "relabel" || path[3] !== "output") break;
    const upstream = components.get(path.slice(0, 3).join("."));
    if (upstream === undefined) {
      throw new RelabelConfigError(`${current.id}: targets refers to ${path.join(".")}, which is not in the config`, [spanOf(current.targets)]);
    }
    current = upstream;
  }
  return chain;
}

function spanOf(s: Span): ConfigProblem {
  return { message: "", start: s.start, end: s.end };
}

function constantTargets(component: RelabelComponent): LabelsInput[] {
  if (component.targets === undefined) {
    throw new RelabelConfigError(`${component.id}: no targets given and the component has no targets attribute`);
  }
  const folded = foldConstant(component.targets);
  const problem = (message: string): RelabelConfigError =>
    new RelabelConfigError(`${component.id}: ${message}`, [{ message, start: component.targets?.start ?? 0, end: component.targets?.end ?? 0 }]);
  if (!folded.ok) throw problem(`no targets given, and targets is not constant: ${folded.message}`);
  if (!Array.isArray(folded.value)) throw problem("targets must be a list of objects");
  return folded.value.map((t) => {
    if (t === null || typeof t !== "object" || Array.isArray(t)) throw problem("targets must be a list of objects");
    for (const [k, v] of Object.entries(t)) {
      if (typeof v !== "string") throw problem(`target label ${JSON.stringify(k)} must be a string`);
    }
    // A copy with own properties only (fromEntries, not assignment, so that a label named "__proto__" stays a label).
    return Object.fromEntries(Object.entries(t)) as Labels;
  });
}

/** The problems of every relabel component of a file, as diagnostics (code `RELABEL_RULE`). */
export function relabelDiagnostics(file: File, source: SourceFile): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of rulesFromConfig(file)) {
    for (const p of c.problems) {
      const where = p.ruleIndex === undefined ? "" : `rule[${p.ruleIndex}]: `;
      out.push(diagnosticAt(source, "error", "RELABEL_RULE", `${c.id}: ${where}${p.message}`, p.start, p.end));
    }
  }
  return out;
}
