/** The library API as the README shows it, imported from the package's main entry. */
import { describe, expect, it } from "vitest";
import { buildGraph, renderGraph, renderGraphSvg } from "../../src/index.ts";

const source = `loki.source.file "logs" {\n  targets    = []\n  forward_to = [loki.write.default.receiver]\n}\n\nloki.write "default" {\n  endpoint {\n    url = "http://loki"\n  }\n}\n`;

describe("the river graph library API", () => {
  it("renders Mermaid and DOT synchronously, the same bytes every time", () => {
    const files = [{ filename: "a.alloy", text: source }];
    const mermaid = renderGraph(files, "mermaid");
    expect(mermaid).not.toBeInstanceOf(Promise);
    expect(mermaid.diagnostics).toEqual([]);
    expect(mermaid.text).toContain('n0 -->|"logs: forward_to → receiver"| n1');
    expect(renderGraph(files, "mermaid").text).toBe(mermaid.text);
    expect(renderGraph(files, "dot").text).toContain('n0 -> n1 [label="logs: forward_to → receiver"');
  });

  it("renders SVG asynchronously", async () => {
    const { text, diagnostics } = await renderGraphSvg([{ filename: "a.alloy", text: source }]);
    expect(diagnostics).toEqual([]);
    expect(text).toContain("<svg ");
  });

  it("gives the graph itself, across the files of a config, with module files read through readModule", () => {
    const [first, second] = source.split("\n\n");
    const read: string[] = [];
    const { graph, diagnostics } = buildGraph(
      [
        { filename: "conf/a.alloy", text: `${first}\n` },
        { filename: "conf/b.alloy", text: `${second}\nimport.file "m" {\n  filename = "m.alloy"\n}\n` },
      ],
      { readModule: (path, from) => (read.push(`${from} ${path}`), `declare "noop" { }\n`) },
    );
    expect(diagnostics).toEqual([]);
    expect(read).toEqual(["conf/b.alloy m.alloy"]);
    expect(graph.nodes.map((n) => [n.name, n.label, n.filename, n.line])).toEqual([
      ["loki.source.file", "logs", "conf/a.alloy", 1],
      ["loki.write", "default", "conf/b.alloy", 1],
    ]);
    expect(graph.groups.map((g) => g.title)).toEqual(['import.file "m"', 'declare "noop"']);
    expect(graph.edges).toEqual([{ from: "n0", to: "n1", flow: "logs", export: "receiver", argument: "forward_to", pushed: true }]);
  });
});
