import { check } from "../check/check.ts";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { printFile } from "../format/format.ts";
import { COMPONENTS } from "../schema/index.ts";
import { parse } from "../syntax/parse.ts";
import { Body, attrDraft, blockDraft, topLevelSchema } from "./body.ts";
import type { CallSite, DraftItem } from "./draft.ts";
import type { ComponentArgs, ComponentExports, ComponentTree, ConfigBlockArgs } from "./generated/components.ts";
import { layOut, type LaidOut } from "./layout.ts";
import { callSite } from "./site.ts";
import { BuilderError, Expression, commentTexts, referenceDraft, type Annotation } from "./values.ts";

export type ComponentName = keyof ComponentArgs;

/** A component's props, or a function returning them, called at build time (so it may use components added later). */
export type PropsOrThunk<P> = P | (() => P);

/**
 * `config.loki.write(label, props, annotation?)`: adds the component and returns its exports as typed references.
 * The contents may also be an ordered `body(...)` (untyped), for statements or comments a props object can't hold.
 */
export type ComponentConstructor<N extends ComponentName> = (
  label: string,
  props: PropsOrThunk<ComponentArgs[N] | Body>,
  annotation?: Annotation,
) => ComponentExports[N];

/** The props a config block takes: typed for Alloy's config blocks, a props object or a Body for anything else. */
export type BlockProps<N extends string> = N extends keyof ConfigBlockArgs ? ConfigBlockArgs[N] : object | Body;

/** Exports of a block the builder has no types for (a custom component): any name, untyped. */
export interface UntypedExports {
  export(name: string): Expression<any>;
}

export interface BuildOptions {
  /** Name of the River text in diagnostics. Default "<builder>". */
  readonly filename?: string;
  /** Check as an incomplete config (other files define what it references), as `river check --fragment`. */
  readonly fragment?: boolean;
  /** Run the checker (default true); without it only the builder's own errors are reported. */
  readonly check?: boolean;
}

export interface BuildResult {
  /** The config in canonical River: what `alloy fmt` prints, ending with a newline. */
  readonly text: string;
  /**
   * The builder's errors and the checker's diagnostics. Those of a statement made by a builder call point at that
   * call (file:line:col of the TypeScript); their message ends with where in `text` the problem is.
   */
  readonly diagnostics: Diagnostic[];
}

interface Entry {
  readonly site: CallSite | undefined;
  readonly draft: () => DraftItem[];
}

const CONFIG_BRAND = Symbol.for("river.builder.config");

/**
 * An Alloy config built in TypeScript. Statements appear in the order they are added. Components are added through
 * the namespace tree (`config.discovery.kubernetes("pods", {...})`, typed from the schema for all components) or
 * `add(name, label, props)`; each returns its exports as references typed by export type, so `forward_to` only
 * accepts receivers. `build()` lays the AST out, prints it with the canonical formatter and type-checks the result.
 */
export class Config {
  readonly #entries: Entry[] = [];
  /** The next statement after a header comment gets a blank line. */
  #headerEnds = false;
  /** Marks configs across module instances (a pipeline module may load its own copy of the builder). */
  readonly [CONFIG_BRAND] = true;

  /** `comment`: a header comment, set apart from the first statement by a blank line. */
  constructor(options: { readonly comment?: string | readonly string[] } = {}) {
    if (options.comment !== undefined) {
      const texts = typeof options.comment === "string" ? [options.comment] : options.comment;
      this.#entries.push({ site: callSite(), draft: () => texts.flatMap(commentTexts).map((text) => ({ kind: "comment", text, blank: false })) });
      this.#headerEnds = true;
    }
    installTree(this);
  }

  /** Adds a component by name (the namespace tree calls this). */
  add<N extends ComponentName>(name: N, label: string, props: PropsOrThunk<ComponentArgs[N] | Body>, annotation: Annotation = {}): ComponentExports[N] {
    const schema = Object.hasOwn(COMPONENTS, name) ? COMPONENTS[name] : undefined;
    this.#push(() => {
      if (schema === undefined) throw new BuilderError(`unknown component ${JSON.stringify(name)}`);
      const value = typeof props === "function" ? (props as () => unknown)() : props;
      return blockDraft(name.split("."), label, value, schema, [], annotation, `${name}.${label}`);
    });
    const exports: Record<string, Expression<unknown>> = {};
    for (const e of Object.keys(schema?.exports ?? {})) exports[e] = new Expression(referenceDraft([...name.split("."), label, e]));
    return exports as unknown as ComponentExports[N];
  }

  /**
   * Adds any other block: a config block (`logging`, `declare`, `import.file`, ..., typed), a custom component, or
   * a block the schema does not know (untyped: props or a Body). `label` undefined: no label.
   */
  block<N extends string>(name: N, label: string | undefined, props: PropsOrThunk<BlockProps<N>>, annotation: Annotation = {}): UntypedExports {
    this.#push(() => {
      const value = typeof props === "function" ? (props as () => unknown)() : props;
      return blockDraft(name.split("."), label, value, topLevelSchema(name), [], annotation);
    });
    const base = [...name.split("."), ...(label === undefined ? [] : [label])];
    return { export: (e: string) => new Expression(referenceDraft([...base, e])) };
  }

  /** A top-level attribute (`name = value`), as in a module's body; `value` may be a function called at build time. */
  attr(name: string, value: unknown, annotation: Annotation = {}): void {
    this.#push(() => attrDraft(name, typeof value === "function" ? (value as () => unknown)() : value, annotation));
  }

  /**
   * A free-standing comment: text without `//`, or a comment as written. `blank`: a blank line before it;
   * `trailing`: on the line of the statement before it.
   */
  comment(text: string, options: { readonly blank?: boolean; readonly trailing?: boolean } = {}): void {
    this.#push(() => commentTexts(text).map((t, i) => ({ kind: "comment", text: t, ...(i === 0 ? options : {}) })));
  }

  #push(draft: () => DraftItem[]): void {
    const site = callSite();
    if (this.#headerEnds) {
      this.#headerEnds = false;
      this.#entries.push({ site, draft: () => draft().map((d, i) => (i === 0 && d.blank === undefined ? { ...d, blank: true } : d)) });
    } else this.#entries.push({ site, draft });
  }

  /** The AST and the layout text its positions point into (see layout.ts); throws BuilderError on a bad value. */
  ast(filename = "<builder>"): LaidOut {
    return layOut(
      this.#entries.flatMap((e) => e.draft()),
      filename,
    );
  }

  /** Builds the config: canonical River text and diagnostics (never throws on a bad config). */
  build(options: BuildOptions = {}): BuildResult {
    const filename = options.filename ?? "<builder>";
    const problems: Diagnostic[] = [];
    const items: DraftItem[] = [];
    const sites: (CallSite | undefined)[] = [];
    for (const entry of this.#entries) {
      try {
        const drafts = entry.draft();
        items.push(...drafts);
        for (const d of drafts) if (d.kind !== "comment") sites.push(entry.site);
      } catch (err) {
        if (!(err instanceof BuilderError)) throw err;
        problems.push(builderDiagnostic(err.message, entry.site, filename));
      }
    }
    const laid = layOut(items, filename);
    const text = printFile(laid.file, laid.text);
    // A config with a statement left out would only add the checker's noise (undefined references) to the real error.
    if (problems.length > 0 || options.check === false) return { text, diagnostics: problems };
    const { diagnostics } = check([{ filename, text }], { fragment: options.fragment ?? false });
    return { text, diagnostics: atCallSites(diagnostics, text, sites) };
  }
}

// The namespace tree is installed on every instance; the interface merge gives it its types.
export interface Config extends ComponentTree {}

/** Whether a value is a Config, from this copy of the builder or another one. */
export function isConfig(value: unknown): value is Config {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CONFIG_BRAND] === true;
}

function installTree(config: Config): void {
  const target = config as unknown as Record<string, unknown>;
  for (const name of Object.keys(COMPONENTS).sort()) {
    const parts = name.split(".");
    let node = target;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      let next = node[part] as Record<string, unknown> | undefined;
      if (last) {
        const ctor = ((label: string, props: never, annotation?: Annotation) => config.add(name as ComponentName, label, props, annotation)) as unknown as Record<string, unknown>;
        // A name that is also a namespace (a.b and a.b.c) keeps the members added so far.
        if (next !== undefined) Object.assign(ctor, next);
        node[part] = ctor;
        next = ctor;
      } else if (next === undefined) {
        next = {};
        node[part] = next;
      }
      node = next;
    });
  }
}

function builderDiagnostic(message: string, site: CallSite | undefined, filename: string): Diagnostic {
  return {
    severity: "error",
    code: "BUILDER",
    message,
    filename: site?.filename ?? filename,
    line: site?.line ?? 1,
    column: site?.column ?? 1,
  };
}

/**
 * Moves each diagnostic of a top-level statement to the builder call that made it, keeping the River position in
 * the message. `sites[i]` is the call of the i-th top-level statement of `text`.
 */
function atCallSites(diagnostics: readonly Diagnostic[], text: string, sites: readonly (CallSite | undefined)[]): Diagnostic[] {
  const { file, source } = parse(text);
  const ranges = file.body.map((s) => [source.position(s.start).line, source.position(s.end).line] as const);
  return diagnostics.map((d) => {
    const i = ranges.findIndex(([from, to]) => d.line >= from && d.line <= to);
    const site = i === -1 ? undefined : sites[i];
    if (site === undefined) return d;
    return {
      severity: d.severity,
      code: d.code,
      message: `${d.message} (at ${d.filename}:${d.line}:${d.column} in the River it builds)`,
      filename: site.filename,
      line: site.line,
      column: site.column,
    };
  });
}

