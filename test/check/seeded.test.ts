import { describe, expect, it } from "vitest";
import { readFmtCorpus } from "../helpers/shared.ts";
import { blockName, referencePath, type AttributeStmt, type BlockStmt, type Expr } from "../../src/ast/ast.ts";
import { walk } from "../../src/ast/walk.ts";
import { check } from "../../src/check/index.ts";
import { componentSchema, parseType, typeToString } from "../../src/schema/index.ts";
import { SourceFile } from "../../src/source/source-file.ts";
import { parse } from "../../src/syntax/parse.ts";

interface Mutation {
  readonly kind: string;
  readonly text: string;
  /** 1-based line where the error must be reported. */
  readonly line: number;
  readonly code: string;
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

/** Mutations of one real config, each with the error it must cause and where. */
function mutations(text: string): Mutation[] {
  const { file, diagnostics } = parse(text);
  if (diagnostics.length > 0) return [];
  const src = new SourceFile("x", text);
  const line = (off: number) => src.position(off).line;
  const out: Mutation[] = [];
  const comps = file.body.filter((s): s is BlockStmt => s.kind === "BlockStmt" && componentSchema(blockName(s)) !== undefined && s.label !== undefined);
  // Export references in use: `[a.b.label.export]` values, with their types.
  const refs: { expr: Expr; path: string[]; type: string; comp: BlockStmt }[] = [];
  for (const c of comps) {
    walk(c, (n) => {
      if (n.kind !== "AccessExpr") return;
      const path = referencePath(n);
      if (path === undefined) return;
      for (const target of comps) {
        const id = `${blockName(target)}.${target.label}`;
        if (path.length === id.split(".").length + 1 && path.join(".").startsWith(id + ".")) {
          const t = componentSchema(blockName(target))?.exports[path[path.length - 1] as string];
          if (t !== undefined) refs.push({ expr: n, path, type: t, comp: target });
        }
      }
      return false;
    });
  }
  for (const c of comps) {
    const schema = componentSchema(blockName(c));
    if (schema === undefined) continue;
    const attrs = c.body.filter((s): s is AttributeStmt => s.kind === "AttributeStmt");
    const first = attrs[0];
    if (first !== undefined && out.filter((m) => m.kind === "rename").length < 1) {
      out.push({ kind: "rename", text: splice(text, first.name.end, first.name.end, "_renamed"), line: line(first.name.start), code: "UNKNOWN_ATTRIBUTE" });
    }
    const req = attrs.find((a) => schema.arguments[a.name.name]?.required === true);
    if (req !== undefined && out.filter((m) => m.kind === "drop-required").length < 1) {
      out.push({ kind: "drop-required", text: splice(text, req.start, req.end, ""), line: line(c.namePos), code: "MISSING_ATTRIBUTE" });
    }
    const typed = attrs.find((a) => {
      const t = schema.arguments[a.name.name]?.type;
      return a.value.kind === "LiteralExpr" && (t === "string" || t === "bool" || t === "duration" || t === "number");
    });
    if (typed !== undefined && out.filter((m) => m.kind === "retype").length < 1) {
      out.push({ kind: "retype", text: splice(text, typed.value.start, typed.value.end, "[1, 2]"), line: line(typed.value.start), code: "TYPE_MISMATCH" });
    }
  }
  const ref = refs[0];
  if (ref !== undefined) {
    const e = ref.expr as Expr & { name: { start: number; end: number } };
    out.push({ kind: "missing-export", text: splice(text, e.name.start, e.name.end, "no_such_export"), line: line(e.start), code: "UNKNOWN_EXPORT" });
    out.push({ kind: "missing-component", text: splice(text, e.start, e.end, `${blockName(ref.comp)}.no_such_label.${ref.path[ref.path.length - 1]}`), line: line(e.start), code: "UNDEFINED_REFERENCE" });
    // Point the reference at an export of another type (e.g. targets where receivers are expected).
    const other = refs.find((r) => typeToString(parseType(r.type)) !== typeToString(parseType(ref.type)) && !(parseType(ref.type).kind === "list" && parseType(r.type).kind === "list"));
    if (other !== undefined && parseType(ref.type).kind !== "any" && parseType(other.type).kind !== "any") {
      out.push({ kind: "wrong-export-type", text: splice(text, e.start, e.end, other.path.join(".")), line: line(e.start), code: "TYPE_MISMATCH" });
    }
  }
  return out;
}

describe("seeded errors in real configs", () => {
  const corpus = readFmtCorpus();
  if (corpus === undefined) {
    it.skip("../shared/conformance/fmt/alloy-corpus.jsonl is absent: seeded-error tests skipped", () => {});
    return;
  }
  const cases = corpus
    .filter((c) => c.kind === "config" && c.expect !== undefined && !/-(flat|messy)$/.test(c.name));

  it("reports an error at the mutated line for every mutation", () => {
    const missed: string[] = [];
    const byKind: Record<string, number> = {};
    for (const c of cases) {
      const baseline = check(c.in).diagnostics.filter((d) => d.severity === "error");
      if (baseline.length > 0) continue; // the allow-listed converter outputs
      for (const m of mutations(c.in)) {
        const errs = check(m.text).diagnostics.filter((d) => d.severity === "error");
        byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
        if (!errs.some((d) => d.code === m.code && d.line === m.line)) {
          missed.push(`${c.source} ${m.kind} line ${m.line}: want ${m.code}, got ${errs.map((d) => `${d.line}:${d.code}`).join(", ") || "nothing"}`);
        }
      }
    }
    expect(missed).toEqual([]);
    for (const k of ["rename", "drop-required", "retype", "missing-export", "missing-component", "wrong-export-type"]) {
      expect(byKind[k] ?? 0, `mutations of kind ${k}`).toBeGreaterThan(20);
    }
    console.log("seeded mutations per kind:", byKind);
    // The README's figure: a mutation that silently stops being generated must not go unnoticed.
    expect(Object.values(byKind).reduce((a, b) => a + b, 0)).toBe(861);
  });
});
