import type { Expr } from "../ast/ast.ts";
import { stringLiteralValue } from "./strings.ts";

/** A value known at check time (constant folding of literals and operators). */
export type ConstValue =
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number; readonly float: boolean }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "null" }
  | { readonly kind: "array"; readonly items: readonly (ConstValue | undefined)[] }
  | { readonly kind: "object"; readonly fields: Readonly<Record<string, ConstValue | undefined>> };

/**
 * Folds an expression to a value when it is built only from literals, arrays, objects and operators on them.
 * Returns undefined when the value depends on anything else (references, calls) or the fold would fail.
 */
export function evalConst(expr: Expr): ConstValue | undefined {
  switch (expr.kind) {
    case "LiteralExpr":
      switch (expr.literal) {
        case "STRING": {
          const v = stringLiteralValue(expr.raw);
          return v === undefined ? undefined : { kind: "string", value: v };
        }
        case "NUMBER":
        case "FLOAT": {
          const n = Number(expr.raw);
          return Number.isNaN(n) ? undefined : { kind: "number", value: n, float: expr.literal === "FLOAT" };
        }
        case "BOOL":
          return { kind: "bool", value: expr.raw === "true" };
        case "NULL":
          return { kind: "null" };
      }
      return undefined;
    case "ParenExpr":
      return evalConst(expr.inner);
    case "ArrayExpr":
      return { kind: "array", items: expr.elements.map(evalConst) };
    case "ObjectExpr": {
      const fields: Record<string, ConstValue | undefined> = {};
      for (const f of expr.fields) fields[f.name.name] = evalConst(f.value);
      return { kind: "object", fields };
    }
    case "UnaryExpr": {
      const v = evalConst(expr.value);
      if (v === undefined) return undefined;
      if (expr.op === "-" && v.kind === "number") return { kind: "number", value: -v.value, float: v.float };
      if (expr.op === "!" && v.kind === "bool") return { kind: "bool", value: !v.value };
      return undefined;
    }
    case "BinaryExpr": {
      const l = evalConst(expr.left);
      const r = evalConst(expr.right);
      if (l === undefined || r === undefined) return undefined;
      if (l.kind === "string" && r.kind === "string" && expr.op === "+") return { kind: "string", value: l.value + r.value };
      if (l.kind === "number" && r.kind === "number") {
        const float = l.float || r.float;
        switch (expr.op) {
          case "+": return { kind: "number", value: l.value + r.value, float };
          case "-": return { kind: "number", value: l.value - r.value, float };
          case "*": return { kind: "number", value: l.value * r.value, float };
          case "/": return r.value === 0 ? undefined : { kind: "number", value: l.value / r.value, float: true };
          case "^": return { kind: "number", value: Math.pow(l.value, r.value), float };
          default: return undefined;
        }
      }
      if (l.kind === "bool" && r.kind === "bool") {
        if (expr.op === "&&") return { kind: "bool", value: l.value && r.value };
        if (expr.op === "||") return { kind: "bool", value: l.value || r.value };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** The string a value converts to where Alloy expects a string (numbers convert; other kinds don't). */
export function constToString(v: ConstValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.kind === "string") return v.value;
  if (v.kind === "number") return numberToString(v);
  return undefined;
}

export function numberToString(v: { value: number; float: boolean }): string {
  if (Number.isInteger(v.value) && !v.float) return String(v.value);
  // Go formats floats with strconv.FormatFloat(f, 'f', -1, 64)-like precision for small values.
  return String(v.value);
}

/** Converts a string to a number the way Alloy does (a leading "-" means int, ".eE" means float, else uint). */
export function stringToNumber(s: string): number | undefined {
  if (s === "") return undefined;
  if (s.startsWith("-")) return /^-\d+$/.test(s) ? Number(s) : undefined;
  if (/[.eE]/.test(s)) {
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : undefined;
  }
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

export function describeConst(v: ConstValue): string {
  switch (v.kind) {
    case "string":
      return `string ${JSON.stringify(v.value.length > 40 ? v.value.slice(0, 37) + "..." : v.value)}`;
    case "number":
      return `number ${numberToString(v)}`;
    case "bool":
      return `bool ${v.value}`;
    case "null":
      return "null";
    case "array":
      return "array";
    case "object":
      return "object";
  }
}
