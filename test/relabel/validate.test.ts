import * as fc from "fast-check";
import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import {
  compareCodePoints,
  isValidRelabelTargetTemplate,
  UNKNOWN_VALUE,
  validateRule,
} from "../../src/relabel/index.ts";

describe("validateRule with unknown values (for the type checker)", () => {
  it("reports only the problems that do not depend on unknown attributes", () => {
    expect(validateRule({ action: "replace", target_label: UNKNOWN_VALUE })).toEqual([]);
    expect(validateRule({ action: "replace" })).toHaveLength(1);
    expect(validateRule({ action: UNKNOWN_VALUE })).toEqual([]);
    expect(validateRule({ action: "hashmod", target_label: "t", modulus: UNKNOWN_VALUE })).toEqual([]);
    expect(validateRule({ action: "hashmod", target_label: UNKNOWN_VALUE })).toEqual([
      { field: "modulus", message: "relabel configuration for hashmod requires non-zero modulus" },
    ]);
    expect(validateRule({ action: "labeldrop", regex: UNKNOWN_VALUE, separator: "," })).toHaveLength(1);
    expect(validateRule({ action: "labeldrop", source_labels: UNKNOWN_VALUE })).toEqual([]);
  });
  it("still reports decode problems of known attributes", () => {
    expect(validateRule({ action: "keep", regex: "(", target_label: UNKNOWN_VALUE })[0]?.field).toBe("regex");
    expect(validateRule({ action: "keep", bogus: UNKNOWN_VALUE })[0]?.message).toBe('unrecognized attribute name "bogus"');
  });
});

describe("isValidRelabelTargetTemplate is Prometheus' relabelTarget regexp", () => {
  const relabelTarget = RE2JS.compile("^(?:(?:[a-zA-Z_]|\\$(?:\\{\\w+\\}|\\w+))+\\w*)+$");
  it("agrees with the regexp (run by an RE2 engine) on strings over its alphabet", () => {
    const unit = fc.constantFrom("a", "Z", "_", "0", "9", "$", "{", "}", "-", ".", "é");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 12 }), (s) => {
        expect(isValidRelabelTargetTemplate(s), JSON.stringify(s)).toBe(relabelTarget.matches(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("compareCodePoints", () => {
  it("orders as UTF-8 bytes do", () => {
    const utf8 = (s: string): number[] => [...Buffer.from(s, "utf8")];
    const byBytes = (a: string, b: string): number => {
      const x = utf8(a);
      const y = utf8(b);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
      return x.length - y.length;
    };
    const unit = fc.constantFrom("a", "b", "\u00e9", "\uffff", "\ue000", "\u{1F600}", "\u{10000}");
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 4 }), fc.string({ unit, maxLength: 4 }), (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(byBytes(a, b)));
      }),
    );
  });
});
