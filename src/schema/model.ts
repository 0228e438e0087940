/**
 * The shape of river's component schema. `scripts/gen-schema.mjs` writes `generated/components.ts` and
 * `generated/stdlib.ts` with values of these types from the Alloy 1.18 extraction in ../shared/alloy.
 *
 * Type strings are canonical type-language spellings (see `types.ts`): `string`, `number`, `bool`, `duration`,
 * `secret`, `string or secret`, `any`, `object`, `list(T)`, `map(T)` and capsule names such as `LogsReceiver`.
 */

export interface ArgumentSchema {
  /** Canonical type string, the code's type where the docs disagree. */
  readonly type: string;
  readonly required?: true;
  /** The docs' Default cell, as written (may be prose). */
  readonly default?: string;
  readonly deprecated?: true;
  /** The Go type when it says more than `type` does (e.g. `Regexp`, `Role`, `Action`, `units.Base2Bytes`). */
  readonly goType?: string;
  /**
   * The only strings Alloy accepts (an UnmarshalText/Validate error otherwise), from ENUM_ARGUMENTS in
   * scripts/gen-schema.mjs; "" is listed where Alloy accepts an empty string.
   */
  readonly oneOf?: readonly string[];
  /** Alloy compares `oneOf` case-insensitively. */
  readonly oneOfIgnoresCase?: true;
}

export interface BlockSchema {
  readonly arguments: Readonly<Record<string, ArgumentSchema>>;
  readonly blocks: Readonly<Record<string, BlockSchema>>;
  readonly required?: true;
  /** true: may appear any number of times; false: at most once; absent: unknown (treated as repeatable). */
  readonly repeatable?: boolean;
  /** The block takes a string label (`static "name" { }`). */
  readonly labeled?: true;
  /** Member of an ordered enum list such as loki.process `stage.*`. */
  readonly enum?: string;
  /**
   * The block also accepts the child blocks of the block at this path of the same component ("" = the component
   * root), restricted to `allowedChildren`: loki.process `stage.match` nests every `stage.*` again.
   */
  readonly childrenOf?: string;
  readonly allowedChildren?: readonly string[];
  /** Free-form body instead of a schema: "components" (foreach template). */
  readonly body?: string;
}

export type Stability = "generally-available" | "public-preview" | "experimental" | "community" | string;

export interface ComponentSchema extends BlockSchema {
  readonly stability: Stability;
  readonly exports: Readonly<Record<string, string>>;
  /** Path of the documentation page under docs/sources. */
  readonly doc: string;
}

export interface ConfigBlockSchema extends BlockSchema {
  readonly stability: Stability;
  readonly labeled?: true;
  readonly exports: Readonly<Record<string, string>>;
}

export interface StdlibParam {
  readonly name: string;
  readonly type: string;
  readonly optional?: true;
  readonly variadic?: true;
}

export interface StdlibFunction {
  readonly kind: "function";
  readonly params: readonly StdlibParam[];
  readonly returns: string;
  readonly stability: Stability;
}

export interface StdlibConstant {
  readonly kind: "constant";
  readonly type: string;
}

export type StdlibEntry = StdlibFunction | StdlibConstant;

export interface Stdlib {
  /** Every stdlib name (`string.format`, `constants.hostname`, ...). */
  readonly entries: Readonly<Record<string, StdlibEntry>>;
  /** Deprecated alias → replacement (`env` → `sys.env`). */
  readonly deprecatedAliases: Readonly<Record<string, string>>;
  /** Names valid as the first segment of a stdlib reference. */
  readonly topLevel: readonly string[];
}
