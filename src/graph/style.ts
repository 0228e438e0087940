import type { Flow, NodeKind } from "./model.ts";

/**
 * Colours of the flows, shared by the Mermaid and DOT renderers so that a pipeline looks the same in both. From the
 * Okabe-Ito palette, which stays distinguishable with the common colour-vision deficiencies; every edge also says its
 * flow in words, so colour is never the only cue.
 */
export const FLOW_COLORS: Readonly<Record<Flow, string>> = {
  targets: "#0072B2",
  logs: "#009E73",
  metrics: "#E69F00",
  traces: "#CC79A7",
  profiles: "#D55E00",
  otel: "#56B4E9",
  rules: "#7F7F7F",
  auth: "#8C6D1F",
  value: "#555555",
};

/** Broken nodes and edges. */
export const BROKEN_COLOR = "#D62728";

/** The node's text: its kind where the name doesn't say it, its name, its label. */
export function nodeLines(kind: NodeKind, name: string, label: string | undefined): string[] {
  const lines = [kind === "unknown" ? `${name}?` : name];
  if (label !== undefined) lines.push(label);
  if (kind === "opaque") lines.push("(opaque module)");
  return lines;
}
