/**
 * river's typed builder: Alloy configs made in TypeScript as ASTs (never text), printed by the canonical formatter
 * and type-checked. `river/builder` in the package.
 */
export { Config, isConfig, type BuildOptions, type BuildResult, type BlockProps, type ComponentConstructor, type ComponentName, type PropsOrThunk, type UntypedExports } from "./config.ts";
export { Body, BodyItem, attr, block, body, comment } from "./body.ts";
export { Annotated, BuilderError, Expression, annotate, array, blankLine, call, literal, object, op, paren, raw, ref, type Annotation, type CommentLine } from "./values.ts";
export { std } from "./stdlib.ts";
export type { BlockIn, Capsule, Duration, In, Secret, Target } from "./types.ts";
export type { ComponentArgs, ComponentExports, ComponentTree, ConfigBlockArgs } from "./generated/components.ts";
export type { Stdlib } from "./generated/stdlib.ts";
export type { LaidOut } from "./layout.ts";
export { loadBuilderPipeline, type LoadOptions, type LoadedPipeline } from "./load.ts";
