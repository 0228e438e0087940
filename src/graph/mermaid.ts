import { edgeLabel, nodesByGroup, type ComponentGraph, type GraphNode, type NodeKind } from "./model.ts";
import { BROKEN_COLOR, FLOW_COLORS, nodeLines } from "./style.ts";

/** Mermaid shapes (opening and closing brackets) of node kinds. */
const SHAPES: Readonly<Record<NodeKind, readonly [string, string]>> = {
  component: ["[", "]"],
  custom: ["[[", "]]"],
  opaque: ["[[", "]]"],
  argument: ["([", "])"],
  export: ["([", "])"],
  block: ["(", ")"],
  foreach: ["{{", "}}"],
  broken: ["[", "]"],
  unknown: ["{{", "}}"],
};

/**
 * A Mermaid flowchart (top to bottom) of the graph: renders on GitHub and in most Markdown viewers inside a
 * ```` ```mermaid ```` fence. Subgraphs hold the bodies of `declare` blocks, imported modules and `foreach` templates.
 */
export function toMermaid(graph: ComponentGraph): string {
  const out: string[] = ["flowchart TB"];
  const byGroup = nodesByGroup(graph);
  const emit = (group: string | undefined, indent: string): void => {
    for (const n of byGroup.get(group) ?? []) {
      const [open, close] = SHAPES[n.kind];
      out.push(`${indent}${n.id}${open}"${nodeLines(n.kind, n.name, n.label).map(escape).join("<br/>")}"${close}`);
    }
    for (const g of graph.groups) {
      if (g.parent !== group) continue;
      out.push(`${indent}subgraph ${g.id}["${escape(g.title)}"]`);
      emit(g.id, `${indent}  `);
      out.push(`${indent}end`);
    }
  };
  emit(undefined, "  ");
  const styles = new Map<string, number[]>();
  graph.edges.forEach((e, i) => {
    out.push(`  ${e.from} ${e.problem === undefined ? "-->" : "-.->"}|"${escape(edgeLabel(e))}"| ${e.to}`);
    const style = e.problem === undefined ? `stroke:${FLOW_COLORS[e.flow]}` : `stroke:${BROKEN_COLOR},stroke-dasharray:4 3`;
    const list = styles.get(style);
    if (list === undefined) styles.set(style, [i]);
    else list.push(i);
  });
  for (const [style, indexes] of styles) out.push(`  linkStyle ${indexes.join(",")} ${style}`);
  const broken = graph.nodes.filter((n) => n.kind === "broken" || n.kind === "unknown").map((n) => n.id);
  if (broken.length > 0) {
    out.push(`  classDef broken stroke:${BROKEN_COLOR},stroke-dasharray:4 3,color:${BROKEN_COLOR}`);
    out.push(`  class ${broken.join(",")} broken`);
  }
  return out.join("\n") + "\n";
}

/**
 * Mermaid's entity codes for what would end a quoted label or be read as markup. Names and labels are identifiers in
 * a valid config, but a broken one, or a module's file name, may hold anything.
 */
function escape(text: string): string {
  return text.replace(/[#"<>&`]/g, (c) => `#${c.charCodeAt(0)};`);
}
