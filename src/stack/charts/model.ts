/**
 * The shape of a chart's values as scripts/gen-chart-values.mjs writes it (the script's header explains the rules):
 * - a string of kind letters: a leaf that accepts those kinds, s string, i integer, n number, b boolean, m map with
 *   any keys, l list with any elements; "*" accepts anything;
 * - an object: a map with these declared keys, where a "*" key, if present, gives the node of any other key;
 * - a one-element array: a list whose every element matches that node.
 */
export type ValuesNode = string | ValuesMapNode | readonly [ValuesNode];

export interface ValuesMapNode {
  readonly [key: string]: ValuesNode;
}

/** What Chart.yaml says about a chart, plus the versions of the subcharts whose values it mounts. */
export interface ChartInfo {
  readonly name: string;
  readonly version: string;
  readonly appVersion: string;
  readonly subcharts: Readonly<Record<string, string>>;
}
