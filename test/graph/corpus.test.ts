/**
 * `river graph` over every valid config of the conformance corpus (Alloy's own docs and test configs): the graph must
 * agree with the checker, hold every component and every reference between top-level components, and its Mermaid and
 * DOT text must be well formed (DOT is laid out by Graphviz itself). Skipped when ../shared is absent.
 */
import { instance } from "@viz-js/viz";
import { describe, expect, it } from "vitest";
import { blockName, referencePath, type Stmt } from "../../src/ast/ast.ts";
import { walk } from "../../src/ast/walk.ts";
import { formatDiagnosticLine } from "../../src/diag/diagnostic.ts";
import { buildGraph, check, componentSchema, parse, toDot, toMermaid, type ComponentGraph } from "../../src/index.ts";
import { readFmtCorpus } from "../helpers/shared.ts";

const corpus = readFmtCorpus();
const configs = (corpus ?? []).filter((c) => c.kind === "config" && c.error === undefined);

/** The lines `toMermaid` writes, one pattern each; ids used by edges and classes must have been declared. */
const MERMAID_LINE = [
  /^flowchart TB$/,
  /^\s*(n\d+)(?:\["[^"]*"\]|\[\["[^"]*"\]\]|\(\["[^"]*"\]\)|\("[^"]*"\)|\{\{"[^"]*"\}\})$/,
  /^\s*subgraph (g\d+)\["[^"]*"\]$/,
  /^\s*end$/,
  /^ {2}(n\d+) (?:-->|-\.->)\|"[^"]*"\| (n\d+)$/,
  /^ {2}linkStyle \d+(?:,\d+)* stroke:#[0-9A-F]{6}(?:,stroke-dasharray:4 3)?$/,
  /^ {2}classDef broken [^ ]+$/,
  /^ {2}class n\d+(?:,n\d+)* broken$/,
];

function checkMermaid(text: string, graph: ComponentGraph): void {
  const lines = text.split("\n");
  expect(lines.pop()).toBe("");
  const declared = new Set<string>();
  let depth = 0;
  let edges = 0;
  for (const line of lines) {
    const m = MERMAID_LINE.map((re) => re.exec(line)).find((x) => x !== null);
    expect(m, `unexpected Mermaid line: ${line}`).toBeDefined();
    if (line.trim().startsWith("subgraph ")) depth++;
    if (line.trim() === "end") depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
    if (/^\s*n\d+[[({]/.test(line)) declared.add(m?.[1] as string);
    if (line.includes("|")) {
      edges++;
      expect(declared.has(m?.[1] as string) && declared.has(m?.[2] as string), line).toBe(true);
    }
  }
  expect(depth).toBe(0);
  expect(declared.size).toBe(graph.nodes.length);
  expect(edges).toBe(graph.edges.length);
  // Mermaid fails on a linkStyle of an edge that does not exist; every edge is styled once.
  const styled = lines.filter((l) => l.startsWith("  linkStyle ")).flatMap((l) => (l.split(" ")[3] as string).split(",").map(Number));
  expect(styled.sort((a, b) => a - b)).toEqual(graph.edges.map((_, i) => i));
}

/** Pairs of top-level components where one's body references the other, found from the AST alone. */
function referencedPairs(body: readonly Stmt[]): Set<string> {
  const ids = new Set<string>();
  for (const s of body) if (s.kind === "BlockStmt" && s.label !== undefined && componentSchema(blockName(s)) !== undefined) ids.add(`${blockName(s)}.${s.label}`);
  const pairs = new Set<string>();
  for (const s of body) {
    if (s.kind !== "BlockStmt" || s.label === undefined) continue;
    const owner = `${blockName(s)}.${s.label}`;
    if (!ids.has(owner)) continue;
    walk(s, (node) => {
      if (node.kind !== "AccessExpr") return;
      const path = referencePath(node);
      for (let i = (path?.length ?? 0); i >= 2; i--) {
        const id = (path as string[]).slice(0, i).join(".");
        if (ids.has(id)) {
          pairs.add([owner, id].sort().join(" "));
          break;
        }
      }
    });
  }
  return pairs;
}

describe.skipIf(corpus === undefined)("river graph on the conformance corpus", () => {
  it("has the corpus' configs", () => {
    expect(configs.length).toBeGreaterThan(500);
  });

  it("agrees with the checker and holds every component and reference", () => {
    for (const c of configs) {
      const files = [{ filename: c.name, text: c.in }];
      const { graph, diagnostics } = buildGraph(files);
      const checked = new Set(check(files).diagnostics.map((d) => `${d.code} ${formatDiagnosticLine(d)}`));
      for (const d of diagnostics) expect(checked, `${c.name}: graph reports what check does not`).toContain(`${d.code} ${formatDiagnosticLine(d)}`);

      const ids = new Set(graph.nodes.map((n) => n.id));
      for (const e of graph.edges) expect(ids.has(e.from) && ids.has(e.to), c.name).toBe(true);
      const groups = new Set(graph.groups.map((g) => g.id));
      for (const n of graph.nodes) if (n.group !== undefined) expect(groups.has(n.group), c.name).toBe(true);

      const body = parse(c.in).file.body;
      const components = body.filter((s) => s.kind === "BlockStmt" && s.label !== undefined && componentSchema(blockName(s)) !== undefined);
      const drawn = graph.nodes.filter((n) => n.group === undefined && n.kind === "component");
      expect(drawn.map((n) => `${n.name}.${n.label}`).sort(), c.name).toEqual(components.map((s) => `${blockName(s as never)}.${(s as { label: string }).label}`).sort());

      const byId = new Map(graph.nodes.map((n) => [n.id, `${n.name}.${n.label}`]));
      const edges = new Set(graph.edges.map((e) => [byId.get(e.from), byId.get(e.to)].sort().join(" ")));
      for (const pair of referencedPairs(body)) expect(edges, c.name).toContain(pair);

      checkMermaid(toMermaid(graph), graph);
    }
  });

  it("writes DOT that Graphviz lays out", async () => {
    const viz = await instance();
    for (const c of configs) {
      const result = viz.render(toDot(buildGraph([{ filename: c.name, text: c.in }]).graph), { format: "canon" });
      // Graphviz has no width for "→" in edge labels and takes a space's; the label then runs a little long, nothing more.
      const problems = result.errors.filter((e) => !e.message.includes("no value for width of non-ASCII character 226"));
      expect(problems, c.name).toEqual([]);
      expect(result.status, c.name).toBe("success");
    }
  });
});
