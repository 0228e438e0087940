import { edgeLabel, nodesByGroup, type ComponentGraph, type GraphNode, type NodeKind } from "./model.ts";
import { BROKEN_COLOR, FLOW_COLORS, nodeLines } from "./style.ts";

/** Graphviz node attributes of node kinds (beyond the defaults: rounded filled boxes). */
const SHAPES: Readonly<Record<NodeKind, string>> = {
  component: "",
  custom: `, peripheries=2`,
  opaque: `, peripheries=2, style="rounded,dashed"`,
  argument: `, shape=cds, style=filled, fillcolor="#EEF3E8"`,
  export: `, shape=cds, style=filled, fillcolor="#EEF3E8"`,
  block: `, shape=note, style=filled`,
  foreach: `, shape=hexagon, style=filled`,
  broken: `, style="rounded,dashed", color="${BROKEN_COLOR}", fontcolor="${BROKEN_COLOR}"`,
  unknown: `, shape=hexagon, style=dashed, color="${BROKEN_COLOR}", fontcolor="${BROKEN_COLOR}"`,
};

/**
 * One of the fonts whose metrics Graphviz has built in, so that boxes fit their text without a font library (its SVG
 * asks for "Helvetica,sans-Serif"). Graphviz takes one font name here, not a CSS list.
 */
const FONT = "Helvetica";

/**
 * A Graphviz digraph (top to bottom) of the graph. `declare` bodies, imported modules and `foreach` templates are
 * clusters; a node's tooltip says where it is defined and, for a broken one, what is wrong.
 */
export function toDot(graph: ComponentGraph): string {
  const out: string[] = [
    "digraph alloy {",
    `  graph [rankdir=TB, pad=0.2, fontname="${FONT}", fontsize=12, nodesep=0.3, ranksep=0.5];`,
    `  node [shape=box, style="rounded,filled", fillcolor="#F4F6FA", color="#5B6B84", fontname="${FONT}", fontsize=12];`,
    `  edge [fontname="${FONT}", fontsize=10, arrowsize=0.7];`,
  ];
  const byGroup = nodesByGroup(graph);
  const emit = (group: string | undefined, indent: string): void => {
    for (const n of byGroup.get(group) ?? []) {
      const where = `${n.filename}:${n.line}${n.problem === undefined ? "" : `: ${n.problem}`}`;
      out.push(`${indent}${n.id} [label=${quote(nodeLines(n.kind, n.name, n.label).join("\n"))}, tooltip=${quote(where)}${SHAPES[n.kind]}];`);
    }
    for (const g of graph.groups) {
      if (g.parent !== group) continue;
      out.push(`${indent}subgraph cluster_${g.id} {`);
      out.push(`${indent}  label=${quote(g.title)}; style="rounded,dashed"; color="#8A94A6"; fontcolor="#3D4452";`);
      emit(g.id, `${indent}  `);
      out.push(`${indent}}`);
    }
  };
  emit(undefined, "  ");
  for (const e of graph.edges) {
    const color = e.problem === undefined ? FLOW_COLORS[e.flow] : BROKEN_COLOR;
    const extra = e.problem === undefined ? "" : `, style=dashed, tooltip=${quote(e.problem)}`;
    out.push(`  ${e.from} -> ${e.to} [label=${quote(edgeLabel(e))}, color="${color}", fontcolor="${color}"${extra}];`);
  }
  out.push("}");
  return out.join("\n") + "\n";
}

/** A DOT double-quoted string; `\n` in the text becomes a centred line break. */
function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n")}"`;
}
