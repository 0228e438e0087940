import { STDLIB } from "../schema/index.ts";
import type { Stdlib } from "./generated/stdlib.ts";
import { Expression, referenceDraft, toDraft } from "./values.ts";

/**
 * Alloy's standard library as typed expressions: `std.sys.env("HOSTNAME")`, `std.constants.hostname`,
 * `std.coalesce(a, b)`. Built from the schema's stdlib table; the types are generated from the same table.
 */
export const std: Stdlib = buildStdlib();

function buildStdlib(): Stdlib {
  const root: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(STDLIB.entries)) {
    const parts = name.split(".");
    let node = root;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    const callee = referenceDraft(parts);
    node[parts[parts.length - 1] as string] =
      entry.kind === "constant"
        ? new Expression(callee)
        : (...args: unknown[]) => new Expression({ kind: "call", callee, args: args.map((a, i) => toDraft(a, `${name} argument ${i + 1}`)), multiline: false });
  }
  return root as unknown as Stdlib;
}

