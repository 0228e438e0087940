import { COMPONENTS, CONFIG_BLOCKS, ALLOY_VERSION } from "./generated/components.ts";
import { STDLIB } from "./generated/stdlib.ts";
import type { BlockSchema, ComponentSchema, ConfigBlockSchema, StdlibEntry } from "./model.ts";

export type * from "./model.ts";
export * from "./types.ts";
export { COMPONENTS, CONFIG_BLOCKS, STDLIB, ALLOY_VERSION };

export function componentSchema(name: string): ComponentSchema | undefined {
  return Object.hasOwn(COMPONENTS, name) ? COMPONENTS[name] : undefined;
}

export function configBlockSchema(name: string): ConfigBlockSchema | undefined {
  return Object.hasOwn(CONFIG_BLOCKS, name) ? CONFIG_BLOCKS[name] : undefined;
}

export function stdlibEntry(name: string): StdlibEntry | undefined {
  return Object.hasOwn(STDLIB.entries, name) ? STDLIB.entries[name] : undefined;
}

/** The current name of a deprecated stdlib name. Own keys only: `constructor` or `__proto__` are not aliases. */
export function stdlibAlias(name: string): string | undefined {
  return Object.hasOwn(STDLIB.deprecatedAliases, name) ? STDLIB.deprecatedAliases[name] : undefined;
}

/**
 * The child blocks a block accepts: its own, plus (for `childrenOf`, e.g. loki.process `stage.match`) the allowed
 * children of the block at that path. `path` is the chain of schemas from the component root to `block`.
 */
export function childBlocks(path: readonly BlockSchema[], block: BlockSchema): Readonly<Record<string, BlockSchema>> {
  if (block.childrenOf === undefined) return block.blocks;
  const depth = block.childrenOf === "" ? 0 : block.childrenOf.split(" > ").length;
  const source = path[depth];
  if (source === undefined) return block.blocks;
  const allowed = block.allowedChildren;
  const out: Record<string, BlockSchema> = { ...block.blocks };
  for (const [name, child] of Object.entries(source.blocks)) {
    if (allowed === undefined || allowed.includes(name)) out[name] = child;
  }
  return out;
}
