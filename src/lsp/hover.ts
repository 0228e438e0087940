import type { Hover } from "vscode-languageserver";
import { blockName, referencePath } from "../ast/ast.ts";
import { childBlocks, componentSchema, configBlockSchema, stdlibAlias, stdlibEntry } from "../schema/index.ts";
import type { BlockSchema } from "../schema/model.ts";
import { typeToString } from "../schema/types.ts";
import type { Analysis } from "./analysis.ts";
import { rangeOf } from "./convert.ts";
import { describeArgument, describeComponent, docUrl, stdlibSignature, stdlibUrl } from "./describe.ts";
import { referenceAt, spotAt } from "./locate.ts";
import { argumentOf, scopeOf, visibleDeclares } from "./scope.ts";

/**
 * Hover: for a component, argument or block, what the schema says (type, default, required, stability, the
 * documentation page); for a reference, what it names and its type; for any other expression, its inferred type.
 */
export function hover(analysis: Analysis, filename: string, offset: number): Hover | undefined {
  const parsed = analysis.parsed.get(filename);
  if (parsed === undefined) return undefined;
  const file = parsed.source;
  const spot = spotAt(parsed.file, offset);
  const declares = visibleDeclares(analysis);
  const md = (value: string, start: number, end: number): Hover => ({ contents: { kind: "markdown", value }, range: rangeOf(file, start, end) });
  switch (spot.kind) {
    case "blockName":
    case "blockLabel": {
      const block = spot.block;
      const name = blockName(block);
      const start = block.namePos;
      const end = block.labelPos !== undefined ? block.labelPos + (block.label?.length ?? 0) + 2 : start + name.length;
      const outer = scopeOf(spot.outer, declares);
      if (outer.kind === "config") {
        const schema = componentSchema(name);
        if (schema !== undefined) return md(describeComponent(name, schema), start, end);
        const decl = declares.get(name);
        if (decl !== undefined) {
          const args = [...(decl.env.args?.keys() ?? [])].map((a) => `\`${a}\``).join(", ");
          const exports = [...decl.env.exports.keys()].map((e) => `\`${e}\` ${typeToString(decl.exportTypes.get(e) ?? { kind: "any" })}`).join(", ");
          const p = decl.file.position(decl.block.namePos);
          return md([`**${name}** (custom component, declared at ${decl.file.name}:${p.line}:${p.column})`, args === "" ? "no arguments" : `arguments: ${args}`, exports === "" ? "no exports" : `exports: ${exports}`].join("\n\n"), start, end);
        }
        const config = configBlockSchema(name);
        if (config !== undefined) {
          const url = docUrl(name, undefined);
          return md([`**${name}** (config block, ${config.stability})`, ...(url === undefined ? [] : [`[Documentation](${url})`])].join("\n\n"), start, end);
        }
        return undefined;
      }
      if (outer.kind !== "block") return undefined;
      const parent = outer.path[outer.path.length - 1] as BlockSchema;
      const children = childBlocks(outer.path, parent);
      const child = Object.hasOwn(children, name) ? children[name] : undefined;
      if (child === undefined) return undefined;
      const facts = [child.required === true ? "required" : "optional", child.repeatable === true ? "repeatable" : child.repeatable === false ? "at most once" : undefined, child.labeled === true ? "labeled" : undefined];
      const url = docUrl(outer.root, componentSchema(outer.root));
      return md([`**${name}** (block of ${outer.root})`, facts.filter((f) => f !== undefined).join(", "), ...(url === undefined ? [] : [`[Documentation](${url})`])].join("\n\n"), start, end);
    }
    case "attribute": {
      const scope = scopeOf(spot.outer, declares);
      const name = spot.attr.name.name;
      const at = (text: string) => md(text, spot.attr.name.start, spot.attr.name.end);
      if (scope.kind === "custom") {
        const arg = scope.decl.env.args?.get(name);
        if (arg === undefined) return undefined;
        const optional = arg.stmt.body.some((s) => s.kind === "AttributeStmt" && s.name.name === "optional");
        return at(`\`${name}\`: argument of custom component ${scope.decl.name}${optional ? " (optional)" : ""}`);
      }
      const arg = argumentOf(scope, name);
      if (arg === undefined || scope.kind !== "block") return undefined;
      const url = docUrl(scope.root, componentSchema(scope.root));
      return at([describeArgument(name, arg), ...(url === undefined ? [] : [`[Documentation](${url})`])].join("\n\n"));
    }
    case "expr": {
      const path = referencePath(spot.name)?.join(".");
      const entry = path === undefined ? undefined : stdlibEntry(stdlibAlias(path) ?? path);
      if (path !== undefined && entry !== undefined) {
        return md([`\`${stdlibSignature(path, entry)}\``, `[Documentation](${stdlibUrl(path)})`].join("\n\n"), spot.name.start, spot.name.end);
      }
      const ref = referenceAt(analysis, filename, offset);
      if (ref !== undefined) {
        const type = ref.type === undefined ? "unresolved" : typeToString(ref.type);
        const path = ref.path.join(".");
        const what = ref.target?.kind === "component" ? ` (export of ${ref.target.comp.name})` : "";
        return md(`\`${path}\`: \`${type}\`${what}`, ref.expr.start, ref.expr.end);
      }
      const env = analysis.envAt(filename, offset);
      if (env === undefined) return undefined;
      const type = analysis.typeOf(spot.expr, env, file);
      const text = referencePath(spot.expr)?.join(".") ?? file.text.slice(spot.expr.start, Math.min(spot.expr.end, spot.expr.start + 60));
      return md(`\`${text.split("\n")[0]}\`: \`${typeToString(type)}\``, spot.expr.start, spot.expr.end);
    }
    case "none":
      return undefined;
  }
}
