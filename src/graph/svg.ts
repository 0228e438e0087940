/**
 * DOT → SVG with Graphviz compiled to WebAssembly (@viz-js/viz): the same layout engine as the `dot` program, with no
 * binary to install. Loaded on first use, since the module and its wasm are larger than the rest of river's CLI.
 */
export async function dotToSvg(dot: string): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  const viz = await instance();
  return viz.renderString(dot, { format: "svg" });
}
