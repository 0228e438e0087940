import { dirname, isAbsolute, join, normalize } from "node:path";
import { blockName, type AttributeStmt, type BlockStmt, type Expr, type Stmt } from "../ast/ast.ts";
import { diagnosticAt, type Diagnostic, type Severity } from "../diag/diagnostic.ts";
import {
  COMPONENTS,
  CONFIG_BLOCKS,
  STDLIB,
  childBlocks,
  componentSchema,
  configBlockSchema,
  stdlibAlias,
  stdlibEntry,
} from "../schema/index.ts";
import type { ArgumentSchema, BlockSchema } from "../schema/model.ts";
import { ANY, fieldType, list, object, parseType, type AlloyType } from "../schema/types.ts";
import type { SourceFile } from "../source/source-file.ts";
import { checkValue, closestStdlibName, typeOf, type ExprServices } from "./expr.ts";
import type { CheckOptions, Comp, CompDef, DeclareDef, Env, ExprContext, ImportNs, Located, Reporter } from "./model.ts";
import { checkBlockRules, checkArgumentRules } from "./rules/index.ts";
import { betterMatch, closestMatch, indexFor, suggestion, suggestionText, type Match } from "./suggest.ts";
import { decodeString, fold, foldKnown } from "../eval/fold.ts";

/**
 * How many modules deep `import.file` may nest. Alloy sets no limit, but checking recurses once per level, and a chain
 * this long is a generated mistake, not a config: past it, an error instead of a stack overflow.
 */
const MAX_IMPORT_DEPTH = 100;

/** Config blocks that may appear at most once, unlabeled, at the top level. */
const SINGLETON_CONFIG = new Set(["logging", "tracing", "http", "remotecfg", "livedebugging"]);

/** First segments of builtin component names (`loki`, `prometheus`, `otelcol`, ...). */
function builtinNamespaces(): Set<string> {
  return new Set(Object.keys(COMPONENTS).map((n) => n.split(".")[0] as string));
}

export interface ParsedModule {
  readonly stmts: Located[];
}

/** Parses module source for import.string / import.file; provided by the caller (it owns the parser). */
export type ModuleLoader = (text: string, filename: string) => { stmts: Located[]; diagnostics: Diagnostic[] } | undefined;

/**
 * One check run. Everything mutable lives here, so that `check()` stays a pure function of its input.
 */
export class Checker {
  readonly diagnostics: Diagnostic[] = [];
  readonly #options: CheckOptions;
  readonly #typeCache = new Map<string, AlloyType>();
  readonly #namespaces = builtinNamespaces();
  readonly #loadModule: ModuleLoader;
  readonly #allComps: Comp[] = [];
  readonly #seen = new Set<string>();

  constructor(options: CheckOptions, loadModule: ModuleLoader) {
    this.#options = options;
    this.#loadModule = loadModule;
    this.services = {
      report: (...a) => this.report(...a),
      resolveReference: (path, expr, cx) => this.resolveReference(path, expr, cx),
      type: (t) => this.type(t),
      fragment: options.fragment === true,
    };
  }

  get fragment(): boolean {
    return this.#options.fragment === true;
  }

  report: Reporter = (file, severity, code, message, start, end) => {
    const key = dedupKey(file.name, start, Math.max(end, start), code, message);
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.diagnostics.push(diagnosticAt(file, severity, code, message, start, end));
  };

  type(text: string): AlloyType {
    let t = this.#typeCache.get(text);
    if (t === undefined) {
      t = parseType(text);
      this.#typeCache.set(text, t);
    }
    return t;
  }

  argType(arg: ArgumentSchema): AlloyType {
    if (arg.goType === "[]discovery.Target") return this.type("[]discovery.Target");
    if (arg.goType === "discovery.Target") return this.type("discovery.Target");
    return this.type(arg.type);
  }

  readonly services: ExprServices;

  // ---------------------------------------------------------------- modules

  newEnv(kind: Env["kind"], parent: Env | undefined, stmts: Located[], origin: string, importChain = parent?.importChain ?? []): Env {
    return {
      kind,
      parent,
      components: new Map(),
      declares: new Map(),
      imports: new Map(),
      args: kind === "declare" || kind === "module" ? new Map() : undefined,
      exports: new Map(),
      locals: new Map(),
      stmts,
      origin,
      importChain,
    };
  }

  /** Registers the declarations of a module body: components, declares, imports, arguments, exports. */
  collect(env: Env): void {
    const singletons = new Map<string, Located<BlockStmt>>();
    for (const loc of env.stmts) {
      const { stmt, file } = loc;
      if (stmt.kind === "AttributeStmt") {
        if (env.kind !== "template" && !this.fragment) {
          this.report(file, "error", "UNEXPECTED_ATTRIBUTE", `attribute "${stmt.name.name}" is not allowed here; only blocks (components and config blocks) may appear at the top level of a config`, stmt.name.start, stmt.name.end);
        }
        continue;
      }
      const name = blockName(stmt);
      const b = loc as Located<BlockStmt>;
      if (SINGLETON_CONFIG.has(name)) {
        if (env.kind !== "root") this.report(file, "error", "UNEXPECTED_BLOCK", `the ${name} block is only allowed at the top level of the main config, not inside a module`, stmt.namePos, stmt.namePos + name.length);
        const prev = singletons.get(name);
        if (prev !== undefined) this.duplicate(b, `the ${name} block`, prev);
        else singletons.set(name, b);
        continue;
      }
      if (name === "declare") {
        if (env.kind === "template") this.report(file, "error", "UNEXPECTED_BLOCK", "declare blocks are not allowed inside a foreach template; declare the component outside the foreach", stmt.namePos, stmt.namePos + 7);
        const label = this.requireLabel(b, "declare");
        if (label === undefined) continue;
        const prev = env.declares.get(label);
        if (prev !== undefined) {
          this.duplicate(b, `declare "${label}"`, { stmt: prev.block, file: prev.file });
          continue;
        }
        const inner = this.newEnv("declare", env, stmt.body.map((s) => ({ stmt: s, file })), file.name);
        env.declares.set(label, { name: label, block: stmt, file, env: inner, exportTypes: new Map(), state: "new" });
        continue;
      }
      if (name.startsWith("import.")) {
        const label = this.requireLabel(b, name);
        if (label === undefined) continue;
        const prev = env.imports.get(label);
        if (prev !== undefined) {
          this.duplicate(b, `import namespace "${label}"`, { stmt: prev.block, file: prev.file });
          continue;
        }
        env.imports.set(label, this.loadImport(b, name, label, env));
        continue;
      }
      if (name === "argument" || name === "export") {
        const label = this.requireLabel(b, name);
        if (label === undefined) continue;
        const map = name === "argument" ? env.args : env.exports;
        if (map === undefined || (env.kind !== "declare" && env.kind !== "module")) {
          this.report(file, "error", "UNEXPECTED_BLOCK", `${name} blocks are only allowed inside a module (a declare block or an imported file)`, stmt.namePos, stmt.namePos + name.length);
          continue;
        }
        const prev = map.get(label);
        if (prev !== undefined) this.duplicate(b, `${name} "${label}"`, prev);
        else map.set(label, b);
        continue;
      }
      if (name === "foreach") {
        this.requireLabel(b, "foreach");
        continue;
      }
      // A component (builtin, custom or imported).
      if (this.fragment && stmt.label === undefined && componentSchema(name) === undefined && this.looseBlocks.has(name)) {
        // A docs snippet showing one block of a component on its own (`stage.drop { ... }`): checked in checkEnv.
        continue;
      }
      const def = this.resolveComponentDef(name, env, b);
      if (def === undefined) continue;
      if (stmt.label === undefined && def.kind === "opaque") continue;
      if (stmt.label === undefined) {
        this.report(file, "error", "MISSING_LABEL", `component ${name} needs a label: ${name} "<label>" { ... }`, stmt.namePos, stmt.lcurly + 1);
        continue;
      }
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(stmt.label)) {
        const at = stmt.labelPos ?? stmt.namePos;
        this.report(file, "error", "INVALID_LABEL", `component label "${stmt.label}" must be an identifier (letters, digits and underscores, not starting with a digit)`, at, at + stmt.label.length + 2);
      }
      const id = `${name}.${stmt.label}`;
      const prev = env.components.get(id);
      if (prev !== undefined) {
        this.duplicate(b, `component ${name} "${stmt.label}"`, { stmt: prev.block, file: prev.file }, "DUPLICATE_COMPONENT");
        continue;
      }
      const comp: Comp = { id, name, label: stmt.label, block: stmt, file, def, env, refs: new Set(), used: false };
      env.components.set(id, comp);
      this.#allComps.push(comp);
    }
  }

  duplicate(b: Located<BlockStmt>, what: string, prev: Located<BlockStmt>, code = "DUPLICATE_BLOCK"): void {
    const p = prev.file.position(prev.stmt.namePos);
    const end = b.stmt.labelPos !== undefined ? b.stmt.labelPos + (b.stmt.label?.length ?? 0) + 2 : b.stmt.namePos + blockName(b.stmt).length;
    this.report(b.file, "error", code, `${what} is already defined at ${prev.file.name}:${p.line}:${p.column}; rename or remove one of them`, b.stmt.namePos, end);
  }

  requireLabel(b: Located<BlockStmt>, name: string): string | undefined {
    if (b.stmt.label === undefined) {
      this.report(b.file, "error", "MISSING_LABEL", `the ${name} block needs a label: ${name} "<name>" { ... }`, b.stmt.namePos, b.stmt.lcurly + 1);
      return undefined;
    }
    return b.stmt.label;
  }

  loadImport(b: Located<BlockStmt>, kind: string, label: string, env: Env): ImportNs {
    const { stmt, file } = b;
    const opaque: ImportNs = { name: label, block: stmt, file, source: kind, module: undefined };
    const attr = (n: string) => stmt.body.find((s): s is AttributeStmt => s.kind === "AttributeStmt" && s.name.name === n);
    let text: string | undefined;
    let filename = `${file.name}#import.${label}`;
    let chain = env.importChain.length > 0 ? env.importChain : [normalize(file.name)];
    if (kind === "import.string") {
      const content = attr("content");
      text = content === undefined ? undefined : decodeString(fold(content.value));
    } else if (kind === "import.file") {
      const fn = attr("filename");
      const path = fn === undefined ? undefined : decodeString(fold(fn.value));
      if (fn !== undefined && path !== undefined) {
        filename = modulePath(path, file.name);
        const seen = chain.indexOf(filename);
        if (seen >= 0) {
          const cycle = [...chain.slice(seen), filename].join(" -> ");
          this.report(file, "error", "IMPORT_CYCLE", `import cycle detected: ${cycle}; a module can't import itself, directly or through other modules; remove one of these imports`, fn.value.start, fn.value.end);
          return opaque;
        }
        if (chain.length > MAX_IMPORT_DEPTH) {
          this.report(file, "error", "IMPORT_DEPTH", `imports nest more than ${MAX_IMPORT_DEPTH} modules deep (${chain[0]} -> ... -> ${chain[chain.length - 1]} -> ${filename}); flatten the chain of imports`, fn.value.start, fn.value.end);
          return opaque;
        }
        chain = [...chain, filename];
        const read = this.#options.readModule?.(path, file.name);
        if (typeof read === "object") {
          this.report(file, "error", "INVALID_IMPORT", `${read.error}; import.file needs a regular file (or a directory) of Alloy declarations`, fn.value.start, fn.value.end);
          return opaque;
        }
        text = read;
      }
    }
    if (text !== undefined) {
      const loaded = this.#loadModule(text, filename);
      if (loaded !== undefined) {
        for (const d of loaded.diagnostics) this.diagnostics.push(d);
        const module = this.newEnv("module", env, loaded.stmts, filename, chain);
        this.collect(module);
        return { name: label, block: stmt, file, source: kind, module };
      }
    }
    const why =
      kind === "import.string" ? "its content is not a constant string" :
      kind === "import.file" ? "the file can't be read here" :
      `${kind} modules are fetched at run time`;
    this.report(file, "warning", "OPAQUE_IMPORT", `module "${label}" can't be checked offline (${why}); components from namespace ${label} are not checked`, stmt.namePos, stmt.namePos + kind.length);
    return opaque;
  }

  /** What a component block name refers to: a declare in scope, an imported module's declare, or a builtin. */
  resolveComponentDef(name: string, env: Env, b: Located<BlockStmt> | undefined): CompDef | undefined {
    for (let e: Env | undefined = env; e !== undefined; e = e.parent) {
      const d = e.declares.get(name);
      if (d !== undefined) return { kind: "custom", decl: d };
      const dot = name.indexOf(".");
      if (dot > 0) {
        const ns = e.imports.get(name.slice(0, dot));
        if (ns !== undefined) {
          if (ns.module === undefined) return { kind: "opaque" };
          const inner = this.resolveComponentDef(name.slice(dot + 1), { ...ns.module, parent: undefined }, undefined);
          if (inner !== undefined) return inner;
          if (b !== undefined) {
            const names = [...ns.module.declares.keys()].map((n) => `${ns.name}.${n}`);
            this.report(b.file, "error", "UNKNOWN_COMPONENT", `module "${ns.name}" has no component ${name.slice(dot + 1)}${suggestion(name, names)}`, b.stmt.namePos, b.stmt.namePos + name.length);
          }
          return undefined;
        }
      }
    }
    const schema = componentSchema(name);
    if (schema !== undefined) return { kind: "builtin", name, schema };
    if (b === undefined) return undefined;
    const first = name.split(".")[0] as string;
    const declared: string[] = [];
    for (let e: Env | undefined = env; e !== undefined; e = e.parent) declared.push(...e.declares.keys());
    const builtin = indexFor(COMPONENTS, () => [...Object.keys(COMPONENTS), ...Object.keys(CONFIG_BLOCKS)]).closest(name);
    const hint = suggestionText(betterMatch(builtin, closestMatch(name, declared)));
    if (this.fragment && !this.#namespaces.has(first) && hint === "") {
      this.report(b.file, "warning", "UNKNOWN_COMPONENT", `${name} is not a builtin component; assuming it is a custom component defined elsewhere (its arguments are not checked)`, b.stmt.namePos, b.stmt.namePos + name.length);
      return { kind: "opaque" };
    }
    this.report(b.file, "error", "UNKNOWN_COMPONENT", `unknown component ${name}${hint}`, b.stmt.namePos, b.stmt.namePos + name.length);
    return undefined;
  }

  // ---------------------------------------------------------------- checking

  /** Checks every statement of a collected module body. */
  checkEnv(env: Env): void {
    for (const loc of env.stmts) {
      const { stmt, file } = loc;
      if (stmt.kind === "AttributeStmt") continue;
      const name = blockName(stmt);
      const b = loc as Located<BlockStmt>;
      if (name === "declare") {
        const d = stmt.label === undefined ? undefined : env.declares.get(stmt.label);
        if (d !== undefined && d.block === stmt) this.ensureDeclare(d);
        continue;
      }
      if (name === "foreach") {
        this.checkForeach(b, env);
        continue;
      }
      const config = configBlockSchema(name);
      if (config !== undefined && (SINGLETON_CONFIG.has(name) || name.startsWith("import.") || name === "argument" || name === "export")) {
        if (SINGLETON_CONFIG.has(name) && stmt.label !== undefined) {
          this.report(file, "error", "UNEXPECTED_LABEL", `the ${name} block doesn't take a label; remove "${stmt.label}"`, stmt.labelPos ?? stmt.namePos, (stmt.labelPos ?? stmt.namePos) + stmt.label.length + 2);
        }
        const cx: ExprContext = { env, file, node: undefined };
        this.checkBody(stmt.body, [config], cx, name, blockHeader(stmt));
        continue;
      }
      if (this.fragment && stmt.label === undefined && componentSchema(name) === undefined && this.looseBlocks.has(name)) {
        this.checkLooseBlock(b, env);
        continue;
      }
      const comp = stmt.label === undefined ? undefined : env.components.get(`${name}.${stmt.label}`);
      if (comp === undefined || comp.block !== stmt) continue;
      this.checkComponent(comp);
    }
    for (const ns of env.imports.values()) {
      if (ns.module !== undefined) this.checkEnv(ns.module);
    }
  }

  checkComponent(comp: Comp): void {
    const cx: ExprContext = { env: comp.env, file: comp.file, node: comp };
    const def = comp.def;
    if (def.kind === "builtin") {
      this.checkBody(comp.block.body, [def.schema], cx, comp.name, blockHeader(comp.block));
    } else if (def.kind === "custom") {
      this.checkCustomInstance(comp, def.decl, cx);
    } else {
      // Opaque: check the expressions (references, calls) but not the attribute names.
      for (const s of comp.block.body) this.walkOpaque(s, cx);
    }
  }

  walkOpaque(stmt: Stmt, cx: ExprContext): void {
    if (stmt.kind === "AttributeStmt") typeOf(stmt.value, cx, this.services);
    else for (const s of stmt.body) this.walkOpaque(s, cx);
  }

  checkCustomInstance(comp: Comp, decl: DeclareDef, cx: ExprContext): void {
    this.ensureDeclare(decl);
    const args = decl.env.args ?? new Map<string, Located<BlockStmt>>();
    const seen = new Map<string, AttributeStmt>();
    for (const s of comp.block.body) {
      if (s.kind === "BlockStmt") {
        const n = blockName(s);
        this.report(comp.file, "error", "UNKNOWN_BLOCK", `custom component ${decl.name} takes only attributes (its arguments), not a ${n} block`, s.namePos, s.namePos + n.length);
        continue;
      }
      const n = s.name.name;
      if (seen.has(n)) {
        this.report(comp.file, "error", "DUPLICATE_ATTRIBUTE", `attribute "${n}" is set twice; remove one`, s.name.start, s.name.end);
      }
      seen.set(n, s);
      if (!args.has(n)) {
        this.report(comp.file, "error", "UNKNOWN_ATTRIBUTE", `custom component ${decl.name} has no argument "${n}"${suggestion(n, args.keys())}`, s.name.start, s.name.end);
      }
      typeOf(s.value, cx, this.services);
    }
    for (const [n, a] of args) {
      if (seen.has(n)) continue;
      const optional = a.stmt.body.find((s): s is AttributeStmt => s.kind === "AttributeStmt" && s.name.name === "optional");
      const v = optional === undefined ? undefined : foldKnown(optional.value);
      if (v?.kind === "bool" && v.value) continue;
      if (optional !== undefined && v === undefined) continue;
      this.report(comp.file, "error", "MISSING_ATTRIBUTE", `missing required argument "${n}" of custom component ${decl.name}; add ${n} = ... (or mark the argument optional = true)`, comp.block.namePos, comp.block.lcurly + 1);
    }
  }

  /** Checks a declare body once, recording its export types. */
  ensureDeclare(d: DeclareDef): void {
    if (d.state !== "new") return;
    d.state = "checking";
    this.collect(d.env);
    this.checkEnv(d.env);
    for (const [name, e] of d.env.exports) {
      const value = e.stmt.body.find((s): s is AttributeStmt => s.kind === "AttributeStmt" && s.name.name === "value");
      d.exportTypes.set(name, value === undefined ? ANY : typeOf(value.value, { env: d.env, file: e.file, node: undefined }, { ...this.services, report: () => {} }));
    }
    this.finishGraph(d.env);
    d.state = "done";
  }

  checkForeach(b: Located<BlockStmt>, env: Env): void {
    const { stmt, file } = b;
    const schema = configBlockSchema("foreach");
    const cx: ExprContext = { env, file, node: undefined };
    if (schema === undefined) return;
    const withoutTemplate = { ...schema, blocks: {} };
    const template = stmt.body.filter((s): s is BlockStmt => s.kind === "BlockStmt" && blockName(s) === "template");
    this.checkBody(stmt.body.filter((s) => !(s.kind === "BlockStmt" && blockName(s) === "template")), [withoutTemplate], cx, "foreach", blockHeader(stmt));
    if (template.length === 0) {
      this.report(file, "error", "MISSING_BLOCK", `foreach needs a template block: template { <components> }`, stmt.namePos, stmt.lcurly + 1);
    }
    if (template.length > 1) {
      const t = template[1] as BlockStmt;
      this.report(file, "error", "DUPLICATE_BLOCK", `foreach takes a single template block`, t.namePos, t.namePos + 8);
    }
    const varAttr = stmt.body.find((s): s is AttributeStmt => s.kind === "AttributeStmt" && s.name.name === "var");
    const varName = varAttr === undefined ? undefined : decodeString(fold(varAttr.value));
    for (const t of template) {
      const inner = this.newEnv("template", env, t.body.map((s) => ({ stmt: s, file })), file.name);
      if (varName !== undefined) inner.locals.set(varName, ANY);
      for (const s of t.body) {
        if (s.kind === "AttributeStmt") {
          this.report(file, "error", "UNEXPECTED_ATTRIBUTE", `a foreach template holds components, not attributes; move "${s.name.name}" into a component`, s.name.start, s.name.end);
        }
      }
      this.collect(inner);
      this.checkEnv(inner);
      this.finishGraph(inner);
    }
  }

  /**
   * Checks a block body against its schema. `path` is the chain of schemas from the component root to the block
   * (needed for blocks such as stage.match whose children are those of an ancestor).
   */
  checkBody(body: readonly Stmt[], path: readonly BlockSchema[], cx: ExprContext, where: string, header: readonly [number, number]): void {
    const schema = path[path.length - 1] as BlockSchema;
    const children = childBlocks(path, schema);
    const attrs = new Map<string, AttributeStmt>();
    const blockCounts = new Map<string, BlockStmt>();
    for (const s of body) {
      if (s.kind === "AttributeStmt") {
        const n = s.name.name;
        const arg = Object.hasOwn(schema.arguments, n) ? schema.arguments[n] : undefined;
        if (attrs.has(n)) {
          this.report(cx.file, "error", "DUPLICATE_ATTRIBUTE", `attribute "${n}" is set more than once in ${where}; remove one`, s.name.start, s.name.end);
        }
        attrs.set(n, s);
        if (arg === undefined) {
          if (Object.hasOwn(children, n)) {
            this.report(cx.file, "error", "UNKNOWN_ATTRIBUTE", `"${n}" is a block in ${where}, not an attribute; write ${n} { ... }`, s.name.start, s.name.end);
          } else {
            this.report(cx.file, "error", "UNKNOWN_ATTRIBUTE", `unknown attribute "${n}" in ${where}${suggestionText(indexFor(schema.arguments, () => Object.keys(schema.arguments)).closest(n))}`, s.name.start, s.name.end);
          }
          typeOf(s.value, cx, this.services);
          continue;
        }
        const expected = this.argType(arg);
        checkValue(s.value, expected, cx, this.services, `${where}: ${n}`);
        if (arg.deprecated === true) {
          this.report(cx.file, "warning", "DEPRECATED_ATTRIBUTE", `attribute "${n}" of ${where} is deprecated; see the component's documentation for its replacement`, s.name.start, s.name.end);
        }
        checkArgumentRules(this, where, n, arg, s, cx);
        continue;
      }
      const n = blockName(s);
      const child = Object.hasOwn(children, n) ? children[n] : undefined;
      if (child === undefined) {
        if (Object.hasOwn(schema.arguments, n)) {
          this.report(cx.file, "error", "UNKNOWN_BLOCK", `"${n}" is an attribute of ${where}, not a block; write ${n} = ...`, s.namePos, s.namePos + n.length);
        } else {
          this.report(cx.file, "error", "UNKNOWN_BLOCK", `unknown block "${n}" in ${where}${suggestionText(indexFor(children, () => Object.keys(children)).closest(n))}`, s.namePos, s.namePos + n.length);
        }
        continue;
      }
      if (child.labeled === true && s.label === undefined) {
        this.report(cx.file, "error", "MISSING_LABEL", `block "${n}" in ${where} needs a label: ${n} "<name>" { ... }`, s.namePos, s.lcurly + 1);
      } else if (child.labeled !== true && s.label !== undefined) {
        const at = s.labelPos ?? s.namePos;
        this.report(cx.file, "error", "UNEXPECTED_LABEL", `block "${n}" in ${where} doesn't take a label; remove "${s.label}"`, at, at + s.label.length + 2);
      }
      const prev = blockCounts.get(n);
      if (prev !== undefined && child.repeatable === false) {
        const p = cx.file.position(prev.namePos);
        this.report(cx.file, "error", "DUPLICATE_BLOCK", `block "${n}" may appear only once in ${where} (first at line ${p.line}); merge the two blocks`, s.namePos, s.namePos + n.length);
      }
      if (child.labeled === true && s.label !== undefined && prev !== undefined) {
        const dup = body.find((o) => o !== s && o.kind === "BlockStmt" && blockName(o) === n && o.label === s.label && o.start < s.start);
        if (dup !== undefined) {
          this.report(cx.file, "error", "DUPLICATE_LABEL", `block ${n} "${s.label}" is defined twice in ${where}; labels must be unique`, s.labelPos ?? s.namePos, (s.labelPos ?? s.namePos) + s.label.length + 2);
        }
      }
      if (prev === undefined) blockCounts.set(n, s);
      if (child.body === "components") continue;
      this.checkBody(s.body, [...path, child], cx, `${where} > ${n}`, blockHeader(s));
    }
    for (const [n, arg] of Object.entries(schema.arguments)) {
      if (arg.required === true && !attrs.has(n)) {
        this.report(cx.file, this.fragment ? "warning" : "error", "MISSING_ATTRIBUTE", `missing required attribute "${n}" in ${where}; add ${n} = <${arg.type}>`, header[0], header[1]);
      }
    }
    for (const [n, b] of Object.entries(schema.blocks)) {
      if (b.required === true && !blockCounts.has(n)) {
        this.report(cx.file, this.fragment ? "warning" : "error", "MISSING_BLOCK", `missing required block "${n}" in ${where}; add ${n} { ... }`, header[0], header[1]);
      }
    }
    checkBlockRules(this, where, schema, body, cx, header);
  }


  /**
   * Every nested block name of every component, with the schema chain leading to it: a docs snippet may show a
   * single block (`stage.drop { ... }`, `tls_config { ... }`) on its own. Built on first use.
   */
  #looseBlocks: Map<string, BlockSchema[][]> | undefined;
  get looseBlocks(): Map<string, BlockSchema[][]> {
    if (this.#looseBlocks === undefined) {
      const index = new Map<string, BlockSchema[][]>();
      const visit = (path: BlockSchema[], depth: number) => {
        const b = path[path.length - 1] as BlockSchema;
        if (depth > 12) return;
        for (const [n, child] of Object.entries(b.blocks)) {
          const p = [...path, child];
          const list = index.get(n);
          if (list === undefined) index.set(n, [p]);
          else list.push(p);
          visit(p, depth + 1);
        }
      };
      for (const c of [...Object.values(COMPONENTS), ...Object.values(CONFIG_BLOCKS)]) visit([c], 0);
      this.#looseBlocks = index;
    }
    return this.#looseBlocks;
  }

  /**
   * Runs `fn` with diagnostics captured instead of reported. What was captured is forgotten by the de-duplication too,
   * so that a later run (another candidate schema) reports the same problem again instead of looking clean.
   */
  capture(fn: () => void): Diagnostic[] {
    const saved = this.diagnostics.length;
    fn();
    const captured = this.diagnostics.splice(saved);
    for (const d of captured) this.#seen.delete(dedupKey(d.filename, d.start, d.end, d.code, d.message));
    return captured;
  }

  /** A fragment's stand-alone nested block: accepted if it fits any component's block of that name. */
  checkLooseBlock(b: Located<BlockStmt>, env: Env): void {
    const name = blockName(b.stmt);
    const candidates = this.looseBlocks.get(name) ?? [];
    const cx: ExprContext = { env, file: b.file, node: undefined };
    let best: Diagnostic[] | undefined;
    for (const path of candidates) {
      const diags = this.capture(() => this.checkBody(b.stmt.body, path, cx, name, blockHeader(b.stmt)));
      if (!diags.some((d) => d.severity === "error")) {
        best = diags;
        break;
      }
      if (best === undefined || diags.length < best.length) best = diags;
    }
    for (const d of best ?? []) {
      this.report(b.file, d.severity, d.code, d.message, d.start ?? 0, d.end ?? 0);
    }
  }

  // ---------------------------------------------------------------- references

  resolveReference(path: string[], expr: Expr, cx: ExprContext): AlloyType | undefined {
    const head = path[0] as string;
    const full = path.join(".");
    // foreach variables (the innermost scope wins).
    for (let e: Env | undefined = cx.env; e !== undefined; e = e.parent) {
      const local = e.locals.get(head);
      if (local !== undefined) return this.fields(local, path.slice(1));
    }
    // Module arguments.
    if (head === "argument") {
      const moduleEnv = this.moduleOf(cx.env);
      if (moduleEnv?.args !== undefined) {
        const name = path[1];
        if (name === undefined) return object({});
        const a = moduleEnv.args.get(name);
        if (a === undefined) {
          this.report(cx.file, "error", "UNDEFINED_REFERENCE", `argument "${name}" is not declared in this module${suggestion(name, moduleEnv.args.keys())}; add an argument "${name}" { } block`, expr.start, expr.end);
          return undefined;
        }
        if (path[2] !== undefined && path[2] !== "value") {
          this.report(cx.file, "error", "UNDEFINED_REFERENCE", `an argument exposes only "value": write argument.${name}.value`, expr.start, expr.end);
          return undefined;
        }
        return ANY;
      }
    }
    // Components, longest prefix first (ids have at least two segments).
    const comp = this.findComponent(path, cx.env);
    if (comp !== undefined) {
      const [c, used] = comp;
      this.link(cx, c);
      const rest = path.slice(used);
      return this.componentExportType(c, rest, expr, cx);
    }
    // The standard library.
    const alias = stdlibAlias(full);
    if (alias !== undefined || STDLIB.topLevel.includes(head)) {
      for (let i = path.length; i >= 1; i--) {
        const name = path.slice(0, i).join(".");
        const entry = stdlibEntry(stdlibAlias(name) ?? name);
        if (entry !== undefined) {
          if (entry.kind === "constant") return this.fields(this.type(entry.type), path.slice(i));
          return { kind: "function", name };
        }
      }
      if (head !== "sys" || path.length > 1) {
        this.report(cx.file, "error", "UNDEFINED_REFERENCE", `${full} is not in the standard library${suggestionText(closestStdlibName(full))}`, expr.start, expr.end);
        return undefined;
      }
    }
    if (this.fragment) return ANY;
    // Declare bodies can't see the enclosing config's components.
    const outer = this.findComponentAnywhere(path, cx.env);
    if (outer !== undefined) {
      this.report(cx.file, "error", "UNDEFINED_REFERENCE", `${full} is defined outside this declare block, and a custom component's body can't reference the enclosing config's components; pass it in through an argument block`, expr.start, expr.end);
      return undefined;
    }
    // Suggest against the component part of the path (the path minus the export name), among the ids in scope. A scope's
    // components are all collected before any reference in it is resolved, so its index is built once.
    const guess = path.length > 2 ? path.slice(0, -1).join(".") : full;
    let near: Match | undefined;
    for (let e: Env | undefined = cx.env; e !== undefined; e = e.kind === "template" ? e.parent : undefined) {
      const components = e.components;
      near = betterMatch(near, indexFor(components, () => components.keys()).closest(guess));
    }
    this.report(cx.file, "error", "UNDEFINED_REFERENCE", `${full} does not exist or is out of scope${suggestionText(near)}`, expr.start, expr.end);
    return undefined;
  }

  fields(t: AlloyType, rest: readonly string[]): AlloyType {
    let cur = t;
    for (const f of rest) cur = fieldType(cur, f) ?? ANY;
    return cur;
  }

  moduleOf(env: Env): Env | undefined {
    for (let e: Env | undefined = env; e !== undefined; e = e.parent) {
      if (e.kind === "declare" || e.kind === "module") return e;
      if (e.kind === "root") return undefined;
    }
    return undefined;
  }

  /** Finds a component by the longest prefix of `path`, in this scope and (for foreach templates) enclosing ones. */
  findComponent(path: readonly string[], env: Env): [Comp, number] | undefined {
    for (let e: Env | undefined = env; e !== undefined; e = e.kind === "template" ? e.parent : undefined) {
      for (let i = path.length; i >= 2; i--) {
        const c = e.components.get(path.slice(0, i).join("."));
        if (c !== undefined) return [c, i];
      }
    }
    return undefined;
  }

  findComponentAnywhere(path: readonly string[], env: Env): Comp | undefined {
    for (let e: Env | undefined = env.parent; e !== undefined; e = e.parent) {
      for (let i = path.length; i >= 2; i--) {
        const c = e.components.get(path.slice(0, i).join("."));
        if (c !== undefined) return c;
      }
    }
    return undefined;
  }

  link(cx: ExprContext, target: Comp): void {
    target.used = true;
    if (cx.node !== undefined) cx.node.refs.add(target);
  }

  componentExportType(c: Comp, rest: string[], expr: Expr, cx: ExprContext): AlloyType | undefined {
    const exportName = rest[0];
    const def = c.def;
    if (def.kind === "opaque") return ANY;
    let exports: Map<string, AlloyType>;
    if (def.kind === "builtin") {
      exports = new Map(Object.entries(def.schema.exports).map(([k, v]) => [k, this.type(v)]));
    } else {
      this.ensureDeclare(def.decl);
      if (def.decl.state === "checking") {
        // A recursive reference while the body is being checked: names are known, types not yet.
        exports = new Map([...def.decl.env.exports.keys()].map((k) => [k, def.decl.exportTypes.get(k) ?? ANY]));
      } else {
        exports = def.decl.exportTypes;
      }
    }
    if (exportName === undefined) return object(Object.fromEntries(exports));
    const t = exports.get(exportName);
    if (t === undefined) {
      const list = [...exports.keys()];
      const has = list.length === 0 ? `${c.name} exports nothing` : `${c.name} exports ${list.map((e) => `"${e}"`).join(", ")}`;
      this.report(cx.file, "error", "UNKNOWN_EXPORT", `${c.id} has no export "${exportName}"${suggestion(exportName, list)}; ${has}`, expr.start, expr.end);
      return undefined;
    }
    return this.fields(t, rest.slice(1));
  }

  // ---------------------------------------------------------------- graph

  /** Reports dependency cycles and unused components of one module scope. */
  finishGraph(env: Env): void {
    const comps = [...env.components.values()];
    const cyclic = findCycles(comps);
    for (const cycle of cyclic) {
      const names = cycle.map((c) => c.id);
      for (const c of cycle) {
        const msg = cycle.length === 1
          ? `${c.id} references itself; a component can't depend on its own exports`
          : `dependency cycle: ${[...names.slice(names.indexOf(c.id)), ...names.slice(0, names.indexOf(c.id)), c.id].join(" -> ")}; break the cycle`;
        this.report(c.file, "error", "CYCLE", msg, c.block.namePos, c.block.namePos + c.name.length);
      }
    }
    if (this.fragment) return;
    for (const c of comps) {
      if (c.used) continue;
      let exportNames: string[];
      if (c.def.kind === "builtin") exportNames = Object.keys(c.def.schema.exports);
      else if (c.def.kind === "custom") exportNames = [...c.def.decl.env.exports.keys()];
      else continue;
      if (exportNames.length === 0) continue;
      if (c.def.kind === "builtin" && SIDE_EFFECT_COMPONENTS.has(c.name)) continue;
      this.report(c.file, "warning", "UNUSED_COMPONENT", `${c.id} exports ${exportNames.join(", ")} but nothing uses them; connect it to the pipeline or remove it`, c.block.namePos, c.block.namePos + c.name.length);
    }
  }

  /** Checks the root config. */
  run(root: Env): void {
    this.collect(root);
    this.checkEnv(root);
    this.finishGraph(root);
    for (const [, d] of root.declares) this.ensureDeclare(d);
  }

  severityCount(severity: Severity): number {
    return this.diagnostics.filter((d) => d.severity === severity).length;
  }

  get components(): readonly Comp[] {
    return this.#allComps;
  }
}

/**
 * Components whose work is a side effect even though they export something nobody has to read (they push, serve or
 * receive on their own), so an unreferenced instance is not a mistake.
 */
const SIDE_EFFECT_COMPONENTS = new Set([
  "prometheus.exporter.self",
  "otelcol.receiver.prometheus",
  "loki.source.api",
  "faro.receiver",
  "pyroscope.receive_http",
  "prometheus.receive_http",
  "otelcol.extension.jaeger_remote_sampling",
]);

/** What makes two reports the same diagnostic (reported once). */
function dedupKey(filename: string, start: number | undefined, end: number | undefined, code: string, message: string): string {
  return `${filename}:${start}:${end}:${code}:${message}`;
}

/**
 * The name river gives an `import.file` module: its path joined to the importing file's directory (a path read from
 * standard input is relative to the working directory), lexically normalized. Relative imports inside the module
 * resolve from it, and the same file reached along a chain of imports gets the same name, which is how cycles are
 * found without touching the file system.
 */
function modulePath(path: string, from: string): string {
  return isAbsolute(path) || from === "<stdin>" ? normalize(path) : join(dirname(from), path);
}

/** The range to blame for something missing from a block: its header (name and label). */
function blockHeader(block: BlockStmt): [number, number] {
  return [block.namePos, Math.max(block.namePos + 1, block.lcurly + 1)];
}

/** Strongly connected components with a cycle (size > 1, or a self-loop), in source order. Iterative Tarjan. */
export function findCycles(nodes: readonly Comp[]): Comp[][] {
  const index = new Map<Comp, number>();
  const low = new Map<Comp, number>();
  const onStack = new Set<Comp>();
  const stack: Comp[] = [];
  const out: Comp[][] = [];
  let counter = 0;
  const inScope = new Set(nodes);
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: Comp; it: Iterator<Comp> }[] = [];
    const push = (n: Comp) => {
      index.set(n, counter);
      low.set(n, counter);
      counter++;
      stack.push(n);
      onStack.add(n);
      work.push({ node: n, it: n.refs.values() });
    };
    push(start);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: Comp; it: Iterator<Comp> };
      const next = top.it.next();
      if (!next.done) {
        const w = next.value;
        if (!inScope.has(w)) continue;
        if (!index.has(w)) push(w);
        else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node) as number, index.get(w) as number));
        continue;
      }
      work.pop();
      const v = top.node;
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(v) as number));
      if (low.get(v) === index.get(v)) {
        const scc: Comp[] = [];
        let w: Comp;
        do {
          w = stack.pop() as Comp;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || v.refs.has(v)) {
          scc.sort((a, b) => (a.file.name === b.file.name ? a.block.start - b.block.start : a.file.name < b.file.name ? -1 : 1));
          out.push(scc);
        }
      }
    }
  }
  return out;
}

export { list };
