import { SymbolKind, type DocumentSymbol, type Location, type Range, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import { blockName, type BlockStmt, type Stmt } from "../ast/ast.ts";
import type { SourceFile } from "../source/source-file.ts";
import type { Analysis, Reference, Target } from "./analysis.ts";
import { rangeOf } from "./convert.ts";
import { definitionOf, exportOf, referenceAt, sameTarget, targetAt } from "./locate.ts";
import { uriOf } from "./workspace.ts";

/** The header of a definition block: its name and label, what an editor jumps to and highlights. */
function headerLocation(block: BlockStmt, file: SourceFile): Location {
  const end = block.labelPos !== undefined ? block.labelPos + (block.label?.length ?? 0) + 2 : block.namePos + blockName(block).length;
  return { uri: uriOf(file.name), range: rangeOf(file, block.namePos, end) };
}

export function definition(analysis: Analysis, filename: string, offset: number): Location | undefined {
  const target = targetAt(analysis, filename, offset);
  if (target === undefined) return undefined;
  const { block, file } = definitionOf(target);
  return headerLocation(block, file);
}

/** How many leading identifiers of a reference name its target (`loki.write.default` of `loki.write.default.receiver`). */
function targetSegments(target: Target): number {
  if (target.kind === "component") return target.comp.name.split(".").length + 1;
  return 2;
}

function referenceRange(ref: Reference, target: Target): Range {
  const n = Math.min(targetSegments(target), ref.idents.length);
  const first = ref.idents[0];
  const last = ref.idents[n - 1];
  return rangeOf(ref.file, first?.start ?? ref.expr.start, last?.end ?? ref.expr.end);
}

/** Every use of what the cursor names, across the files of the config; with its definition when asked. */
export function references(analysis: Analysis, filename: string, offset: number, includeDeclaration: boolean): Location[] {
  const target = targetAt(analysis, filename, offset);
  if (target === undefined) return [];
  const out: Location[] = [];
  const seen = new Set<string>();
  const add = (loc: Location) => {
    const key = `${loc.uri}:${loc.range.start.line}:${loc.range.start.character}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(loc);
  };
  if (includeDeclaration) {
    const { block, file } = definitionOf(target);
    add(headerLocation(block, file));
  }
  for (const ref of analysis.references) {
    if (target.kind === "export") {
      const exp = exportOf(ref);
      if (exp !== undefined && sameTarget(exp.target, target)) add({ uri: uriOf(ref.file.name), range: rangeOf(ref.file, exp.ident.start, exp.ident.end) });
    } else if (sameTarget(ref.target, target)) {
      add({ uri: uriOf(ref.file.name), range: referenceRange(ref, target) });
    }
  }
  for (const use of analysis.headers) {
    if (!sameTarget(use.target, target)) continue;
    const name = blockName(use.block);
    const len = target.kind === "import" ? (use.block.name[0]?.length ?? name.length) : name.length;
    add({ uri: uriOf(use.file.name), range: rangeOf(use.file, use.block.namePos, use.block.namePos + len) });
  }
  return out;
}

/** The label under the cursor that rename would change (a component's, in its header or in a reference). */
export function prepareRename(analysis: Analysis, filename: string, offset: number): { range: Range; placeholder: string } | undefined {
  const target = targetAt(analysis, filename, offset);
  if (target?.kind !== "component") return undefined;
  const ref = referenceAt(analysis, filename, offset);
  if (ref !== undefined) {
    const ident = ref.idents[targetSegments(target) - 1];
    if (ident === undefined) return undefined;
    return { range: rangeOf(ref.file, ident.start, ident.end), placeholder: ident.name };
  }
  const block = target.comp.block;
  if (block.labelPos === undefined || block.label === undefined) return undefined;
  return { range: rangeOf(target.comp.file, block.labelPos + 1, block.labelPos + 1 + block.label.length), placeholder: block.label };
}

export class RenameError extends Error {}

/** Renames a component's label: its header and every reference to it, in every file of the config. */
export function rename(analysis: Analysis, filename: string, offset: number, newName: string): WorkspaceEdit | undefined {
  const target = targetAt(analysis, filename, offset);
  if (target?.kind !== "component") return undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) throw new RenameError(`"${newName}" is not a valid component label (letters, digits and underscores, not starting with a digit)`);
  const comp = target.comp;
  const clash = comp.env.components.get(`${comp.name}.${newName}`);
  if (clash !== undefined && clash !== comp) throw new RenameError(`${comp.name} "${newName}" already exists`);
  const changes: Record<string, TextEdit[]> = {};
  const seen = new Set<string>();
  const edit = (file: SourceFile, start: number, end: number) => {
    // The checker may resolve one reference more than once (a declare's export value is typed twice).
    const key = `${file.name}:${start}`;
    if (seen.has(key)) return;
    seen.add(key);
    (changes[uriOf(file.name)] ??= []).push({ range: rangeOf(file, start, end), newText: newName });
  };
  const block = comp.block;
  if (block.labelPos !== undefined && block.label !== undefined) edit(comp.file, block.labelPos + 1, block.labelPos + 1 + block.label.length);
  for (const ref of analysis.references) {
    if (!sameTarget(ref.target, target)) continue;
    const ident = ref.idents[targetSegments(target) - 1];
    if (ident !== undefined) edit(ref.file, ident.start, ident.end);
  }
  return { changes };
}

/** The outline of a file: blocks (with their labels) and attributes, nested as written. */
export function documentSymbols(body: readonly Stmt[], file: SourceFile, topLevel = true): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const s of body) {
    if (s.kind === "AttributeStmt") {
      out.push({ name: s.name.name, kind: SymbolKind.Property, range: rangeOf(file, s.start, s.end), selectionRange: rangeOf(file, s.name.start, s.name.end) });
      continue;
    }
    const name = blockName(s);
    out.push({
      name: s.label === undefined ? name : `${name} "${s.label}"`,
      kind: symbolKind(name, topLevel),
      range: rangeOf(file, s.start, s.end),
      selectionRange: headerLocation(s, file).range,
      children: documentSymbols(s.body, file, name === "declare" || name === "template"),
    });
  }
  return out;
}

function symbolKind(name: string, topLevel: boolean): SymbolKind {
  if (!topLevel) return SymbolKind.Struct;
  if (name === "declare") return SymbolKind.Interface;
  if (name.startsWith("import.")) return SymbolKind.Namespace;
  if (name === "argument") return SymbolKind.Variable;
  if (name === "export") return SymbolKind.Constant;
  return SymbolKind.Class;
}
