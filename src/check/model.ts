import type { BlockStmt, Expr, File, Stmt } from "../ast/ast.ts";
import type { Diagnostic, Severity } from "../diag/diagnostic.ts";
import type { ComponentSchema } from "../schema/model.ts";
import type { AlloyType } from "../schema/types.ts";
import type { SourceFile } from "../source/source-file.ts";

export interface CheckInputFile {
  readonly filename: string;
  readonly text: string;
}

export interface CheckOptions {
  /**
   * Check an incomplete config (a docs snippet, one file of a larger config, an editor buffer): references to
   * components that are defined nowhere are assumed to exist with a fitting type, components nobody references are
   * not reported, and unknown components outside the builtin namespaces are taken for custom components defined
   * elsewhere (a warning).
   */
  readonly fragment?: boolean;
  /**
   * Reads a module file named by `import.file` (path as written, relative to the importing file's directory).
   * Return undefined when it can't be read; the import is then an opaque namespace (a warning).
   */
  readonly readModule?: (path: string, fromFilename: string) => ModuleRead;
  /** Name used for a source given as a plain string. Default "<stdin>". */
  readonly filename?: string;
}

/**
 * What `readModule` found: the module's text; `{ error }` when the path names something that can never be a module
 * (a device, a FIFO: reading it would hang or never end), reported as an error; undefined when it can't be read here
 * (it may exist where Alloy runs), reported as a warning.
 */
export type ModuleRead = string | { readonly error: string } | undefined;

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
}

/** A statement together with the file it came from (a directory is one config made of several files). */
export interface Located<T = Stmt> {
  readonly stmt: T;
  readonly file: SourceFile;
}

export interface Unit {
  readonly file: SourceFile;
  readonly ast: File;
}

export type Reporter = (
  file: SourceFile,
  severity: Severity,
  code: string,
  message: string,
  start: number,
  end: number,
) => void;

/** A module scope: the root config, a `declare` body, an imported module or a `foreach` template. */
export interface Env {
  readonly kind: "root" | "declare" | "module" | "template";
  readonly parent: Env | undefined;
  readonly components: Map<string, Comp>;
  readonly declares: Map<string, DeclareDef>;
  readonly imports: Map<string, ImportNs>;
  /** `argument` blocks of a module (declare body or imported module); undefined at the root. */
  readonly args: Map<string, Located<BlockStmt>> | undefined;
  readonly exports: Map<string, Located<BlockStmt>>;
  /** foreach `var` names (type any). */
  readonly locals: Map<string, AlloyType>;
  readonly stmts: Located[];
  /** The file that owns the module, for resolving relative import paths. */
  readonly origin: string;
  /**
   * The module files this scope was imported through, outermost first, ending with its own file (empty for the root
   * config and its declare bodies): an import of a file already on this chain is a cycle.
   */
  readonly importChain: readonly string[];
}

export type CompDef =
  | { readonly kind: "builtin"; readonly name: string; readonly schema: ComponentSchema }
  | { readonly kind: "custom"; readonly decl: DeclareDef }
  /** Defined by a module river can't see (import.git/http, or a fragment's missing import): anything goes. */
  | { readonly kind: "opaque" };

export interface Comp {
  /** `prometheus.scrape.default` */
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly block: BlockStmt;
  readonly file: SourceFile;
  readonly def: CompDef;
  readonly env: Env;
  /** Components this one references (edges of the dependency graph). */
  readonly refs: Set<Comp>;
  used: boolean;
}

export interface DeclareDef {
  readonly name: string;
  readonly block: BlockStmt;
  readonly file: SourceFile;
  readonly env: Env;
  /** Export name → type, filled in when the body is checked. */
  readonly exportTypes: Map<string, AlloyType>;
  state: "new" | "checking" | "done";
}

export interface ImportNs {
  readonly name: string;
  readonly block: BlockStmt;
  readonly file: SourceFile;
  readonly source: string;
  /** The imported module when river could load it; undefined = opaque namespace. */
  readonly module: Env | undefined;
}

/** What expressions are checked in: the scope, the file, and the component whose body it is (graph node). */
export interface ExprContext {
  readonly env: Env;
  readonly file: SourceFile;
  readonly node: Comp | undefined;
}

export type { Expr };
