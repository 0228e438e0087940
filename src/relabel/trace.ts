import { compareCodePoints } from "./label-names.ts";
import type { Labels } from "./types.ts";

/** One change between two label sets. */
export type LabelChange =
  | { readonly kind: "added"; readonly name: string; readonly value: string }
  | { readonly kind: "removed"; readonly name: string; readonly value: string }
  | { readonly kind: "changed"; readonly name: string; readonly from: string; readonly to: string };

/** The differences from `before` to `after`, by label name in code-point order. */
export function diffLabels(before: Labels, after: Labels): LabelChange[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareCodePoints);
  const out: LabelChange[] = [];
  for (const name of names) {
    const a = Object.hasOwn(before, name) ? before[name] : undefined;
    const b = Object.hasOwn(after, name) ? after[name] : undefined;
    if (a === b) continue;
    if (a === undefined && b !== undefined) out.push({ kind: "added", name, value: b });
    else if (b === undefined && a !== undefined) out.push({ kind: "removed", name, value: a });
    else if (a !== undefined && b !== undefined) out.push({ kind: "changed", name, from: a, to: b });
  }
  return out;
}
