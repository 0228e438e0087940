import { blockName, type AttributeStmt, type BlockStmt, type Expr, type File, type Ident } from "../ast/ast.ts";
import { children, isExpr } from "../ast/walk.ts";
import type { SourceFile } from "../source/source-file.ts";
import type { Analysis, Reference, Target } from "./analysis.ts";

/** What the cursor is on in a parsed file. */
export type Spot =
  | { readonly kind: "blockName"; readonly block: BlockStmt; readonly outer: readonly string[] }
  | { readonly kind: "blockLabel"; readonly block: BlockStmt; readonly outer: readonly string[] }
  | { readonly kind: "attribute"; readonly attr: AttributeStmt; readonly outer: readonly string[] }
  | {
      readonly kind: "expr";
      readonly expr: Expr;
      /** The whole dotted name the innermost expression is part of (`sys.env` when on `sys`), or the expression. */
      readonly name: Expr;
      readonly attr: AttributeStmt;
      readonly outer: readonly string[];
    }
  | { readonly kind: "none" };

/** The statement part under `offset`; `outer` names the blocks around it, outermost first. */
export function spotAt(file: File, offset: number): Spot {
  const outer: string[] = [];
  let body = file.body;
  for (;;) {
    const stmt = body.find((s) => s.start <= offset && offset <= s.end);
    if (stmt === undefined) return { kind: "none" };
    if (stmt.kind === "BlockStmt") {
      const name = blockName(stmt);
      if (offset <= stmt.namePos + name.length && offset >= stmt.namePos) return { kind: "blockName", block: stmt, outer };
      if (stmt.labelPos !== undefined && offset >= stmt.labelPos && offset <= stmt.labelPos + (stmt.label?.length ?? 0) + 2) {
        return { kind: "blockLabel", block: stmt, outer };
      }
      if (offset <= stmt.lcurly || offset > stmt.rcurly) return { kind: "none" };
      outer.push(name);
      body = stmt.body;
      continue;
    }
    if (offset <= stmt.name.end) return { kind: "attribute", attr: stmt, outer };
    const chain = exprsAt(stmt.value, offset);
    const expr = chain[chain.length - 1];
    if (expr === undefined) return { kind: "none" };
    let name = chain.length - 1;
    while (name > 0 && chain[name - 1]?.kind === "AccessExpr" && (chain[name]?.kind === "AccessExpr" || chain[name]?.kind === "IdentifierExpr")) name--;
    return { kind: "expr", expr, name: chain[name] as Expr, attr: stmt, outer };
  }
}

/** The expressions holding `offset`, outermost first (iterative: an expression may be 1,000 levels deep). */
function exprsAt(root: Expr, offset: number): Expr[] {
  if (offset < root.start || offset > root.end) return [];
  const out: Expr[] = [root];
  let cur: Expr = root;
  for (;;) {
    let next: Expr | undefined;
    for (const kid of children(cur)) {
      if (kid.kind === "ObjectField") {
        if (kid.value.start <= offset && offset <= kid.value.end) next = kid.value;
      } else if (isExpr(kid) && kid.start <= offset && offset <= kid.end) next = kid;
    }
    if (next === undefined) return out;
    out.push(next);
    cur = next;
  }
}

/** The resolved reference whose expression holds `offset` in `filename` (the innermost, when they nest). */
export function referenceAt(analysis: Analysis, filename: string, offset: number): Reference | undefined {
  let best: Reference | undefined;
  for (const r of analysis.references) {
    if (r.file.name !== filename || offset < r.expr.start || offset > r.expr.end) continue;
    if (best === undefined || r.expr.end - r.expr.start < best.expr.end - best.expr.start) best = r;
  }
  return best;
}

/** The definition a name under the cursor stands for: in a reference, or on a block header. */
export function targetAt(analysis: Analysis, filename: string, offset: number): Target | undefined {
  const ref = referenceAt(analysis, filename, offset);
  if (ref?.target !== undefined) {
    const exp = exportOf(ref);
    if (exp !== undefined && offset >= exp.ident.start) return exp.target;
    return ref.target;
  }
  const parsed = analysis.parsed.get(filename);
  if (parsed === undefined) return undefined;
  const spot = spotAt(parsed.file, offset);
  if (spot.kind !== "blockName" && spot.kind !== "blockLabel") return undefined;
  const block = spot.block;
  if (spot.kind === "blockName") {
    const uses = analysis.headers.filter((h) => h.block === block);
    const ns = uses.find((u) => u.target.kind === "import");
    if (ns !== undefined && offset <= block.namePos + (block.name[0]?.length ?? 0)) return ns.target;
    const decl = uses.find((u) => u.target.kind === "declare");
    if (decl !== undefined) return decl.target;
  }
  const comp = analysis.components.find((c) => c.block === block);
  if (comp !== undefined) return { kind: "component", comp };
  const name = blockName(block);
  const file = parsed.source;
  if (name === "declare") return { kind: "declare", block: { stmt: block, file } };
  if (name.startsWith("import.")) return { kind: "import", block: { stmt: block, file } };
  if (name === "export") {
    const env = analysis.envs.find((e) => e.exports.get(block.label ?? "")?.stmt === block);
    if (env !== undefined) return { kind: "export", block: { stmt: block, file } };
  }
  if (name === "argument") {
    const env = analysis.envs.find((e) => e.args?.get(block.label ?? "")?.stmt === block);
    if (env !== undefined) return { kind: "argument", block: { stmt: block, file }, env };
  }
  return undefined;
}

/**
 * The export of a custom component a reference reads (`out` of `lib.shout.x.out`), with its identifier: references to
 * an `export` block are the reads of it through each instance.
 */
export function exportOf(ref: Reference): { target: Target; ident: Ident } | undefined {
  if (ref.target?.kind !== "component" || ref.target.comp.def.kind !== "custom") return undefined;
  const segments = ref.target.comp.name.split(".").length + 1;
  const ident = ref.idents[segments];
  const block = ident === undefined ? undefined : ref.target.comp.def.decl.env.exports.get(ident.name);
  return block === undefined || ident === undefined ? undefined : { target: { kind: "export", block }, ident };
}

/** The block that defines a target. */
export function definitionOf(target: Target): { block: BlockStmt; file: SourceFile } {
  if (target.kind === "component") return { block: target.comp.block, file: target.comp.file };
  return { block: target.block.stmt, file: target.block.file };
}

export function sameTarget(a: Target | undefined, b: Target): boolean {
  if (a === undefined) return false;
  return definitionOf(a).block === definitionOf(b).block;
}
