/**
 * The picture a person sees: the graph of the repository's own pipeline (pipelines/) rendered to SVG by river, then
 * rasterised to PNG by resvg (a renderer independent of Graphviz) and looked at pixel by pixel: it must not be blank,
 * it must show the flows' colours and text, and every component must be in the SVG.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { buildGraph, renderGraphSvg } from "../../src/index.ts";
import { FLOW_COLORS } from "../../src/graph/style.ts";

const pipelines = fileURLToPath(new URL("../../pipelines/", import.meta.url));
const files = readdirSync(pipelines)
  .filter((n) => n.endsWith(".alloy"))
  .sort()
  .map((n) => ({ filename: `pipelines/${n}`, text: readFileSync(pipelines + n, "utf8") }));

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

describe("the rendered picture of the repository's pipeline", () => {
  it("is an SVG with every component, rasterised to a PNG that is not blank", async () => {
    const { graph, diagnostics } = buildGraph(files);
    expect(diagnostics).toEqual([]);
    expect(graph.nodes.length).toBeGreaterThanOrEqual(2);
    const { text: svg } = await renderGraphSvg(files);
    for (const n of graph.nodes) expect(svg).toContain(`>${n.name}</text>`);

    const resvg = new Resvg(svg, {
      background: "#ffffff",
      fitTo: { mode: "zoom", value: 2 },
      font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    });
    const image = resvg.render();
    const png = image.asPng();
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(image.width).toBeGreaterThan(100);
    expect(image.height).toBeGreaterThan(100);

    // RGBA pixels: count what is not background, and which flow colours are drawn (edges and their labels).
    const pixels = image.pixels;
    let ink = 0;
    const seen = new Set<string>();
    const wanted = new Map(graph.edges.map((e) => [e.flow, rgb(FLOW_COLORS[e.flow])]));
    for (let i = 0; i < pixels.length; i += 4) {
      const [r, g, b] = [pixels[i] as number, pixels[i + 1] as number, pixels[i + 2] as number];
      if (r < 240 || g < 240 || b < 240) ink++;
      for (const [flow, [wr, wg, wb]] of wanted) {
        if (Math.abs(r - wr) + Math.abs(g - wg) + Math.abs(b - wb) < 12) seen.add(flow);
      }
    }
    const total = pixels.length / 4;
    expect(ink / total).toBeGreaterThan(0.02); // boxes, arrows and text, not a blank page
    expect(ink / total).toBeLessThan(0.6); // nor a page painted over
    expect([...seen].sort()).toEqual([...wanted.keys()].sort());
  });
});
