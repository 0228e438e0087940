import type { BlockStmt, Expr, Ident } from "../ast/ast.ts";
import { Checker, type ModuleLoader } from "../check/checker.ts";
import { typeOf } from "../check/expr.ts";
import type { CheckOptions, Comp, Env, ExprContext, Located, ModuleRead } from "../check/model.ts";
import type { Diagnostic } from "../diag/diagnostic.ts";
import type { AlloyType } from "../schema/types.ts";
import type { SourceFile } from "../source/source-file.ts";
import { parse, type ParseResult } from "../syntax/parse.ts";

export interface AnalysisInput {
  /** The files of one config, in load order (a directory's `*.alloy` files, or a lone document). */
  readonly files: readonly { readonly filename: string; readonly text: string }[];
  /** Check an incomplete config (the checker's fragment mode). */
  readonly fragment: boolean;
  /** The files are a module (they declare `argument`/`export` blocks): checked as `import.file` would load them. */
  readonly module: boolean;
  readonly readModule: (path: string, fromFilename: string) => ModuleRead;
}

/** What a name in the config stands for: the block that defines it. */
export type Target =
  | { readonly kind: "component"; readonly comp: Comp }
  | { readonly kind: "argument"; readonly block: Located<BlockStmt>; readonly env: Env }
  | { readonly kind: "declare"; readonly block: Located<BlockStmt> }
  /** An `export` block of a custom component's declare (or of a module). */
  | { readonly kind: "export"; readonly block: Located<BlockStmt> }
  | { readonly kind: "import"; readonly block: Located<BlockStmt> };

/** A reference expression the checker resolved, and where its parts are. */
export interface Reference {
  readonly expr: Expr;
  readonly path: readonly string[];
  readonly file: SourceFile;
  readonly env: Env;
  /** undefined when the checker could not resolve it (it reported why). */
  readonly type: AlloyType | undefined;
  readonly target: Target | undefined;
  /** The identifiers of the path, in order (`a`, `b`, `c` of `a.b.c`). */
  readonly idents: readonly Ident[];
}

/** A component block header that names a definition: a custom component's `declare`, or an import namespace. */
export interface HeaderUse {
  readonly block: BlockStmt;
  readonly file: SourceFile;
  readonly target: Target;
}

/**
 * The checker, made to remember what the editor asks about: every reference with what it resolves to, every scope.
 * Everything comes from the checker's own resolution, so that navigation and diagnostics always agree.
 */
class RecordingChecker extends Checker {
  readonly references: Reference[] = [];
  readonly envs: Env[] = [];

  override newEnv(kind: Env["kind"], parent: Env | undefined, stmts: Located[], origin: string, importChain?: readonly string[]): Env {
    const env = super.newEnv(kind, parent, stmts, origin, importChain);
    this.envs.push(env);
    return env;
  }

  override resolveReference(path: string[], expr: Expr, cx: ExprContext): AlloyType | undefined {
    const type = super.resolveReference(path, expr, cx);
    this.references.push({ expr, path: [...path], file: cx.file, env: cx.env, type, target: this.targetOf(path, cx.env), idents: identsOf(expr) });
    return type;
  }

  targetOf(path: readonly string[], env: Env): Target | undefined {
    if (path[0] === "argument" && path[1] !== undefined) {
      const module = this.moduleOf(env);
      const block = module?.args?.get(path[1]);
      if (module !== undefined && block !== undefined) return { kind: "argument", block, env: module };
    }
    const found = this.findComponent(path, env);
    return found === undefined ? undefined : { kind: "component", comp: found[0] };
  }
}

/** The identifiers of a reference chain, outermost first. */
function identsOf(expr: Expr): Ident[] {
  const out: Ident[] = [];
  let e: Expr = expr;
  while (e.kind === "AccessExpr") {
    out.push(e.name);
    e = e.value;
  }
  if (e.kind === "IdentifierExpr") out.push(e.ident);
  return out.reverse();
}

/**
 * One check of one config, with what the editor features need: diagnostics, the parsed files, every reference and
 * what it names, the scopes and components. Replaced as a whole on every change (nothing grows across edits).
 */
export class Analysis {
  readonly diagnostics: readonly Diagnostic[];
  readonly parsed: ReadonlyMap<string, ParseResult>;
  readonly references: readonly Reference[];
  readonly headers: readonly HeaderUse[];
  readonly envs: readonly Env[];
  readonly components: readonly Comp[];
  readonly #checker: RecordingChecker;

  constructor(input: AnalysisInput, cache: ParseCache) {
    const parsed = new Map<string, ParseResult>();
    const syntax: Diagnostic[] = [];
    const stmts: Located[] = [];
    for (const f of input.files) {
      const p = cache.parse(f.filename, f.text);
      parsed.set(f.filename, p);
      for (const d of p.diagnostics) syntax.push(d);
      for (const stmt of p.file.body) stmts.push({ stmt, file: p.source });
    }
    const loadModule: ModuleLoader = (text, filename) => {
      const p = cache.parse(filename, text);
      parsed.set(filename, p);
      return { stmts: p.file.body.map((stmt) => ({ stmt, file: p.source })), diagnostics: p.diagnostics };
    };
    const options: CheckOptions = { fragment: input.fragment, readModule: input.readModule };
    const checker = new RecordingChecker(options, loadModule);
    const first = input.files[0]?.filename ?? "<stdin>";
    const root = checker.newEnv(input.module ? "module" : "root", undefined, stmts, first, input.module ? [first] : []);
    checker.run(root);
    this.#checker = checker;
    this.diagnostics = [...syntax, ...checker.diagnostics];
    this.parsed = parsed;
    this.references = checker.references;
    this.envs = checker.envs;
    this.components = checker.components;
    this.headers = headerUses(checker.components);
  }

  /** The inferred type of an expression written in `env` (problems inside it are not reported again). */
  typeOf(expr: Expr, env: Env, file: SourceFile): AlloyType {
    const checker = this.#checker;
    const count = checker.references.length;
    let type: AlloyType = { kind: "any" };
    checker.capture(() => {
      type = typeOf(expr, { env, file, node: undefined }, checker.services);
    });
    checker.references.length = count;
    return type;
  }

  /** The scope a position of a file is in: the innermost component, declare body or template holding it. */
  envAt(filename: string, offset: number): Env | undefined {
    let best: Env | undefined;
    let bestSize = Infinity;
    for (const c of this.components) {
      if (c.file.name !== filename || offset < c.block.start || offset > c.block.end) continue;
      const size = c.block.end - c.block.start;
      if (size < bestSize) {
        best = c.env;
        bestSize = size;
      }
    }
    if (best !== undefined) return best;
    for (const env of this.envs) {
      if (env.stmts.some((s) => s.file.name === filename && s.stmt.start <= offset && offset <= s.stmt.end)) {
        if (best === undefined || depth(env) > depth(best)) best = env;
      }
    }
    return best ?? this.envs[0];
  }
}

function depth(env: Env): number {
  let n = 0;
  for (let e = env.parent; e !== undefined; e = e.parent) n++;
  return n;
}

/** Component blocks whose name is a custom component (its `declare`) or goes through an import namespace. */
function headerUses(comps: readonly Comp[]): HeaderUse[] {
  const out: HeaderUse[] = [];
  for (const c of comps) {
    if (c.def.kind === "custom") {
      out.push({ block: c.block, file: c.file, target: { kind: "declare", block: { stmt: c.def.decl.block, file: c.def.decl.file } } });
    }
    const dot = c.name.indexOf(".");
    if (dot > 0) {
      const ns = importIn(c.env, c.name.slice(0, dot));
      if (ns !== undefined) out.push({ block: c.block, file: c.file, target: { kind: "import", block: ns } });
    }
  }
  return out;
}

function importIn(env: Env, name: string): Located<BlockStmt> | undefined {
  for (let e: Env | undefined = env; e !== undefined; e = e.parent) {
    const ns = e.imports.get(name);
    if (ns !== undefined) return { stmt: ns.block, file: ns.file };
  }
  return undefined;
}

/**
 * Parse results by file name and text: typing in one file of a directory re-parses that file only. Holds one entry per
 * file (the latest text), so memory does not grow with edits.
 */
export class ParseCache {
  readonly #entries = new Map<string, { text: string; result: ParseResult }>();

  parse(filename: string, text: string): ParseResult {
    const hit = this.#entries.get(filename);
    if (hit !== undefined && hit.text === text) return hit.result;
    const result = parse(text, { filename });
    this.#entries.set(filename, { text, result });
    return result;
  }

  forget(filename: string): void {
    this.#entries.delete(filename);
  }
}
