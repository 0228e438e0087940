/**
 * One test per pitfall of ../shared/reference/relabel-notes.md (answers of Alloy 1.18's own relabel code), so that
 * each behaviour that differs from a naive JavaScript implementation stays pinned.
 */
import { describe, expect, it } from "vitest";
import {
  compileGoRegexp,
  goToLower,
  goToUpper,
  hashmod,
  isValidRelabelTargetTemplate,
  relabel,
  RelabelRuleError,
  validateRule,
  type RelabelResult,
  type RelabelRuleInput,
} from "../../src/relabel/index.ts";

function labelsOf(result: RelabelResult): Record<string, string> {
  if (result.dropped) throw new Error(`dropped by rule ${result.rule}`);
  return { ...result.labels };
}

/** `$1`-style replace of label `v` into `out`. */
function replaceOut(regex: string, value: string, replacement = "$1"): string | undefined {
  const r = relabel([{ source_labels: ["v"], regex, target_label: "out", replacement }], { v: value });
  return labelsOf(r)["out"];
}

function matches(regex: string, value: string): boolean {
  return !relabel([{ source_labels: ["v"], regex, action: "keep" }], { v: value }).dropped;
}

function compiles(regex: string): boolean {
  return validateRule({ source_labels: ["v"], regex, action: "keep" }).length === 0;
}

describe("anchoring is string concatenation ^(?s: + regex + )$", () => {
  it("default regex (.*) and empty regex", () => {
    expect(replaceOut("(.*)", "abc")).toBe("abc");
    expect(matches("", "")).toBe(true);
    expect(matches("", "a")).toBe(false);
  });
  it("a ) in the regex escapes the anchor group", () => {
    expect(replaceOut("a)|(b", "axxx")).toBeUndefined(); // matches, $1 = "" deletes `out`
    expect(matches("a)|(b", "axxx")).toBe(true);
    expect(replaceOut("a)|(b", "xxxb")).toBe("b");
    expect(matches("a)|(b", "xxxc")).toBe(false);
    expect(compiles("a\\")).toBe(false);
    expect(compiles("a)")).toBe(false);
  });
  it("labelmap uses ReplaceAllString on the name", () => {
    const r = relabel([{ action: "labelmap", regex: "foo)|(bar", replacement: "X" }], { foo_bar: "1" });
    expect(labelsOf(r)).toEqual({ foo_bar: "1", X_X: "1" });
  });
  it("(?s) is on: . matches newline; (?-s) excludes only \\n", () => {
    expect(matches("a.b", "a\nb")).toBe(true);
    expect(matches("(?-s)a.b", "a\nb")).toBe(false);
    expect(matches("(?-s)a.b", "a\rb")).toBe(true);
    expect(matches("(?-s)a.b", "a\u2028b")).toBe(true);
  });
  it("$ is end of text; (?m)^ is not multiline for the outer anchor", () => {
    expect(matches("foo$", "foo\n")).toBe(false);
    expect(matches("(?m)^b$", "a\nb")).toBe(false);
  });
  it("leftmost-first submatches", () => {
    const r = relabel(
      [{ source_labels: ["v"], regex: "(a|ab)(c|bcd)(d*)", target_label: "out", replacement: "$1|$2|$3" }],
      { v: "abcd" },
    );
    expect(labelsOf(r)["out"]).toBe("a|bcd|");
    expect(replaceOut("(a*)+b", "b", "[$1]")).toBe("[]");
  });
  it("replace without a match changes nothing", () => {
    expect(labelsOf(relabel([{ source_labels: ["v"], regex: "x", target_label: "out" }], { v: "y", out: "keep" }))).toEqual({
      v: "y",
      out: "keep",
    });
  });
});

describe("RE2 syntax as Go accepts it", () => {
  it("named groups: (?P<n>) and (?<n>), names are [A-Za-z0-9_]+", () => {
    expect(replaceOut("(?P<n>x)", "x", "$n")).toBe("x");
    expect(replaceOut("(?<n>x)", "x", "${n}")).toBe("x");
    expect(compiles("(?P<é>x)")).toBe(false);
  });
  it("duplicate group names: the first participating group", () => {
    expect(replaceOut("(?P<x>a)|(?P<x>b)", "b", "[$x]")).toBe("[b]");
    expect(replaceOut("(?P<x>a)|(?P<x>b)", "a", "[$x]")).toBe("[a]");
    expect(compileGoRegexp("(?P<x>a)|(?<x>b)").subexpNames).toEqual(["", "x", "x"]);
  });
  it("no lookbehind, lookahead, atomic groups, possessive quantifiers, backreferences", () => {
    for (const re of ["(?<=a)b", "(?<!a)b", "(?=a)", "(?!a)", "(?>a)", "a++", "(a)\\1", "\\C"]) {
      expect(compiles(re), re).toBe(false);
    }
  });
  it("inline flags, scoped flags and ungreedy", () => {
    expect(matches("(?i)foo", "FOO")).toBe(true);
    expect(matches("(?i:foo)BAR", "FOObar")).toBe(false);
    expect(matches("(?i:foo)BAR", "fOoBAR")).toBe(true);
    expect(replaceOut("(?U)(a+)(a*)", "aaa", "$1|$2")).toBe("a|aa");
    expect(matches("(?i-s)a.", "A\n")).toBe(false);
  });
  it("case folding is Unicode simple folding", () => {
    expect(matches("(?i)k", "\u212a")).toBe(true);
    expect(matches("(?i)s", "ſ")).toBe(true);
  });
  it("\\z and \\A are supported, \\Z is an error", () => {
    expect(matches("foo\\z", "foo")).toBe(true);
    expect(matches("\\Afoo", "foo")).toBe(true);
    expect(compiles("foo\\Z")).toBe(false);
  });
  it("POSIX classes inside brackets; [:alpha:] outside is a plain class", () => {
    expect(matches("[[:alpha:]]+", "abc")).toBe(true);
    expect(matches("[[:^digit:]]+", "abc")).toBe(true);
    expect(matches("[[:word:]]+", "a_1")).toBe(true);
    expect(matches("[:alpha:]+", "alpha")).toBe(true);
    expect(compiles("[[:foo:]]")).toBe(false);
  });
  it("Unicode classes, Go ≥ 1.25 aliases and loose names", () => {
    expect(matches("\\pL+", "héllo")).toBe(true);
    expect(matches("\\p{Greek}+", "αβ")).toBe(true);
    expect(matches("\\p{^Greek}+", "ab")).toBe(true);
    expect(matches("\\PL+", "12")).toBe(true);
    expect(matches("\\p{Letter}+", "ab")).toBe(true);
    expect(matches("\\p{lu}+", "AB")).toBe(true);
    expect(matches("\\p{lu}+", "ab")).toBe(false);
    expect(matches("\\p{any}+", "a\nb")).toBe(true);
    expect(matches("\\p{ASCII}+", "ab")).toBe(true);
    expect(matches("\\p{ASCII}+", "é")).toBe(false);
    expect(matches("\\p{Assigned}+", "ab")).toBe(true);
    expect(matches("\\p{greek}", "α")).toBe(true);
    expect(matches("\\p{Uppercase_Letter}", "A")).toBe(true);
    expect(matches("[\\p{lu}\\d]+", "A1")).toBe(true);
    expect(compiles("\\p{Script=Greek}")).toBe(false);
    // Binary properties are not regexp classes in Go (re2js knows some of them).
    expect(compiles("\\p{Emoji}")).toBe(false);
    expect(compiles("\\p{White_Space}")).toBe(false);
    expect(compiles("\\p{Lowercase}")).toBe(false);
    // Scripts added after Unicode 15.0 are unknown to Go 1.26.
    expect(compiles("\\p{Garay}")).toBe(false);
  });
  it("\\d \\w \\s \\b are ASCII", () => {
    expect(matches("a\\sb", "a\u000bb")).toBe(false);
    expect(matches("a\\sb", "a\u00a0b")).toBe(false);
    expect(matches("a\\sb", "a\tb")).toBe(true);
    expect(matches("\\w+", "héllo")).toBe(false);
    expect(matches("\\bé", "é")).toBe(false);
    expect(matches("\\d", "٣")).toBe(false);
  });
  it("[]a] is a class containing ] and a", () => {
    expect(matches("[]a]+", "]a]")).toBe(true);
    expect(matches("[^]a]", "b")).toBe(true);
  });
  it("escapes: octal, \\0, \\x41, \\x{41}; \\u0041 is an error; \\Q…\\E quotes", () => {
    expect(matches("\\141", "a")).toBe(true);
    expect(matches("\\12", "\n")).toBe(true);
    expect(matches("\\0", "\0")).toBe(true);
    expect(matches("\\x41", "A")).toBe(true);
    expect(matches("\\x{41}", "A")).toBe(true);
    expect(compiles("\\u0041")).toBe(false);
    expect(matches("\\Qa.b\\E", "a.b")).toBe(true);
    expect(matches("\\Qa.b\\E", "axb")).toBe(false);
    expect(matches("\\Q(?P<x>\\E", "(?P<x>")).toBe(true);
  });
  it("repetition limits; a{,3} and a{x} are literals", () => {
    expect(compiles("a{1000}")).toBe(true);
    expect(compiles("a{1001}")).toBe(false);
    expect(compiles("(a{100}){100}")).toBe(false);
    expect(matches("a{,3}", "a{,3}")).toBe(true);
    expect(matches("a{x}", "a{x}")).toBe(true);
  });
  it("matches runes, not UTF-16 units", () => {
    expect(replaceOut("(.)(.)", "😀x", "$1")).toBe("😀");
    expect(matches("^.$", "😀")).toBe(true);
  });
});

describe("template expansion is Go's Regexp.Expand", () => {
  const expand = (template: string, regex = "(a)(b)?", value = "a"): string | undefined =>
    replaceOut(regex, value, template);
  it("$1x is group 1x; ${1}x is group 1 then x", () => {
    expect(expand("$1x")).toBeUndefined(); // "" deletes the target
    expect(expand("${1}x")).toBe("ax");
    expect(expand("[$1x]")).toBe("[]");
  });
  it("$0 / ${0} are the whole match; $10 is group 10; $01 is a name", () => {
    expect(expand("$0", "(a)", "a")).toBe("a");
    expect(expand("${0}", "(a)", "a")).toBe("a");
    const ten = "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)";
    expect(expand("$10", ten, "abcdefghij")).toBe("j");
    expect(expand("[$10]", "(a)", "a")).toBe("[]");
    expect(expand("[$01]", "(a)", "a")).toBe("[]");
  });
  it("unknown, out-of-range and non-participating groups are empty", () => {
    expect(expand("[$name][${name}]")).toBe("[][]");
    expect(expand("[$1][$2]", "(a)|(b)", "b")).toBe("[][b]");
    expect(expand("[$é]")).toBe("[]");
  });
  it("$$ is $; a $ not starting a reference is literal", () => {
    expect(expand("$$1 costs $$")).toBe("$1 costs $");
    expect(expand("cost$")).toBe("cost$");
    expect(expand("$-1 $.")).toBe("$-1 $.");
    expect(expand("${1-x")).toBe("${1-x");
  });
  it("missing source labels are empty strings joined by the separator", () => {
    const r = relabel([{ source_labels: ["a", "b"], target_label: "out" }], { a: "1" });
    expect(labelsOf(r)["out"]).toBe("1;");
  });
  it("an empty expanded replacement deletes the target", () => {
    const r = relabel([{ source_labels: ["v"], regex: "(y)?x", target_label: "out" }], { v: "x", out: "old" });
    expect(labelsOf(r)).toEqual({ v: "x" });
  });
});

describe("label names", () => {
  it("discovery accepts UTF-8 target labels without $, Alloy rejects non-legacy $ templates", () => {
    expect(labelsOf(relabel([{ source_labels: ["v"], target_label: "app.kubernetes.io/name" }], { v: "x" }))).toEqual({
      v: "x",
      "app.kubernetes.io/name": "x",
    });
    expect(() => relabel([{ source_labels: ["v"], target_label: "app.$1" }], { v: "x" })).toThrow(RelabelRuleError);
    expect(() => relabel([{ action: "labelmap", replacement: "app.$1" }], {})).toThrow(RelabelRuleError);
    // Prometheus with UTF-8 names accepts both.
    const prom = relabel([{ source_labels: ["v"], target_label: "app.$1" }], { v: "X" }, { mode: "prometheus_utf8" });
    expect(labelsOf(prom)).toEqual({ v: "X", "app.X": "X" });
  });
  it("the expanded target is checked at run time: UTF-8 in discovery, legacy in loki", () => {
    const rules: RelabelRuleInput[] = [{ source_labels: ["v"], regex: "(.*)", target_label: "${1}" }];
    expect(labelsOf(relabel(rules, { v: "foo bar" }))).toEqual({ v: "foo bar", "foo bar": "foo bar" });
    expect(labelsOf(relabel(rules, { v: "foo bar" }, { mode: "loki" }))).toEqual({ v: "foo bar" });
    expect(labelsOf(relabel(rules, { v: "foo bar" }, { mode: "prometheus_legacy" }))).toEqual({ v: "foo bar" });
    const utf8Target: RelabelRuleInput[] = [{ source_labels: ["v"], target_label: "app.kubernetes.io/name" }];
    expect(labelsOf(relabel(utf8Target, { v: "x" }, { mode: "loki" }))).toEqual({ v: "x" });
  });
  it("the $ template check is Prometheus' relabelTarget regexp", () => {
    for (const ok of ["label", "label${1}", "${1}label", "${1}", "$1", "asd$2asd", "_${1}_", "foo${bar}foo", "a1$x"]) {
      expect(isValidRelabelTargetTemplate(ok), ok).toBe(true);
    }
    for (const bad of ["-label", "${", "$", "${}", "foo${", "-foo${1}bar-", "bar.foo${1}bar", "0${3}", "", "1a"]) {
      expect(isValidRelabelTargetTemplate(bad), bad).toBe(false);
    }
  });
  it("labelmap does not validate the produced name", () => {
    expect(labelsOf(relabel([{ action: "labelmap", regex: "foo(.*)" }], { foo: "v" }))).toEqual({ foo: "v", "": "v" });
  });
});

describe("rule validation (Alloy)", () => {
  const invalid = (rule: unknown): boolean => validateRule(rule).length > 0;
  it("action names are case-sensitive; unknown attributes are errors", () => {
    expect(invalid({ action: "Replace", target_label: "x" })).toBe(true);
    expect(invalid({ action: "KEEP" })).toBe(true);
    expect(invalid({ action: "" })).toBe(true);
    expect(invalid({ action: "keep", regexp: "x" })).toBe(true);
    expect(validateRule({ action: "Keep" }, { mode: "prometheus_utf8" })).toEqual([]);
  });
  it("keepequal/dropequal: explicit regex (.*) is fine in Alloy, any explicit regex fails in Prometheus", () => {
    const rule = { action: "keepequal", source_labels: ["a"], target_label: "b", regex: "(.*)" };
    expect(validateRule(rule)).toEqual([]);
    expect(validateRule(rule, { mode: "prometheus_utf8" })).not.toEqual([]);
    expect(invalid({ ...rule, regex: "x" })).toBe(true);
    expect(validateRule({ ...rule, separator: ";", replacement: "$1" })).toEqual([]);
    expect(invalid({ ...rule, separator: "," })).toBe(true);
  });
  it("labeldrop/labelkeep with source_labels = [] is an error", () => {
    expect(invalid({ action: "labeldrop", regex: "x", source_labels: [] })).toBe(true);
    expect(validateRule({ action: "labeldrop", regex: "x", target_label: "" })).toEqual([]);
  });
  it("hashmod needs a non-zero modulus", () => {
    expect(invalid({ action: "hashmod", source_labels: ["a"], target_label: "t", modulus: 0 })).toBe(true);
    expect(invalid({ action: "hashmod", source_labels: ["a"], target_label: "t" })).toBe(true);
    expect(invalid({ action: "hashmod", source_labels: ["a"], target_label: "t", modulus: -1 })).toBe(true);
    expect(invalid({ action: "hashmod", source_labels: ["a"], target_label: "t", modulus: 1.5 })).toBe(true);
  });
  it("lowercase/uppercase targets are UTF-8 names and take no replacement", () => {
    expect(validateRule({ action: "lowercase", source_labels: ["a"], target_label: "y.z" })).toEqual([]);
    expect(invalid({ action: "lowercase", source_labels: ["a"], target_label: "y", replacement: "x" })).toBe(true);
  });
  it("errors name the rule index and the problem", () => {
    const run = (): unknown => relabel([{ action: "keep" }, { action: "replace", regex: "(" }], {});
    expect(run).toThrow(RelabelRuleError);
    expect(run).toThrow(/^rule\[1\]: regex: error parsing regexp: missing closing \)/);
    try {
      run();
    } catch (err) {
      expect((err as RelabelRuleError).ruleIndex).toBe(1);
      expect((err as RelabelRuleError).field).toBe("regex");
    }
  });
});

describe("hashmod", () => {
  it("md5, last 8 bytes as big-endian uint64, modulo", () => {
    expect(hashmod("10.132.183.40:80", 3n)).toBe("1");
    expect(hashmod("", 1000n)).toBe("958");
    expect(hashmod("x", (1n << 64n) - 1n)).toBe("17710500428000290726");
  });
  it("modulus as a bigint or a decimal string beyond 2^53", () => {
    const rule = { source_labels: ["v"], target_label: "h", action: "hashmod" };
    expect(labelsOf(relabel([{ ...rule, modulus: 18446744073709551615n }], { v: "x" }))["h"]).toBe("17710500428000290726");
    expect(labelsOf(relabel([{ ...rule, modulus: "18446744073709551615" }], { v: "x" }))["h"]).toBe("17710500428000290726");
    expect(() => relabel([{ ...rule, modulus: "18446744073709551616" }], { v: "x" })).toThrow(RelabelRuleError);
  });
});

describe("lowercase / uppercase are Go's per-rune simple case mapping", () => {
  it("differs from JavaScript's full mapping", () => {
    expect(goToUpper("straße")).toBe("STRAßE");
    expect(goToLower("İstanbul")).toBe("istanbul");
    expect(goToLower("ΣΑΣ")).toBe("σασ");
    expect(goToUpper("ﬁ")).toBe("ﬁ");
    expect(goToUpper("ǅ")).toBe("Ǆ");
    expect(goToLower("ǅ")).toBe("ǆ");
    expect(goToUpper("ᾳ")).toBe("ᾼ");
    expect(goToUpper("ᾀ")).toBe("ᾈ");
    expect(goToUpper("ŉ")).toBe("ŉ");
    expect(goToUpper("bAr123Foo")).toBe("BAR123FOO");
    expect(goToUpper("ı")).toBe("I");
    expect(goToUpper("ſ")).toBe("S");
  });
  it("leaves case pairs added after Unicode 15.0 alone", () => {
    expect(goToUpper("ɤ")).toBe("ɤ");
    expect(goToLower("\u{10D50}")).toBe("\u{10D50}");
  });
  it("as actions", () => {
    const r = relabel(
      [
        { source_labels: ["v"], target_label: "u", action: "uppercase" },
        { source_labels: ["v"], target_label: "l", action: "lowercase" },
      ],
      { v: "Straße" },
    );
    expect(labelsOf(r)).toEqual({ v: "Straße", u: "STRAßE", l: "straße" });
  });
});

describe("empty labels and label-set plumbing", () => {
  it("input labels with empty values are absent", () => {
    expect(labelsOf(relabel([], { a: "", b: "1" }))).toEqual({ b: "1" });
    const r = relabel([{ source_labels: ["a"], regex: "", action: "drop" }], { a: "" });
    expect(r.dropped).toBe(true);
  });
  it("keepequal/dropequal: both missing are equal", () => {
    const r = relabel([{ source_labels: ["a"], target_label: "b", action: "dropequal" }], { c: "1" });
    expect(r).toMatchObject({ dropped: true, rule: 0 });
  });
  it("labelkeep removing everything: {} in discovery, dropped in loki", () => {
    const rules = [{ action: "labelkeep", regex: "nothing" }];
    expect(relabel(rules, { a: "1" })).toEqual({ labels: {} });
    expect(relabel(rules, { a: "1" }, { mode: "loki" })).toEqual({ dropped: true, rule: 0, reason: "empty" });
  });
  it("labelmap iterates a snapshot (Prometheus order)", () => {
    const r = relabel([{ action: "labelmap", regex: "l_(.+)", replacement: "l_x$1" }], { l_a: "1", l_xa: "2" });
    expect(labelsOf(r)).toEqual({ l_a: "1", l_xa: "1", l_xxa: "2" });
  });
  it("__tmp labels and __ labels survive discovery.relabel", () => {
    expect(labelsOf(relabel([], { __tmp_x: "1", __meta_y: "2" }))).toEqual({ __meta_y: "2", __tmp_x: "1" });
  });
  it("output keys are sorted by code point", () => {
    expect(Object.keys(labelsOf(relabel([], { b: "1", a: "1", "😀": "1", "\uffff": "1" })))).toEqual([
      "a",
      "b",
      "\uffff",
      "😀",
    ]);
  });
});

describe("trace", () => {
  it("records every rule's before and after, and the dropping rule", () => {
    const r = relabel(
      [
        { source_labels: ["a"], target_label: "b" },
        { source_labels: ["b"], regex: "1", action: "drop" },
      ],
      { a: "1" },
      { trace: true },
    );
    expect(r).toEqual({
      dropped: true,
      rule: 1,
      reason: "rule",
      trace: [
        { rule: 0, action: "replace", before: { a: "1" }, after: { a: "1", b: "1" } },
        { rule: 1, action: "drop", before: { a: "1", b: "1" }, after: undefined },
      ],
    });
  });
});

describe("labelmap results Alloy may vary run to run are flagged", () => {
  it("two sources mapping to one name with different values", () => {
    const rules = [{ action: "labelmap", regex: "__meta_kubernetes_pod_(?:label|annotation)_(.+)" }];
    const r = relabel(rules, { __meta_kubernetes_pod_label_app: "x", __meta_kubernetes_pod_annotation_app: "y" });
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toMatch(/both map to "app"/);
    // Prometheus' order is deterministic: no warning there.
    expect(relabel(rules, { __meta_kubernetes_pod_label_app: "x", __meta_kubernetes_pod_annotation_app: "y" }, { mode: "prometheus_utf8" }).warnings).toBeUndefined();
  });
  it("a produced name that matches the regex again", () => {
    const r = relabel([{ action: "labelmap", regex: "l_(.+)", replacement: "l_x$1" }], { l_a: "1", l_xa: "2" });
    expect(r.warnings?.some((w) => w.includes('"l_xa" (from "l_a") also matches the regex'))).toBe(true);
  });
  it("the usual pod-label mapping is deterministic", () => {
    const r = relabel([{ action: "labelmap", regex: "__meta_kubernetes_pod_label_(.+)" }], { __meta_kubernetes_pod_label_app: "x" });
    expect(r.warnings).toBeUndefined();
  });
});
