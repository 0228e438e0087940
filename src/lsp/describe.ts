import { ALLOY_VERSION, configBlockSchema } from "../schema/index.ts";
import type { ArgumentSchema, ComponentSchema, StdlibEntry } from "../schema/model.ts";
import { argumentTypeText } from "./scope.ts";

/**
 * Short descriptions of schema entries for hovers and completion items: facts from river's schema (type, default,
 * required, stability) and a link to Alloy's documentation page, never documentation text itself.
 */

const DOCS = "https://grafana.com/docs/alloy/latest/";

/** The page of a component (the schema knows its path under Alloy's docs/sources) or of a config block. */
export function docUrl(name: string, schema: ComponentSchema | undefined): string | undefined {
  if (schema !== undefined) return `${DOCS}${schema.doc.replace(/\.md$/, "").replace(/\/_index$/, "")}/`;
  if (configBlockSchema(name) !== undefined) return `${DOCS}reference/config-blocks/${name}/`;
  return undefined;
}

export function stdlibUrl(name: string): string {
  const ns = name.includes(".") ? name.slice(0, name.indexOf(".")) : name;
  return `${DOCS}reference/stdlib/${ns}/`;
}

/** `type`, then what is known of default and required, one fact a line. */
export function describeArgument(name: string, arg: ArgumentSchema): string {
  const lines = [`\`${name}\`: \`${argumentTypeText(arg)}\``];
  lines.push(arg.required === true ? "required" : arg.default !== undefined ? `optional, default \`${arg.default}\`` : "optional");
  if (arg.oneOf !== undefined) lines.push(`one of ${arg.oneOf.map((v) => `\`"${v}"\``).join(", ")}`);
  if (arg.deprecated === true) lines.push("deprecated");
  return lines.join("\n\n");
}

export function describeComponent(name: string, schema: ComponentSchema): string {
  const exports = Object.entries(schema.exports).map(([k, t]) => `\`${k}\` ${t}`);
  const lines = [`**${name}** (component, ${schema.stability}, Alloy ${ALLOY_VERSION})`];
  if (exports.length > 0) lines.push(`exports: ${exports.join(", ")}`);
  const url = docUrl(name, schema);
  if (url !== undefined) lines.push(`[Documentation](${url})`);
  return lines.join("\n\n");
}

/** `string.format(format string, args ...any) string`. */
export function stdlibSignature(name: string, entry: StdlibEntry): string {
  if (entry.kind === "constant") return `${name} ${entry.type}`;
  const params = entry.params.map((p) => `${p.name}${p.optional === true ? "?" : ""} ${p.variadic === true ? "..." : ""}${p.type}`);
  return `${name}(${params.join(", ")}) ${entry.returns}`;
}
