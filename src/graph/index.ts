import type { Diagnostic } from "../diag/diagnostic.ts";
import { buildGraph, type GraphInputFile, type GraphOptions } from "./build.ts";
import { toDot } from "./dot.ts";
import { toMermaid } from "./mermaid.ts";
import { dotToSvg } from "./svg.ts";

export { buildGraph, type GraphInputFile, type GraphOptions, type GraphResult } from "./build.ts";
export { toDot } from "./dot.ts";
export { toMermaid } from "./mermaid.ts";
export { dotToSvg } from "./svg.ts";
export { FLOWS, type ComponentGraph, type Flow, type GraphEdge, type GraphGroup, type GraphNode, type NodeKind } from "./model.ts";

export type GraphFormat = "mermaid" | "dot";

export interface RenderedGraph {
  readonly text: string;
  readonly diagnostics: Diagnostic[];
}

/**
 * The component graph of one config (a file, or the files of a directory) as Mermaid or DOT text. Synchronous and
 * pure: the same files give the same bytes. Broken references and blocks are drawn (dashed, red) and listed in
 * `diagnostics`; the text is always complete.
 */
export function renderGraph(files: readonly GraphInputFile[], format: GraphFormat, options: GraphOptions = {}): RenderedGraph {
  const { graph, diagnostics } = buildGraph(files, options);
  return { text: format === "dot" ? toDot(graph) : toMermaid(graph), diagnostics };
}

/** The same graph as an SVG picture, laid out by Graphviz (as WebAssembly, hence asynchronous). */
export async function renderGraphSvg(files: readonly GraphInputFile[], options: GraphOptions = {}): Promise<RenderedGraph> {
  const { graph, diagnostics } = buildGraph(files, options);
  return { text: await dotToSvg(toDot(graph)), diagnostics };
}
