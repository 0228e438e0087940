import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from "yaml";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import { suggestion } from "../check/suggest.ts";

/**
 * A small declarative schema for river's own YAML inputs (pipelines/stack.yaml). It checks a parsed document node by
 * node so that every problem points at the key or value that causes it (file:line:col), rejects unknown keys with
 * "did you mean", and turns the document into plain data. Chart values under `values:` are `any` here: the chart
 * values checker looks at them separately, through `locate`.
 */
export type Spec =
  | {
      readonly kind: "string";
      readonly pattern?: RegExp;
      readonly expect?: string;
      readonly oneOf?: readonly string[];
      /** A check beyond the pattern: what is wrong with the value, or undefined. */
      readonly check?: (value: string) => string | undefined;
    }
  | { readonly kind: "int"; readonly min?: number; readonly max?: number }
  | { readonly kind: "bool" }
  | { readonly kind: "list"; readonly of: Spec; readonly minItems?: number }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, Spec>>; readonly required?: readonly string[] }
  | { readonly kind: "map"; readonly key?: Spec; readonly of: Spec }
  | { readonly kind: "union"; readonly of: readonly Spec[]; readonly expect: string }
  | { readonly kind: "any" };

export type PathSegment = string | number;

/** A parsed YAML input: its data (undefined when the document is empty), problems, and a way back to positions. */
export interface YamlInput {
  readonly data: unknown;
  readonly diagnostics: Diagnostic[];
  /** The position of a key (or, for a list index, the element) at `path`, or the nearest enclosing one that exists. */
  locate(path: readonly PathSegment[]): { line: number; column: number; start: number; end: number };
  readonly file: SourceFile;
}

/** Parses YAML text and checks it against `spec`. YAML syntax errors are diagnostics too (code YAML_SYNTAX). */
export function readYaml(text: string, filename: string, spec: Spec): YamlInput {
  const file = new SourceFile(filename, text);
  const diagnostics: Diagnostic[] = [];
  const doc = parseDocument(text, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    diagnostics.push(diagnosticAt(file, "error", "YAML_SYNTAX", `YAML syntax error: ${firstLine(e.message)}`, e.pos[0], e.pos[1]));
  }
  const locate = (path: readonly PathSegment[]) => {
    const [start, end] = rangeAt(doc, path);
    const p = file.position(start);
    return { line: p.line, column: p.column, start, end };
  };
  if (diagnostics.length > 0) return { data: undefined, diagnostics, locate, file };
  const report = (node: Node | null | undefined, message: string, code = "STACK_OPTION") => {
    const [s, e] = node?.range ?? [0, 0];
    diagnostics.push(diagnosticAt(file, "error", code, message, s, e));
  };
  const data = doc.contents === null ? undefined : toData(doc.contents as Node, spec, [], report, doc);
  return { data, diagnostics, locate, file };
}

type Report = (node: Node | null | undefined, message: string, code?: string) => void;

function toData(given: Node, spec: Spec, path: readonly PathSegment[], report: Report, doc: Document): unknown {
  // An alias (`*name`) stands for the node it names, for the checks and for the data.
  const node = isAlias(given) ? ((given.resolve(doc) as Node | undefined) ?? given) : given;
  const where = path.length === 0 ? "the file" : `"${pathString(path)}"`;
  switch (spec.kind) {
    case "any":
      return node.toJS(doc, { maxAliasCount: 100 });
    case "string": {
      const v = isScalar(node) ? node.value : undefined;
      if (typeof v !== "string" && typeof v !== "number") {
        report(node, `${where} must be ${spec.expect ?? "a string"}`);
        return undefined;
      }
      // YAML reads 30 or 1.5 as numbers; options that are strings (sizes, durations, versions) accept them as written.
      const s = typeof v === "number" ? String((isScalar(node) ? node.source : undefined) ?? v) : v;
      if (spec.oneOf !== undefined && !spec.oneOf.includes(s)) {
        report(node, `${where} must be one of ${spec.oneOf.map((o) => `"${o}"`).join(", ")}, not "${s}"${suggestion(s, spec.oneOf)}`);
      } else if (spec.pattern !== undefined && !spec.pattern.test(s)) {
        report(node, `${where} must be ${spec.expect ?? `a string matching ${spec.pattern}`}, not "${s}"`);
      } else {
        const problem = spec.check?.(s);
        if (problem !== undefined) report(node, `${where} must be ${spec.expect ?? "valid"}: ${problem}`);
      }
      return s;
    }
    case "int": {
      const v = isScalar(node) ? node.value : undefined;
      if (typeof v !== "number" || !Number.isInteger(v)) {
        report(node, `${where} must be an integer`);
        return undefined;
      }
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        report(node, `${where} must be between ${spec.min ?? "-∞"} and ${spec.max ?? "∞"}, not ${v}`);
      }
      return v;
    }
    case "bool": {
      const v = isScalar(node) ? node.value : undefined;
      if (typeof v !== "boolean") {
        report(node, `${where} must be true or false`);
        return undefined;
      }
      return v;
    }
    case "list": {
      if (!isSeq(node)) {
        report(node, `${where} must be a list`);
        return undefined;
      }
      if (spec.minItems !== undefined && node.items.length < spec.minItems) {
        report(node, `${where} needs at least ${spec.minItems} item${spec.minItems === 1 ? "" : "s"}`);
      }
      return node.items.map((item, i) => toData(item as Node, spec.of, [...path, i], report, doc));
    }
    case "union": {
      // The first alternative whose outer shape fits (scalar vs map vs list) decides; its own errors are reported.
      const fits = spec.of.find((s) => shapeFits(node, s));
      if (fits === undefined) {
        report(node, `${where} must be ${spec.expect}`);
        return undefined;
      }
      return toData(node, fits, path, report, doc);
    }
    case "map":
    case "object": {
      if (!isMap(node)) {
        report(node, `${where} must be a mapping of keys to values`);
        return undefined;
      }
      // Keys come from user data: an object without a prototype keeps "__proto__" an ordinary key.
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const pair of node.items as Pair<Node, Node>[]) {
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
        if (key === undefined) {
          report(keyNode, `${where} has a key that is not a plain string`);
          continue;
        }
        let valueSpec: Spec | undefined;
        if (spec.kind === "map") {
          if (spec.key !== undefined) toData(keyNode, spec.key, [...path, key], report, doc);
          valueSpec = spec.of;
        } else {
          valueSpec = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
          if (valueSpec === undefined) {
            const known = Object.keys(spec.fields);
            report(
              keyNode,
              `unknown key "${key}" in ${where}${suggestion(key, known)}; known keys: ${known.join(", ")}`,
              "STACK_UNKNOWN_KEY",
            );
            continue;
          }
        }
        if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) {
          if (valueSpec.kind !== "any") report(keyNode, `"${pathString([...path, key])}" has no value; give one or remove the key`);
          out[key] = null;
          continue;
        }
        out[key] = toData(pair.value, valueSpec, [...path, key], report, doc);
      }
      if (spec.kind === "object") {
        for (const r of spec.required ?? []) {
          if (!(r in out)) report(node, `${where} needs the key "${r}"`);
        }
      }
      return out;
    }
  }
}

function shapeFits(node: Node, spec: Spec): boolean {
  switch (spec.kind) {
    case "object":
    case "map":
      return isMap(node);
    case "list":
      return isSeq(node);
    case "union":
      return spec.of.some((s) => shapeFits(node, s));
    case "any":
      return true;
    default:
      return isScalar(node);
  }
}

/** `a.b[0].c` */
export function pathString(path: readonly PathSegment[]): string {
  let s = "";
  for (const p of path) s += typeof p === "number" ? `[${p}]` : s === "" ? p : `.${p}`;
  return s;
}

/** The range of the key (or list element) at `path` in a parsed document, or of the nearest enclosing one there is. */
export function rangeAt(doc: Document, path: readonly PathSegment[]): [number, number] {
  let node = doc.contents as Node | null;
  let range: [number, number] = [node?.range?.[0] ?? 0, node?.range?.[1] ?? 0];
  for (const seg of path) {
    if (node === null) break;
    if (isMap(node)) {
      const pair = (node.items as Pair<Node, Node>[]).find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) break;
      if (pair.key.range) range = [pair.key.range[0], pair.key.range[1]];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      const item = node.items[seg] as Node | undefined;
      if (item === undefined) break;
      if (item.range) range = [item.range[0], item.range[1]];
      node = item;
    } else break;
  }
  return range;
}

function firstLine(s: string): string {
  const i = s.indexOf("\n");
  return i === -1 ? s : s.slice(0, i);
}
