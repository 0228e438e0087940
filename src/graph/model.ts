/**
 * The component graph of a config, as `river graph` draws it: what the renderers (Mermaid, DOT, SVG) share.
 *
 * Edges point the way data flows, not the way references point: `forward_to = [loki.write.default.receiver]` in
 * `loki.source.file "x"` is drawn x → loki.write, while `targets = discovery.kubernetes.pods.targets` is drawn
 * discovery.kubernetes → the component that reads the targets. That is the picture people draw of a pipeline.
 */

/** What travels along an edge, from the type of the export (or of the argument that uses it). */
export type Flow = "targets" | "logs" | "metrics" | "traces" | "profiles" | "otel" | "rules" | "auth" | "value";

export const FLOWS: readonly Flow[] = ["targets", "logs", "metrics", "traces", "profiles", "otel", "rules", "auth", "value"];

/**
 * - component: a builtin component; custom: an instance of a `declare`d component; opaque: a component of a module
 *   river can't load (import.git, import.http), so its arguments and exports are unknown;
 * - argument, export: a module's `argument` / `export` block;
 * - block: a config block that holds a reference (`logging { write_to = [...] }`); foreach: a `foreach` block whose
 *   `collection` holds one or whose variable a template component reads (an edge from the foreach to it);
 * - broken: a block river could not make a component of (unknown name, missing or duplicate label);
 * - unknown: what an unresolvable reference names (drawn so that the reference is not dropped).
 */
export type NodeKind = "component" | "custom" | "opaque" | "argument" | "export" | "block" | "foreach" | "broken" | "unknown";

export interface GraphNode {
  /** `n0`, `n1`, ...: in the order the config is written, so output is stable for one input. */
  readonly id: string;
  readonly kind: NodeKind;
  /** The block name (`loki.write`, `argument`, a custom component's name) or, for an unknown node, the path written. */
  readonly name: string;
  readonly label: string | undefined;
  /** The group (subgraph) the node is drawn in; undefined: the top level. */
  readonly group: string | undefined;
  readonly filename: string;
  /** 1-based line of the block (of the first reference, for an unknown node). */
  readonly line: number;
  /** Why the node is broken or unknown (the diagnostic's message). */
  readonly problem?: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly flow: Flow;
  /** The export read (`receiver`, `output`, `value` for an argument), "" when the whole component is referenced. */
  readonly export: string;
  /** The argument that holds the reference, with its enclosing blocks: `forward_to`, `output.logs`. */
  readonly argument: string;
  /**
   * True when the reference names a receiver (`forward_to = [loki.write.x.receiver]`): data flows from the block
   * holding the reference to the one it names, so `from` holds the reference. False: `to` holds it.
   */
  readonly pushed: boolean;
  /** Set when the reference is broken (unknown export, wrong type, undefined): the diagnostic's message. */
  readonly problem?: string;
}

/** A `declare` body, an imported module or a `foreach` template. */
export interface GraphGroup {
  /** `g0`, `g1`, ... */
  readonly id: string;
  readonly kind: "declare" | "module" | "foreach";
  /** `declare "name"`, `import.file "name"`, `foreach "name"`. */
  readonly title: string;
  readonly parent: string | undefined;
}

export interface ComponentGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups: readonly GraphGroup[];
}

/** The text of an edge: what flows, then where it comes from and where it goes, in the direction of the arrow. */
/** The nodes of each group (undefined: the top level), in the graph's order: both renderers lay out subgraphs by it. */
export function nodesByGroup(graph: ComponentGraph): Map<string | undefined, GraphNode[]> {
  const byGroup = new Map<string | undefined, GraphNode[]>();
  for (const n of graph.nodes) {
    const list = byGroup.get(n.group);
    if (list === undefined) byGroup.set(n.group, [n]);
    else list.push(n);
  }
  return byGroup;
}

export function edgeLabel(edge: GraphEdge): string {
  const exp = edge.export === "" ? "(exports)" : edge.export;
  return edge.pushed ? `${edge.flow}: ${edge.argument} → ${exp}` : `${edge.flow}: ${exp} → ${edge.argument}`;
}
