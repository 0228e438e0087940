import { blockName, type AttributeStmt, type BlockStmt } from "../ast/ast.ts";
import { childBlocks, componentSchema, configBlockSchema, parseType } from "../schema/index.ts";
import type { BlockSchema } from "../schema/model.ts";
import type { AlloyType } from "../schema/types.ts";

/** Where in a block a reference is written: the attribute and the blocks around it, outermost first. */
export interface ArgumentSite {
  /** `forward_to`, `output.logs`, `stage.match.selector`. */
  readonly path: string;
  /** The type the block's schema expects there, when the block is builtin and the schema knows the argument. */
  readonly expected: AlloyType | undefined;
}

/**
 * The argument of `block` that holds the text at `offset`. Nested blocks are named without their labels (a `rule`
 * is a `rule` whichever it is); undefined when `offset` is in no attribute (it always is, for a reference).
 */
export function argumentAt(block: BlockStmt, offset: number): ArgumentSite | undefined {
  const names: string[] = [];
  let body = block.body;
  for (;;) {
    const stmt = body.find((s) => s.start <= offset && offset < s.end);
    if (stmt === undefined) return undefined;
    if (stmt.kind === "BlockStmt") {
      names.push(blockName(stmt));
      body = stmt.body;
      continue;
    }
    return { path: [...names, stmt.name.name].join("."), expected: expectedType(block, names, stmt) };
  }
}

/** The schema's type for an attribute of a builtin component or config block, following the nested block names. */
function expectedType(block: BlockStmt, names: readonly string[], attr: AttributeStmt): AlloyType | undefined {
  const name = blockName(block);
  const root: BlockSchema | undefined = componentSchema(name) ?? configBlockSchema(name);
  if (root === undefined) return undefined;
  const chain: BlockSchema[] = [root];
  for (const n of names) {
    const parent = chain[chain.length - 1] as BlockSchema;
    const children = childBlocks(chain, parent);
    const child = Object.hasOwn(children, n) ? children[n] : undefined;
    if (child === undefined) return undefined;
    chain.push(child);
  }
  const schema = chain[chain.length - 1] as BlockSchema;
  const arg = Object.hasOwn(schema.arguments, attr.name.name) ? schema.arguments[attr.name.name] : undefined;
  if (arg === undefined) return undefined;
  // The Go type is the precise one for targets (`[]discovery.Target` where the docs say `list(map(string))`).
  return parseType(arg.goType === "[]discovery.Target" || arg.goType === "discovery.Target" ? arg.goType : arg.type);
}
