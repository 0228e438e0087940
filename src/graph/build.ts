import { blockName, type BlockStmt, type Expr } from "../ast/ast.ts";
import { Checker, type ModuleLoader } from "../check/checker.ts";
import type { Comp, Env, ExprContext, Located, ModuleRead } from "../check/model.ts";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { configBlockSchema } from "../schema/index.ts";
import type { AlloyType } from "../schema/types.ts";
import type { SourceFile } from "../source/source-file.ts";
import { parse } from "../syntax/parse.ts";
import { flowOf } from "./flow.ts";
import { argumentAt } from "./locate.ts";
import type { ComponentGraph, GraphEdge, GraphGroup, GraphNode, NodeKind } from "./model.ts";

export interface GraphInputFile {
  readonly filename: string;
  readonly text: string;
}

export interface GraphOptions {
  /** Reads a module file named by `import.file` (as in `check`); without it, imported files are opaque. */
  readonly readModule?: (path: string, fromFilename: string) => ModuleRead;
}

export interface GraphResult {
  readonly graph: ComponentGraph;
  /**
   * Syntax errors, and the checker's findings about the graph itself: undefined references, unknown exports and
   * components, references of the wrong type, duplicate or missing labels, cycles, modules that can't be loaded.
   * Everything they concern is still drawn. Other problems (attribute values, ...) are `check`'s business.
   */
  readonly diagnostics: Diagnostic[];
}

/** Checker findings that say something about the graph (a broken node or edge is reported whatever its code). */
const GRAPH_CODES: ReadonlySet<string> = new Set([
  "UNDEFINED_REFERENCE",
  "UNKNOWN_EXPORT",
  "UNKNOWN_COMPONENT",
  "DUPLICATE_COMPONENT",
  "INVALID_LABEL",
  "CYCLE",
  "OPAQUE_IMPORT",
]);

/** Codes that make the reference they are reported at a broken edge. */
const BROKEN_REFERENCE_CODES: ReadonlySet<string> = new Set(["UNDEFINED_REFERENCE", "UNKNOWN_EXPORT", "TYPE_MISMATCH"]);

/** A reference the checker resolved (or failed to), with the scope it was written in. */
interface Reference {
  readonly path: readonly string[];
  readonly expr: Expr;
  readonly env: Env;
  readonly file: SourceFile;
  readonly type: AlloyType | undefined;
}

/**
 * The checker, made to remember every reference it resolves and the foreach block of every template scope. The graph
 * is then built from what the checker knows (scopes, components, export types), so that `graph` and `check` can never
 * disagree on what a reference names.
 */
class RecordingChecker extends Checker {
  readonly references: Reference[] = [];
  readonly templates = new Map<Env, BlockStmt>();
  #foreach: BlockStmt | undefined;

  override newEnv(kind: Env["kind"], parent: Env | undefined, stmts: Located[], origin: string): Env {
    const env = super.newEnv(kind, parent, stmts, origin);
    if (kind === "template" && this.#foreach !== undefined) this.templates.set(env, this.#foreach);
    return env;
  }

  override checkForeach(b: Located<BlockStmt>, env: Env): void {
    const outer = this.#foreach;
    this.#foreach = b.stmt;
    try {
      super.checkForeach(b, env);
    } finally {
      this.#foreach = outer;
    }
  }

  override resolveReference(path: string[], expr: Expr, cx: ExprContext): AlloyType | undefined {
    const type = super.resolveReference(path, expr, cx);
    this.references.push({ path: [...path], expr, env: cx.env, file: cx.file, type });
    return type;
  }
}

/**
 * The component graph of one config (a file, or the files of a directory, which Alloy loads as one config). Pure and
 * synchronous; never throws on bad input: what can't be resolved is drawn as broken and reported.
 */
export function buildGraph(files: readonly GraphInputFile[], options: GraphOptions = {}): GraphResult {
  const syntax: Diagnostic[] = [];
  const stmts: Located[] = [];
  for (const f of files) {
    const parsed = parse(f.text, { filename: f.filename });
    for (const d of parsed.diagnostics) syntax.push(d); // not push(...): a file of noise has 100,000s of them
    for (const stmt of parsed.file.body) stmts.push({ stmt, file: parsed.source });
  }
  const loadModule: ModuleLoader = (text, filename) => {
    const parsed = parse(text, { filename });
    return { stmts: parsed.file.body.map((stmt) => ({ stmt, file: parsed.source })), diagnostics: parsed.diagnostics };
  };
  const checker = new RecordingChecker({ readModule: options.readModule }, loadModule);
  const root = checker.newEnv("root", undefined, stmts, files[0]?.filename ?? "<stdin>");
  checker.run(root);
  const assembly = new Assembly(checker);
  assembly.visit(root, undefined);
  assembly.connect();
  const reported = checker.diagnostics.filter((d) => GRAPH_CODES.has(d.code) || assembly.blamed.has(d));
  const diagnostics = sortDiagnostics([...syntax, ...reported, ...assembly.extra], files);
  return { graph: { nodes: assembly.nodes, edges: assembly.edges, groups: assembly.groups }, diagnostics };
}

/** Lays out nodes and groups in the order the config is written, then turns the recorded references into edges. */
class Assembly {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  readonly groups: GraphGroup[] = [];
  /** Checker diagnostics that a node or an edge of the graph shows. */
  readonly blamed = new Set<Diagnostic>();
  /** Diagnostics of river graph's own (a block drawn that the checker said nothing about). */
  readonly extra: Diagnostic[] = [];
  readonly #checker: RecordingChecker;
  readonly #byBlock = new Map<BlockStmt, GraphNode>();
  readonly #byComp = new Map<Comp, GraphNode>();
  /**
   * Blocks that take part in the graph only when they hold a reference: config blocks (`logging { write_to = ... }`),
   * imports of modules river can't load, a foreach's `collection`.
   */
  readonly #lazy = new Map<BlockStmt, { file: SourceFile; group: string | undefined }>();
  readonly #unknown = new Map<string, GraphNode>();
  readonly #edgeKeys = new Set<string>();
  /** The first error the checker reported at each `filename:offset` (built when a broken block needs its reason). */
  #errorsAt: Map<string, Diagnostic> | undefined;
  /** Each scope's top-level blocks per file, in source order (see #blockAt). */
  readonly #statements = new Map<Env, Map<SourceFile, BlockStmt[]>>();

  constructor(checker: RecordingChecker) {
    this.#checker = checker;
  }

  visit(env: Env, group: string | undefined): void {
    for (const { stmt, file } of env.stmts) {
      if (stmt.kind !== "BlockStmt") continue;
      const name = blockName(stmt);
      const label = stmt.label;
      if (name === "declare") {
        const d = label === undefined ? undefined : env.declares.get(label);
        if (d === undefined || d.block !== stmt) this.#broken(stmt, file, group);
        else this.visit(d.env, this.#group("declare", `declare "${label}"`, group));
      } else if (name.startsWith("import.")) {
        const ns = label === undefined ? undefined : env.imports.get(label);
        if (ns === undefined || ns.block !== stmt) this.#broken(stmt, file, group);
        else if (ns.module !== undefined) this.visit(ns.module, this.#group("module", `${name} "${label}"`, group));
        else this.#lazy.set(stmt, { file, group });
      } else if (name === "foreach") {
        const g = this.#group("foreach", label === undefined ? "foreach" : `foreach "${label}"`, group);
        this.#lazy.set(stmt, { file, group: g });
        for (const [template, owner] of this.#checker.templates) if (owner === stmt) this.visit(template, g);
      } else if (name === "argument" || name === "export") {
        const map = name === "argument" ? env.args : env.exports;
        if (map !== undefined && label !== undefined && map.get(label)?.stmt === stmt) this.#add(name, stmt, file, group, name, label);
        else this.#broken(stmt, file, group);
      } else if (configBlockSchema(name) !== undefined) {
        this.#lazy.set(stmt, { file, group });
      } else {
        const comp = label === undefined ? undefined : env.components.get(`${name}.${label}`);
        if (comp === undefined || comp.block !== stmt) {
          this.#broken(stmt, file, group);
          // The checker skipped its body: walk it for references, so that what it reads is drawn too.
          for (const s of stmt.body) this.#checker.walkOpaque(s, { env, file, node: undefined });
          continue;
        }
        const kind: NodeKind = comp.def.kind === "builtin" ? "component" : comp.def.kind === "custom" ? "custom" : "opaque";
        this.#byComp.set(comp, this.#add(kind, stmt, file, group, name, label));
      }
    }
  }

  /** Turns every recorded reference into an edge (and an unknown node where it names nothing). */
  connect(): void {
    const diagsAt = new Map<string, Diagnostic[]>();
    for (const d of this.#checker.diagnostics) {
      if (d.severity !== "error" || !BROKEN_REFERENCE_CODES.has(d.code)) continue;
      const key = `${d.filename}:${d.start}`;
      const list = diagsAt.get(key);
      if (list === undefined) diagsAt.set(key, [d]);
      else list.push(d);
    }
    for (const ref of this.#checker.references) {
      const owner = this.#owner(ref);
      if (owner === undefined) continue;
      const site = argumentAt(owner.block, ref.expr.start);
      if (site === undefined) continue;
      const problems = (diagsAt.get(`${ref.file.name}:${ref.expr.start}`) ?? []).filter((d) => (d.end ?? 0) >= ref.expr.end);
      const target = this.#target(ref, owner.node, problems);
      if (target === undefined) continue;
      const problem = problems[0];
      if (problem !== undefined) this.blamed.add(problem);
      const how = flowOf(target.type, site.path) ?? flowOf(site.expected, site.path) ?? { flow: "value" as const, pushed: false };
      const [from, to] = how.pushed ? [owner.node.id, target.node.id] : [target.node.id, owner.node.id];
      const key = `${from}\0${to}\0${target.export}\0${site.path}`;
      if (this.#edgeKeys.has(key)) continue;
      this.#edgeKeys.add(key);
      this.edges.push({
        from,
        to,
        flow: how.flow,
        export: target.export,
        argument: site.path,
        pushed: how.pushed,
        ...(problem === undefined ? {} : { problem: problem.message }),
      });
    }
    const order = new Map(this.nodes.map((n, i) => [n.id, i]));
    const rank = (id: string) => order.get(id) as number;
    this.edges.sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to) || cmp(a.export, b.export) || cmp(a.argument, b.argument));
  }

  /** The block that holds a reference, and its node. */
  #owner(ref: Reference): { block: BlockStmt; node: GraphNode } | undefined {
    const block = this.#blockAt(ref.env, ref.file, ref.expr.start);
    if (block === undefined) return undefined;
    const node = this.#nodeOf(block);
    return node === undefined ? undefined : { block, node };
  }

  /** The node of a block, made now for a lazy one (a config block, a foreach) that only now takes part. */
  #nodeOf(block: BlockStmt): GraphNode | undefined {
    const node = this.#byBlock.get(block);
    if (node !== undefined) return node;
    const lazy = this.#lazy.get(block);
    if (lazy === undefined) return undefined;
    const name = blockName(block);
    return this.#add(name === "foreach" ? "foreach" : "block", block, lazy.file, lazy.group, name, block.label);
  }

  /** The top-level block of a scope that holds `offset` of `file`, by binary search (a config may have thousands). */
  #blockAt(env: Env, file: SourceFile, offset: number): BlockStmt | undefined {
    let byFile = this.#statements.get(env);
    if (byFile === undefined) {
      byFile = new Map();
      for (const { stmt, file: f } of env.stmts) {
        if (stmt.kind !== "BlockStmt") continue;
        const list = byFile.get(f);
        if (list === undefined) byFile.set(f, [stmt]);
        else list.push(stmt);
      }
      this.#statements.set(env, byFile);
    }
    const blocks = byFile.get(file) ?? [];
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((blocks[mid] as BlockStmt).start <= offset) lo = mid;
      else hi = mid - 1;
    }
    const block = blocks[lo];
    return block !== undefined && block.start <= offset && offset < block.end ? block : undefined;
  }

  /**
   * What a reference names: a component, a module argument, a foreach variable, or (when it names nothing) an unknown
   * node. Undefined for the standard library.
   */
  #target(
    ref: Reference,
    owner: GraphNode,
    problems: readonly Diagnostic[],
  ): { node: GraphNode; export: string; type: AlloyType | undefined } | undefined {
    const found = this.#checker.findComponent(ref.path, ref.env);
    if (found !== undefined) {
      const node = this.#byComp.get(found[0]);
      return node === undefined ? undefined : { node, export: ref.path.slice(found[1]).join("."), type: ref.type };
    }
    const head = ref.path[0] as string;
    for (let e: Env | undefined = ref.env; e !== undefined; e = e.parent) {
      if (!e.locals.has(head)) continue;
      // A foreach variable: one item of the collection, so an edge from the foreach.
      const foreach = this.#checker.templates.get(e);
      const node = foreach === undefined ? undefined : this.#nodeOf(foreach);
      return node === undefined ? undefined : { node, export: ref.path.join("."), type: undefined };
    }
    if (head === "argument") {
      const arg = this.#checker.moduleOf(ref.env)?.args?.get(ref.path[1] ?? "");
      const node = arg === undefined ? undefined : this.#byBlock.get(arg.stmt);
      if (node !== undefined) return { node, export: ref.path.slice(2).join("."), type: ref.type };
    }
    const undefinedRef = problems.find((d) => d.code === "UNDEFINED_REFERENCE");
    if (undefinedRef === undefined) return undefined; // the standard library
    // The component part of the path: everything but the export name, as the checker guesses it.
    const name = ref.path.length > 2 ? ref.path.slice(0, -1).join(".") : ref.path.join(".");
    const key = `${owner.group ?? ""}\0${name}`;
    let node = this.#unknown.get(key);
    if (node === undefined) {
      node = {
        id: `n${this.nodes.length}`,
        kind: "unknown",
        name,
        label: undefined,
        group: owner.group,
        filename: ref.file.name,
        line: ref.file.position(ref.expr.start).line,
        problem: undefinedRef.message,
      };
      this.nodes.push(node);
      this.#unknown.set(key, node);
    }
    return { node, export: ref.path.length > 2 ? (ref.path[ref.path.length - 1] as string) : "", type: undefined };
  }

  #add(kind: NodeKind, block: BlockStmt, file: SourceFile, group: string | undefined, name: string, label: string | undefined, problem?: string): GraphNode {
    const node: GraphNode = {
      id: `n${this.nodes.length}`,
      kind,
      name,
      label,
      group,
      filename: file.name,
      line: file.position(block.namePos).line,
      ...(problem === undefined ? {} : { problem }),
    };
    this.nodes.push(node);
    this.#byBlock.set(block, node);
    return node;
  }

  /** A block that is not a component, declare or import: drawn all the same, with the checker's reason. */
  #broken(block: BlockStmt, file: SourceFile, group: string | undefined): void {
    const headerEnd = Math.max(block.namePos + 1, block.lcurly + 1);
    if (this.#errorsAt === undefined) {
      this.#errorsAt = new Map();
      for (const d of this.#checker.diagnostics) {
        const key = `${d.filename}:${d.start}`;
        if (d.severity === "error" && !this.#errorsAt.has(key)) this.#errorsAt.set(key, d);
      }
    }
    let why: Diagnostic | undefined;
    for (let at = block.namePos; why === undefined && at < headerEnd; at++) why = this.#errorsAt.get(`${file.name}:${at}`);
    const name = blockName(block);
    let message: string;
    if (why !== undefined) {
      this.blamed.add(why);
      message = why.message;
    } else {
      message = `${name} is not a component river can place in the graph (every component needs a label: ${name} "<label>" { ... })`;
      this.extra.push(diagnosticAt(file, "error", "UNPLACED_BLOCK", message, block.namePos, headerEnd));
    }
    this.#add("broken", block, file, group, name, block.label, message);
  }

  #group(kind: GraphGroup["kind"], title: string, parent: string | undefined): string {
    const id = `g${this.groups.length}`;
    this.groups.push({ id, kind, title, parent });
    return id;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By file (in the order given), then position, as `check` orders them. */
function sortDiagnostics(diags: Diagnostic[], files: readonly GraphInputFile[]): Diagnostic[] {
  const order = new Map(files.map((f, i) => [f.filename, i]));
  const rank = (d: Diagnostic) => order.get(d.filename) ?? files.length;
  return diags.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      cmp(a.filename, b.filename) ||
      a.line - b.line ||
      a.column - b.column ||
      cmp(a.code, b.code) ||
      cmp(a.message, b.message),
  );
}
