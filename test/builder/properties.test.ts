/**
 * Properties of the builder on random programs: random pipelines (labels, relabel rules, stages, endpoints, objects
 * with any keys, strings with escapes and non-ASCII text, raw strings, operators and stdlib calls, comments, blank
 * lines and list layouts) built with the typed API.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Config, annotate, array, blankLine, op, raw, std, type Annotation, type CommentLine } from "../../src/builder/index.ts";
import type { Node } from "../../src/ast/ast.ts";
import { check, format, parse } from "../../src/index.ts";

const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).filter((s) => !["true", "false", "null"].includes(s));
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^[a-z0-9 ._/-]{0,12}$/), fc.constantFrom("é", "日本", "a\"b", "tab\there", "new\nline", "\\d+"));
const rawText = fc.stringMatching(/^[a-zA-Z0-9 .*+?()\\[\]{}|$^-]{0,12}$/).map((s) => s.replace(/ +$/, ""));
const comment = fc.oneof(fc.stringMatching(/^[a-zA-Z0-9 ,.]{0,20}$/), fc.stringMatching(/^[a-z ]{0,10}$/).map((s) => `/* ${s} */`));
/** Comments with blank lines among them and after them. */
const commentLines: fc.Arbitrary<CommentLine[]> = fc.array(fc.oneof({ arbitrary: comment, weight: 3 }, { arbitrary: fc.constant(blankLine), weight: 1 }), { maxLength: 3 });
const annotation: fc.Arbitrary<Annotation> = fc.record(
  { comment: commentLines, trailing: fc.stringMatching(/^[a-z ]{0,10}$/), blank: fc.boolean() },
  { requiredKeys: [] },
);
/** A block's annotation: a blank line before its closing brace too. */
const blockAnnotation: fc.Arbitrary<Annotation> = fc.tuple(annotation, fc.option(fc.boolean())).map(([a, blankEnd]) => (blankEnd === null ? a : { ...a, blankEnd }));
/** A string value: a literal, a raw string, a concatenation or a stdlib call. */
const stringValue = fc.oneof(
  text,
  rawText.map(raw),
  fc.tuple(text, ident).map(([a, b]) => op.add(a, std.sys.env(b.toUpperCase()))),
  fc.tuple(ident, text).map(([a, b]) => std.coalesce(std.sys.env(a), b, std.constants.hostname)),
);
const maybeAnnotated = <T>(arb: fc.Arbitrary<T>, how = annotation) =>
  fc.tuple(arb, fc.option(how, { freq: 3 })).map(([v, a]) => (a === null ? v : annotate(v, a)));

const rule = fc.oneof(
  fc.record({ source_labels: fc.array(ident, { minLength: 1, maxLength: 3 }), target_label: ident, replacement: fc.constantFrom("$1", "x-$1", "${1}") }),
  fc.record({ action: fc.constant("labeldrop" as const), regex: fc.constantFrom("__meta_.*", "tmp_[a-z]+", "x|y") }),
  fc.record({ action: fc.constantFrom("keep" as const, "drop" as const), source_labels: fc.array(ident, { minLength: 1, maxLength: 2 }), regex: fc.constantFrom("a.*", "(b|c)") }),
);

const stage = fc.oneof(
  fc.constant({ cri: {} }),
  fc.record({ json: fc.record({ expressions: fc.dictionary(ident, ident, { maxKeys: 3 }) }) }),
  fc.record({ static_labels: fc.record({ values: fc.dictionary(ident, text, { maxKeys: 3 }) }) }),
  fc.record({ labels: fc.record({ values: fc.dictionary(ident, fc.constant(""), { maxKeys: 2 }) }) }),
  fc.record({ drop: fc.record({ older_than: fc.constantFrom("1h", "24h", "30m") }) }),
);

const program = fc.record({
  labels: fc.uniqueArray(ident, { minLength: 6, maxLength: 6 }),
  namespaces: fc.array(maybeAnnotated(text), { maxLength: 3 }),
  // The list's comment after `[` and before `]`.
  open: fc.option(comment),
  inner: commentLines,
  rules: fc.array(maybeAnnotated(rule, blockAnnotation), { maxLength: 4 }),
  stages: fc.array(maybeAnnotated(stage, blockAnnotation), { maxLength: 4 }),
  urls: fc.array(stringValue, { minLength: 1, maxLength: 2 }),
  // Keys that need escapes are refused by the builder (alloy fmt escapes them again): tested in values.test.ts.
  external: fc.dictionary(fc.oneof(ident, fc.stringMatching(/^[a-zA-Z0-9 ./:é日-]{1,8}$/)), stringValue, { maxKeys: 3 }),
  multiline: fc.boolean(),
  headers: fc.array(comment, { maxLength: 2 }),
  notes: fc.array(fc.option(blockAnnotation), { minLength: 6, maxLength: 6 }),
});

type Program = typeof program extends fc.Arbitrary<infer R> ? R : never;

function build(p: Program): Config {
  const [a, b, c, d, e, f] = p.labels as [string, string, string, string, string, string];
  const note = (i: number) => p.notes[i] ?? undefined;
  const config = new Config(p.headers.length > 0 ? { comment: p.headers } : {});
  // Annotated elements may carry // comments, which force one element per line: leave those lists to the builder.
  const annotated = p.namespaces.some((n) => typeof n !== "string");
  const ends = { ...(p.open === null ? {} : { open: p.open }), inner: p.inner };
  // A // comment after `[` or before `]` needs the list over several lines.
  const lineComment = [p.open, ...p.inner].some((t) => typeof t === "string" && !t.startsWith("/*"));
  const names = annotated ? array(p.namespaces, ends) : array(p.namespaces as string[], { multiline: p.multiline || lineComment, ...ends });
  const pods = config.discovery.kubernetes(a, { role: "pod", namespaces: { names } }, note(0));
  const relabel = config.discovery.relabel(b, { targets: pods.targets, rule: p.rules as never }, note(1));
  const files = config.local.file_match(c, { path_targets: relabel.output }, note(2));
  config.loki.source.file(d, () => ({ targets: files.targets, forward_to: [processing.receiver] }), note(3));
  const processing = config.loki.process(e, () => ({ stage: p.stages as never, forward_to: [write.receiver] }), note(4));
  const write = config.loki.write(f, { endpoint: p.urls.map((url) => ({ url })), external_labels: p.external }, note(5));
  return config;
}

/** A node without positions, for comparing trees made from different texts. */
function shape(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(shape);
  if (typeof node !== "object" || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (["start", "end", "namePos", "labelPos", "lcurly", "rcurly", "lbrack", "rbrack", "lparen", "rparen", "opPos"].includes(k)) continue;
    out[k] = shape(v);
  }
  return out;
}

describe("builder properties", () => {
  it("parse(format(build(x))) is build(x), the output is fmt-clean and check finds nothing", () => {
    fc.assert(
      fc.property(program, (p) => {
        const config = build(p);
        const { file } = config.ast();
        const { text, diagnostics } = config.build();
        expect(diagnostics).toEqual([]);
        expect(format(text)).toBe(text);
        const reparsed = parse(text);
        expect(reparsed.diagnostics).toEqual([]);
        expect(shape(reparsed.file.body)).toEqual(shape(file.body));
        expect(reparsed.file.comments.flat().map((c) => c.text)).toEqual(file.comments.flat().map((c) => c.text));
        expect(check(text).diagnostics).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it("the layout text parses to the builder's AST, positions and comment groups included", () => {
    fc.assert(
      fc.property(program, (p) => {
        const { file, text } = build(p).ast();
        const reparsed = parse(text);
        expect(reparsed.diagnostics).toEqual([]);
        expect(reparsed.file.body as Node[]).toEqual(file.body);
        expect(reparsed.file.comments).toEqual(file.comments);
      }),
      { numRuns: 150 },
    );
  });
});
