import { CompletionItemKind, InsertTextFormat, type CompletionItem, type Range } from "vscode-languageserver";
import { blockName, type BlockStmt, type File, type Stmt } from "../ast/ast.ts";
import type { Comp, Env } from "../check/model.ts";
import { COMPONENTS, CONFIG_BLOCKS, STDLIB, childBlocks } from "../schema/index.ts";
import type { BlockSchema } from "../schema/model.ts";
import { ANY, assignable, parseType, typeToString, type AlloyType } from "../schema/types.ts";
import type { SourceFile } from "../source/source-file.ts";
import type { Analysis } from "./analysis.ts";
import { cursorContext } from "./context.ts";
import { rangeOf } from "./convert.ts";
import { describeArgument, describeComponent, docUrl, stdlibSignature } from "./describe.ts";
import { argumentOf, argumentTypeText, scopeOf, visibleDeclares, type Scope } from "./scope.ts";

/**
 * Completion at `offset` of `file` (the document's current text). The cursor's context comes from the text alone;
 * the names in the config (components, their export types, declares) from the latest analysis, which may be a few
 * keystrokes old: completion never waits for a check.
 */
export function complete(file: SourceFile, ast: File, offset: number, analysis: Analysis | undefined, snippets: boolean): CompletionItem[] {
  const cx = cursorContext(file.text, offset);
  if (cx.kind === "none") return [];
  const declares = visibleDeclares(analysis);
  const scope = scopeOf(cx.blocks, declares);
  if (cx.kind === "statement") {
    const range = rangeOf(file, cx.wordStart, offset);
    const children = scope.kind === "block" ? childBlocks(scope.path, scope.path[scope.path.length - 1] as BlockSchema) : {};
    const present = presentIn(ast, offset, cx.blocks[cx.blocks.length - 1], children);
    return statementItems(scope, declares, range, snippets).filter((i) => !present.has(i.label));
  }
  const arg = argumentOf(scope, cx.attribute);
  if (cx.stringStart !== undefined) {
    const range = rangeOf(file, cx.stringStart + 1, offset);
    return (arg?.oneOf ?? []).map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, textEdit: { range, newText: v } }));
  }
  const range = rangeOf(file, cx.wordStart, offset);
  const declared = arg === undefined ? ANY : parseType(argumentTypeText(arg));
  const expected = expectedAt(declared, cx.open);
  const items: CompletionItem[] = [];
  for (const v of arg?.oneOf ?? []) items.push({ label: `"${v}"`, kind: CompletionItemKind.EnumMember, textEdit: { range, newText: `"${v}"` }, sortText: `0${v}` });
  if (expected.kind === "bool") {
    for (const v of ["true", "false"]) items.push({ label: v, kind: CompletionItemKind.Keyword, textEdit: { range, newText: v }, sortText: `0${v}` });
  }
  const env = analysis?.envAt(file.name, offset);
  if (env !== undefined) items.push(...referenceItems(env, expected, range));
  items.push(...stdlibItems(range));
  return items;
}

/**
 * What the body around the cursor already holds and may not hold twice: its attributes and its blocks that appear at
 * most once (by the parser's tree of the current text, when its innermost block there is the one the cursor is in).
 */
function presentIn(ast: File, offset: number, name: string | undefined, children: Readonly<Record<string, BlockSchema>>): Set<string> {
  const out = new Set<string>();
  let body: readonly Stmt[] = ast.body;
  let block: BlockStmt | undefined;
  for (;;) {
    const inner = body.find((s): s is BlockStmt => s.kind === "BlockStmt" && s.lcurly < offset && offset <= s.rcurly);
    if (inner === undefined) break;
    block = inner;
    body = inner.body;
  }
  if (block === undefined || name === undefined || blockName(block) !== name) return out;
  for (const s of body) {
    if (s.start <= offset && offset <= s.end) continue; // the statement being typed
    if (s.kind === "AttributeStmt") out.add(s.name.name);
    else if (Object.hasOwn(children, blockName(s)) && children[blockName(s)]?.repeatable === false) out.add(blockName(s));
  }
  return out;
}

/** The type expected at the cursor: the argument's, or its element's inside one `[`; unknown deeper in the value. */
function expectedAt(declared: AlloyType, open: string): AlloyType {
  if (open === "") return declared;
  if (open === "[" && declared.kind === "list") return declared.elem;
  return ANY;
}

/** Names at the start of a statement; a block comes with its braces (and label) as a snippet when the editor takes them. */
function statementItems(scope: Scope, declares: ReadonlyMap<string, { readonly env: Env }>, range: Range, snippets: boolean): CompletionItem[] {
  const items: CompletionItem[] = [];
  if (scope.kind === "config") {
    for (const [name, schema] of Object.entries(COMPONENTS)) {
      items.push({
        label: name,
        kind: CompletionItemKind.Class,
        detail: `component (${schema.stability})`,
        documentation: { kind: "markdown", value: describeComponent(name, schema) },
        textEdit: { range, newText: name },
      });
    }
    for (const name of Object.keys(CONFIG_BLOCKS)) {
      const url = docUrl(name, undefined);
      items.push({ label: name, kind: CompletionItemKind.Keyword, detail: "config block", documentation: url === undefined ? undefined : { kind: "markdown", value: `[Documentation](${url})` }, textEdit: { range, newText: name } });
    }
    for (const name of declares.keys()) {
      items.push({ label: name, kind: CompletionItemKind.Class, detail: "custom component (declare)", textEdit: { range, newText: name }, sortText: `0${name}` });
    }
    return items;
  }
  if (scope.kind === "custom") {
    for (const [name, block] of scope.decl.env.args ?? []) {
      const optional = block.stmt.body.some((s) => s.kind === "AttributeStmt" && s.name.name === "optional");
      items.push({ label: name, kind: CompletionItemKind.Property, detail: optional ? "argument (optional)" : "argument (required)", textEdit: { range, newText: `${name} = ` }, sortText: `${optional ? 1 : 0}${name}` });
    }
    return items;
  }
  if (scope.kind !== "block") return items;
  const block = scope.path[scope.path.length - 1] as BlockSchema;
  for (const [name, arg] of Object.entries(block.arguments)) {
    items.push({
      label: name,
      kind: CompletionItemKind.Property,
      detail: `${argumentTypeText(arg)}${arg.required === true ? " (required)" : ""}`,
      documentation: { kind: "markdown", value: describeArgument(name, arg) },
      textEdit: { range, newText: `${name} = ` },
      sortText: `${arg.required === true ? 0 : 1}${name}`,
      ...(arg.deprecated === true ? { tags: [1] } : {}),
    });
  }
  for (const [name, child] of Object.entries(childBlocks(scope.path, block))) {
    items.push({
      label: name,
      kind: CompletionItemKind.Struct,
      detail: `block${child.required === true ? " (required)" : ""}${child.repeatable === true ? ", repeatable" : ""}`,
      ...(snippets
        ? { textEdit: { range, newText: child.labeled === true ? `${name} "\${1:label}" {\n\t$0\n}` : `${name} {\n\t$0\n}` }, insertTextFormat: InsertTextFormat.Snippet }
        : { textEdit: { range, newText: name } }),
      sortText: `${child.required === true ? 0 : 2}${name}`,
    });
  }
  return items;
}

/**
 * `component.label.export` for every component in scope whose export fits the expected type (a `forward_to` offers
 * only receivers of its kind), and a module's `argument.NAME.value`. Exports of unknown type come last.
 */
function referenceItems(env: Env, expected: AlloyType, range: Range): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (let e: Env | undefined = env; e !== undefined; e = e.kind === "template" ? e.parent : undefined) {
    for (const comp of e.components.values()) {
      for (const [name, type] of exportsOf(comp)) {
        const known = type.kind !== "any";
        if (known && expected.kind !== "any" && !assignable(type, expected)) continue;
        const label = `${comp.id}.${name}`;
        items.push({ label, kind: CompletionItemKind.Reference, detail: typeToString(type), textEdit: { range, newText: label }, sortText: `${known ? 0 : 1}${label}` });
      }
    }
  }
  for (let e: Env | undefined = env; e !== undefined; e = e.parent) {
    if (e.kind !== "declare" && e.kind !== "module") continue;
    for (const name of e.args?.keys() ?? []) {
      const label = `argument.${name}.value`;
      items.push({ label, kind: CompletionItemKind.Variable, detail: "module argument", textEdit: { range, newText: label }, sortText: `0${label}` });
    }
    break;
  }
  return items;
}

function exportsOf(comp: Comp): [string, AlloyType][] {
  const def = comp.def;
  if (def.kind === "builtin") return Object.entries(def.schema.exports).map(([k, t]) => [k, parseType(t)]);
  if (def.kind === "custom") return [...def.decl.env.exports.keys()].map((k) => [k, def.decl.exportTypes.get(k) ?? ANY]);
  return [];
}

function stdlibItems(range: Range): CompletionItem[] {
  return Object.entries(STDLIB.entries).map(([name, entry]) => ({
    label: name,
    kind: entry.kind === "function" ? CompletionItemKind.Function : CompletionItemKind.Constant,
    detail: stdlibSignature(name, entry),
    textEdit: { range, newText: name },
    sortText: `3${name}`,
  }));
}
