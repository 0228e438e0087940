export { parse, type ParseOptions, type ParseResult } from "./syntax/parse.ts";
export { RiverSyntaxError, type Diagnostic, type Severity } from "./diag/diagnostic.ts";
export type * from "./ast/ast.ts";
export { format, formatToBytes, printFile } from "./format/format.ts";
export { check, validateRelabelRule, logqlSelectorError, parseGoDuration, type CheckInputFile, type CheckOptions, type CheckResult, type ModuleRead } from "./check/index.ts";
export { COMPONENTS, CONFIG_BLOCKS, STDLIB, ALLOY_VERSION, componentSchema, parseType, assignable, typeToString, type AlloyType, type ComponentSchema, type BlockSchema, type ArgumentSchema } from "./schema/index.ts";
export * from "./relabel/index.ts";
export { renderGraph, renderGraphSvg, buildGraph, toMermaid, toDot, dotToSvg, FLOWS, type GraphFormat, type RenderedGraph, type GraphInputFile, type GraphOptions, type GraphResult, type ComponentGraph, type GraphNode, type GraphEdge, type GraphGroup, type Flow, type NodeKind } from "./graph/index.ts";
