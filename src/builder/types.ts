/**
 * The TypeScript side of Alloy's type language, as the builder's generated component types use it. Values are typed
 * by what Alloy's decoder accepts: a `string` slot takes a string, an `Expression<string>` or an expression of type
 * `any`; a `list(LogsReceiver)` slot takes an array of receivers or an expression that is such a list. Capsules
 * (receivers, relabel rules, secrets...) have no literal form, so only references to the exports of the right type
 * fit: `forward_to = [loki.write.x.receiver]` compiles, `forward_to = [discovery.relabel.x.output]` does not.
 */
import type { Expression } from "./values.ts";
import type { Annotated } from "./values.ts";

/** An opaque Go value of one kind (`LogsReceiver`, `RelabelRules`, ...): only exports of that type produce it. */
export interface Capsule<Name extends string> {
  readonly __capsule: Name;
}

/** alloytypes.Secret: a string converts to it, it never converts back. */
export type Secret = string | Capsule<"secret">;

/** A string that Alloy parses with Go's time.ParseDuration (`"30s"`, `"1h30m"`). */
export type Duration = string;

/** discovery.Target: a map of label names to values. */
export type Target = { readonly [label: string]: string };

/**
 * What a slot of Alloy type T accepts: a plain TypeScript value of that type (arrays and objects of accepted values
 * included), an expression of that type (references, stdlib calls, operators), either with layout annotations, or
 * null (Alloy decodes null as the zero value of any type).
 */
export type In<T> =
  | null
  | Expression<T>
  | Annotated<In<T>>
  | (T extends Capsule<string>
      ? never
      : T extends readonly (infer E)[]
        ? readonly In<E>[]
        : T extends object
          ? { readonly [K in keyof T]: In<T[K]> }
          : T);

/** What a block slot accepts: the block's props, or the props with an annotation (comments, blank line). */
export type BlockIn<P> = P | Annotated<P>;
