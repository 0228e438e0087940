/**
 * Helpers so that a property test over a pipeline's relabel rules is a few lines:
 *
 * ```ts
 * const pods = loadRelabelRules("pipelines/pods.alloy", "discovery.relabel.pods");
 * fc.assert(fc.property(kubernetesPodTarget(), (target) => {
 *   const out = applyRules(pods, target);
 *   if (out) expect(out).toHaveProperty("namespace");
 * }));
 * ```
 *
 * Reading a file is the one side effect here (this module is for tests); everything else is pure.
 */
import { readFileSync } from "node:fs";
import {
  compileComponent,
  relabel,
  rulesFromConfig,
  RelabelConfigError,
  type CompiledRule,
  type Labels,
  type LabelsInput,
  type RelabelComponent,
  type RelabelMode,
  type RulesInput,
} from "../relabel/index.ts";
import { formatDiagnosticLine, diagnosticAt } from "../diag/diagnostic.ts";
import { parse } from "../syntax/parse.ts";
import { referencePath } from "../ast/ast.ts";

/** One component's compiled rules. */
export interface ComponentRules {
  readonly component: string;
  readonly mode: RelabelMode;
  readonly rules: readonly CompiledRule[];
}

/**
 * The rules of a relabel component, ready to apply; for a discovery.relabel fed by other discovery.relabel
 * components (`targets = discovery.relabel.x.output`), the whole chain, upstream first.
 */
export interface LoadedRules extends ComponentRules {
  readonly chain: readonly ComponentRules[];
}

/** Parses River `source` and compiles the rules of component `id` (with its upstream chain). Throws on any problem. */
export function rulesFromSource(source: string, id: string, filename = "<source>"): LoadedRules {
  const parsed = parse(source, { filename });
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(errors.map(formatDiagnosticLine).join("\n"));
  const components = new Map(rulesFromConfig(parsed.file).map((c) => [c.id, c]));
  const chain: ComponentRules[] = [];
  const seen = new Set<string>();
  let current: RelabelComponent | undefined = components.get(id);
  if (current === undefined) throw new Error(`${filename}: no component ${id} (found: ${[...components.keys()].join(", ") || "none"})`);
  while (current !== undefined && !seen.has(current.id)) {
    seen.add(current.id);
    let rules: CompiledRule[];
    try {
      rules = compileComponent(current);
    } catch (err) {
      const first = err instanceof RelabelConfigError ? err.problems[0] : undefined;
      if (first) throw new Error(formatDiagnosticLine(diagnosticAt(parsed.source, "error", "RELABEL", err instanceof Error ? err.message : String(err), first.start, first.end)));
      throw err;
    }
    chain.unshift({ component: current.id, mode: current.kind === "loki.relabel" ? "loki" : "discovery", rules });
    const upstream = upstreamOf(current);
    current = upstream === undefined ? undefined : components.get(upstream);
  }
  const last = chain[chain.length - 1] as ComponentRules;
  return { ...last, chain };
}

function upstreamOf(component: RelabelComponent): string | undefined {
  if (component.kind !== "discovery.relabel" || component.targets === undefined) return undefined;
  const parts = referencePath(component.targets);
  return parts?.length === 4 && parts[0] === "discovery" && parts[1] === "relabel" && parts[3] === "output"
    ? parts.slice(0, 3).join(".")
    : undefined;
}

/** Reads `path` (relative to the working directory) and compiles the rules of component `id`. */
export function loadRelabelRules(path: string, id: string): LoadedRules {
  return rulesFromSource(readFileSync(path, "utf8"), id, path);
}

/**
 * Applies rules to one label set: the resulting labels, or undefined when the target is dropped. Accepts what
 * `loadRelabelRules` returns (the whole chain, each component in its own mode) or plain rules (discovery mode
 * unless `mode` says otherwise).
 */
export function applyRules(
  rules: LoadedRules | ComponentRules | RulesInput,
  labels: LabelsInput,
  options: { readonly mode?: RelabelMode } = {},
): Labels | undefined {
  const chain: readonly ComponentRules[] | undefined =
    "chain" in rules ? rules.chain : "rules" in rules && "component" in rules ? [rules] : undefined;
  if (chain === undefined) {
    const result = relabel(rules as RulesInput, labels, options);
    return result.dropped ? undefined : result.labels;
  }
  let current: LabelsInput = labels;
  for (const step of chain) {
    const result = relabel(step.rules, current, { mode: step.mode });
    if (result.dropped) return undefined;
    current = result.labels;
  }
  return current as Labels;
}
