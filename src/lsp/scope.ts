import type { DeclareDef } from "../check/model.ts";
import { childBlocks, componentSchema, configBlockSchema } from "../schema/index.ts";
import type { ArgumentSchema, BlockSchema } from "../schema/model.ts";
import type { Analysis } from "./analysis.ts";

/** What a block body holds, from the names of the blocks around it. */
export type Scope =
  /** The top level of a config, a `declare` body or a `foreach` template: components and config blocks. */
  | { readonly kind: "config" }
  /** A builtin component or config block, or one of their nested blocks; `path` from the root block down. */
  | { readonly kind: "block"; readonly root: string; readonly path: readonly BlockSchema[] }
  /** An instance of a custom component: its arguments. */
  | { readonly kind: "custom"; readonly decl: DeclareDef }
  | { readonly kind: "unknown" };

/** The scope inside the blocks `names` (outermost first). */
export function scopeOf(names: readonly string[], declares: ReadonlyMap<string, DeclareDef>): Scope {
  let scope: Scope = { kind: "config" };
  for (const name of names) scope = enter(scope, name, declares);
  return scope;
}

function enter(scope: Scope, name: string, declares: ReadonlyMap<string, DeclareDef>): Scope {
  if (scope.kind === "config") {
    if (name === "declare") return { kind: "config" };
    const decl = declares.get(name);
    if (decl !== undefined) return { kind: "custom", decl };
    const schema = componentSchema(name) ?? configBlockSchema(name);
    return schema === undefined ? { kind: "unknown" } : { kind: "block", root: name, path: [schema] };
  }
  if (scope.kind !== "block") return { kind: "unknown" };
  const parent = scope.path[scope.path.length - 1] as BlockSchema;
  const children = childBlocks(scope.path, parent);
  const child = Object.hasOwn(children, name) ? children[name] : undefined;
  if (child === undefined) return { kind: "unknown" };
  if (child.body === "components") return { kind: "config" };
  return { kind: "block", root: scope.root, path: [...scope.path, child] };
}

/** An argument's schema in a block scope. */
export function argumentOf(scope: Scope, name: string): ArgumentSchema | undefined {
  if (scope.kind !== "block") return undefined;
  const b = scope.path[scope.path.length - 1] as BlockSchema;
  return Object.hasOwn(b.arguments, name) ? b.arguments[name] : undefined;
}

/** The type an argument's values have, the Go type where it is the precise one (targets). */
export function argumentTypeText(arg: ArgumentSchema): string {
  return arg.goType === "[]discovery.Target" || arg.goType === "discovery.Target" ? arg.goType : arg.type;
}

/** Custom components in reach by their block name: declares of every scope, and imported ones as `namespace.name`. */
export function visibleDeclares(analysis: Analysis | undefined): Map<string, DeclareDef> {
  const out = new Map<string, DeclareDef>();
  for (const env of analysis?.envs ?? []) {
    // An imported module's own declares are reached through its namespace only.
    if (!(env.kind === "module" && env.parent !== undefined)) for (const [name, d] of env.declares) if (!out.has(name)) out.set(name, d);
    for (const [ns, imp] of env.imports) {
      for (const [name, d] of imp.module?.declares ?? []) if (!out.has(`${ns}.${name}`)) out.set(`${ns}.${name}`, d);
    }
  }
  return out;
}
