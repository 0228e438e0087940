import type { In } from "./types.ts";
import type { Expression } from "./values.ts";

/**
 * A relabel `rule` block, typed by action: each action takes the fields Alloy (Prometheus' relabel.Config.Validate)
 * requires and accepts for it, so `{ action: "labeldrop", target_label: "x" }` or a `hashmod` without `modulus` does
 * not compile. The generator uses this type for every block with exactly the relabel rule's attributes.
 */
export type RelabelRule =
  | (Selecting & { readonly action?: "replace"; readonly target_label: In<string>; readonly replacement?: In<string> })
  | (Selecting & { readonly action: "keep" | "drop" })
  | (Selecting & { readonly action: "hashmod"; readonly target_label: In<string>; readonly modulus: In<number> })
  | (Selecting & { readonly action: "lowercase" | "uppercase"; readonly target_label: In<string> })
  | { readonly action: "labelmap"; readonly regex?: In<string>; readonly replacement?: In<string> }
  | { readonly action: "labeldrop" | "labelkeep"; readonly regex: In<string> }
  | { readonly action: "keepequal" | "dropequal"; readonly source_labels: In<readonly string[]>; readonly target_label: In<string> }
  // An action computed at run time: every field allowed, the checker validates what it can.
  | (Selecting & {
      readonly action: Expression<string>;
      readonly target_label?: In<string>;
      readonly replacement?: In<string>;
      readonly modulus?: In<number>;
    });

/** The fields that select the value a rule works on. */
interface Selecting {
  readonly source_labels?: In<readonly string[]>;
  readonly separator?: In<string>;
  readonly regex?: In<string>;
}
