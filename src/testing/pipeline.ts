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
  resolveChain,
  relabel,
  rulesFromConfig,
  RelabelConfigError,
  type CompiledRule,
  type Labels,
  type LabelsInput,
  type RelabelMode,
  type RulesInput,
} from "../relabel/index.ts";
import { formatDiagnosticLine, diagnosticAt } from "../diag/diagnostic.ts";
import { parse } from "../syntax/parse.ts";

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
  // Errors carry the position of the offending attribute or block when there is one.
  const positioned = (err: unknown): Error => {
    const first = err instanceof RelabelConfigError ? err.problems[0] : undefined;
    const message = err instanceof Error ? err.message : String(err);
    return new Error(
      first === undefined
        ? `${filename}: ${message}`
        : formatDiagnosticLine(diagnosticAt(parsed.source, "error", "RELABEL", message, first.start, first.end)),
    );
  };
  let chain: ComponentRules[];
  try {
    chain = resolveChain(components, id).map((c) => ({
      component: c.id,
      mode: c.kind === "loki.relabel" ? "loki" : "discovery",
      rules: compileComponent(c),
    }));
  } catch (err) {
    throw positioned(err);
  }
  const last = chain[chain.length - 1] as ComponentRules;
  return { ...last, chain };
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
