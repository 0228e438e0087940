import { numberToString, type Value } from "../eval/fold.ts";

/** Converts a string to a number the way Alloy does (a leading "-" means int, ".eE" means float, else uint). */
export function stringToNumber(s: string): number | undefined {
  if (s === "") return undefined;
  if (s.startsWith("-")) return /^-\d+$/.test(s) ? Number(s) : undefined;
  if (/[.eE]/.test(s)) {
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : undefined;
  }
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/** A value for a message: its type, and for scalars the value (`string "abc"`, `number 1.5`, `bool true`). */
export function describeConst(v: Value): string {
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
