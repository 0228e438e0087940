/**
 * Stage semantics beyond the shared conformance cases: Go time layouts and text/template, the stages the cases do not
 * cover (sampling, limit by label), end-of-input flushing, and the per-stage trace.
 */
import { describe, expect, it } from "vitest";
import { formatRFC3339Nano, GoTimeError, loadLocation, parseGoTime } from "../../src/process/go-time.ts";
import { parseGoTemplate, TemplateExecError } from "../../src/process/go-template.ts";
import { simulateProcess, type EntryInput } from "../../src/process/index.ts";

const NOW = "2025-06-15T12:00:00Z";

describe("Go time layouts", () => {
  const parse = (layout: string, value: string, zone = "") => formatRFC3339Nano(parseGoTime(layout, value, loadLocation(zone)));
  it.each([
    ["2006-01-02T15:04:05Z07:00", "2024-02-29T23:59:59+02:00", "", "2024-02-29T21:59:59Z"],
    ["2006-01-02T15:04:05.999999999Z07:00", "2024-01-01T00:00:00.000000001Z", "", "2024-01-01T00:00:00.000000001Z"],
    ["Mon Jan _2 15:04:05 2006", "Tue Jan  2 03:04:05 2024", "", "2024-01-02T03:04:05Z"],
    ["02/Jan/2006:15:04:05 -0700", "03/Feb/2025:04:05:06 +0100", "", "2025-02-03T03:05:06Z"],
    ["2006-01-02 3:04:05 PM", "2024-05-06 1:02:03 PM", "", "2024-05-06T13:02:03Z"],
    ["2006-01-02 15:04:05", "2024-05-06 01:02:03.5", "", "2024-05-06T01:02:03.5Z"],
    ["2006-01-02 15:04:05,000", "2024-05-06 01:02:03,250", "", "2024-05-06T01:02:03.25Z"],
    ["2006.002", "2024.060", "", "2024-02-29T00:00:00Z"],
    ["2006-01-02 15:04 MST", "2024-07-01 12:00 UTC", "", "2024-07-01T12:00:00Z"],
    ["2006-01-02 15:04 MST", "2024-07-01 12:00 EDT", "America/New_York", "2024-07-01T16:00:00Z"],
    ["2006-01-02 15:04", "2024-01-15 12:00", "Europe/Berlin", "2024-01-15T11:00:00Z"],
  ])("%s parses %s", (layout, value, zone, want) => {
    expect(parse(layout, value, zone)).toBe(want);
  });

  it.each([
    ["2006-01-02", "2024-02-30", "day out of range"],
    ["2006-01-02", "2024-1-02", "cannot parse"],
    ["2006-01-02", "2024-01-02 extra", "extra text"],
    ["15:04", "24:00", "hour out of range"],
  ])("%s rejects %s", (layout, value, message) => {
    expect(() => parseGoTime(layout, value)).toThrow(GoTimeError);
    expect(() => parseGoTime(layout, value)).toThrow(message);
  });
});

describe("Go text/template", () => {
  const run = (t: string, data: Record<string, unknown> = {}) => parseGoTemplate(t).execute(data as never);
  it.each([
    ["{{ .a }}-{{ .missing }}", { a: "x" }, "x-<no value>"],
    ["a  {{- .a -}}  b", { a: "x" }, "axb"],
    ["{{/* comment */}}ok", {}, "ok"],
    ['{{ if eq .a "1" }}one{{ else if eq .a "2" }}two{{ else }}many{{ end }}', { a: "2" }, "two"],
    ['{{ $x := ToUpper .a }}{{ $x }}{{ $x = "y" }}{{ $x }}', { a: "b" }, "By"],
    ['{{ range $i, $v := splitList "," .a }}[{{ $i }}={{ $v }}]{{ end }}', { a: "p,q" }, "[0=p][1=q]"],
    ['{{ printf "%05d|%-4s|%q|%.2f" 42 "ab" "c\\"d" 3.14159 }}', {}, '00042|ab  |"c\\"d"|3.14'],
    ['{{ .a | replace "-" "_" | upper | trunc 5 }}', { a: "a-b-c-d" }, "A_B_C"],
    ['{{ default "none" .a }}/{{ default "none" .b }}', { a: "", b: "set" }, "none/set"],
    ['{{ regexReplaceAll "(\\\\d+)" .a "<$1>" }}', { a: "a1b22" }, "a<1>b<22>"],
    ['{{ and .a .b }}|{{ or .c .a }}|{{ not .c }}', { a: "x", b: "y", c: "" }, "y|x|true"],
    ['{{ len .a }} {{ index .m "k" }} {{ add 1 2 }} {{ sub 5 7 }}', { a: "héllo", m: { k: "v" } }, "6 v 3 -2"],
    ['{{ with .a }}[{{ . }}]{{ else }}none{{ end }}', { a: "" }, "none"],
    ['{{ slice (splitList "," .a) 1 }} {{ join "+" (list "x" 2) }}', { a: "p,q,r" }, "[q r] x+2"],
    ['{{ b64enc .a }} {{ sha256sum .a }}', { a: "x" }, "eA== 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"],
  ])("%s", (t, data, want) => {
    expect(run(t, data)).toBe(want);
  });

  it("refuses {{break}} and {{continue}} outside a range body when parsing, as Go's parser does", () => {
    expect(() => parseGoTemplate("{{ break }}")).toThrow("{{break}} outside {{range}}");
    expect(() => parseGoTemplate("{{ if true }}{{ continue }}{{ end }}")).toThrow("{{continue}} outside {{range}}");
    expect(() => parseGoTemplate("{{ range 2 }}{{ else }}{{ break }}{{ end }}")).toThrow("{{break}} outside {{range}}");
    expect(run('{{ range $i, $v := splitList "," .a }}{{ if eq $v "q" }}{{ break }}{{ end }}{{ $v }}{{ end }}', { a: "p,q,r" })).toBe("p");
  });

  it("reports execution errors as Go does (the stage then leaves its value alone)", () => {
    expect(() => run("{{ ToUpper .missing }}")).toThrow(TemplateExecError);
    expect(() => run("{{ ToUpper .missing }}")).toThrow("invalid value; expected string");
    expect(() => run('{{ eq .a 1 }}', { a: "1" })).toThrow("incompatible types for comparison");
    expect(() => run('{{ regexReplaceAll "(" .a "" }}', { a: "x" })).toThrow(TemplateExecError);
  });
});

describe("stages outside the conformance cases", () => {
  it("sampling is repeatable for a seed, and keeps about `rate` of the entries", () => {
    const entries = Array.from({ length: 2000 }, (_, i) => ({ line: `l${i}` }));
    const a = simulateProcess("stage.sampling {\n\trate = 0.25\n}", entries, { now: NOW, seed: 7 });
    const b = simulateProcess("stage.sampling {\n\trate = 0.25\n}", entries, { now: NOW, seed: 7 });
    expect(a.entries).toEqual(b.entries);
    expect(a.entries.length).toBeGreaterThan(400);
    expect(a.entries.length).toBeLessThan(600);
    expect(a.dropped).toBe(2000 - a.entries.length);
    expect(a.drops[0]?.reason).toBe("sampling_stage");
    expect(simulateProcess("stage.sampling {\n\trate = 0\n}", entries.slice(0, 10), { now: NOW }).dropped).toBe(10);
  });

  it("limit by label keeps `burst` entries per label value and passes entries without the label", () => {
    const stages = 'stage.limit {\n\trate          = 1\n\tburst         = 2\n\tdrop          = true\n\tby_label_name = "app"\n}';
    const entries = ["a", "a", "a", "b", "b", "b", ""].map((app, i): EntryInput => ({ line: `${i}`, labels: app === "" ? {} : { app } }));
    const out = simulateProcess(stages, entries, { now: NOW });
    expect(out.entries.map((e) => e.line)).toEqual(["0", "1", "3", "4", "6"]);
    expect(out.drops.map((d) => [d.input, d.stage])).toEqual([
      [2, "stage.limit[1]"],
      [5, "stage.limit[1]"],
    ]);
  });

  it("multiline flushes open blocks at the end of the input, after the lines that passed", () => {
    const out = simulateProcess('stage.multiline {\n\tfirstline = "^\\\\d"\n}', [{ line: "1 start" }, { line: "  more" }, { line: "x orphan", labels: { other: "y" } }], { now: NOW });
    expect(out.entries.map((e) => e.line)).toEqual(["x orphan", "1 start\n  more"]);
  });

  it("a partial CRI line still waiting at the end of the input is reported as held, also inside a match and a chain", () => {
    const lines = [{ line: "2025-01-01T00:00:00Z stdout P abc", labels: { app: "a" } }, { line: "2025-01-01T00:00:00Z stderr F done", labels: { app: "a" } }];
    const out = simulateProcess("stage.cri { }", lines, { now: NOW, trace: true });
    expect(out.entries.map((e) => e.line)).toEqual(["done"]);
    expect([out.dropped, out.held]).toEqual([0, [{ input: 0, stage: "stage.cri[1]", reason: "still held at the end of the input: Alloy keeps a partial line until its stream's next full line" }]]);
    expect(out.trace?.at(-1)).toMatchObject({ input: 0, stage: "stage.cri[1]", outcome: "buffered" });
    const nested = simulateProcess('stage.match {\n\tselector = "{app=\\"a\\"}"\n\tstage.cri { }\n}', lines, { now: NOW });
    expect(nested.held?.map((h) => h.stage)).toEqual(["stage.match[1] > stage.cri[1]"]);
    const complete = simulateProcess("stage.cri { }", [lines[0] as EntryInput, { line: "2025-01-01T00:00:01Z stdout F def", labels: { app: "a" } }], { now: NOW });
    expect([complete.entries.map((e) => e.line), complete.held]).toEqual([["abcdef"], undefined]);
  });

  it("pack stores the labels named and the line as JSON, sorted, _entry last", () => {
    const out = simulateProcess('stage.pack {\n\tlabels = ["pod", "app"]\n}', [{ line: "<hi>", labels: { pod: "p", app: "a", keep: "k" } }], { now: NOW });
    expect(out.entries[0]).toMatchObject({ line: '{"app":"a","pod":"p","_entry":"\\u003chi\\u003e"}', labels: { keep: "k" }, timestamp: NOW });
  });
});

describe("the per-stage trace", () => {
  it("records every stage's result, the drop with its reason, and nested stages by path", () => {
    const stages = [
      "stage.cri { }",
      'stage.match {\n\tselector      = "{app=\\"web\\"}"\n\tpipeline_name = "web"\n\n\tstage.regex {\n\t\texpression = "^(?P<verb>\\\\S+)"\n\t}\n}',
      'stage.drop {\n\tsource              = "verb"\n\tvalue               = "HEAD"\n\tdrop_counter_reason = "no_heads"\n}',
    ].join("\n\n");
    const out = simulateProcess(
      stages,
      [
        { line: "2025-01-01T00:00:00Z stdout P GET /par", labels: { app: "web" } },
        { line: "2025-01-01T00:00:00Z stdout F tial", labels: { app: "web" } },
        { line: "2025-01-01T00:00:01Z stdout F HEAD /", labels: { app: "web" } },
      ],
      { now: NOW, trace: true },
    );
    const steps = (out.trace ?? []).map((s) => [s.input, s.stage, s.outcome, s.reason ?? ""]);
    expect(steps).toEqual([
      [0, "stage.cri[1]", "buffered", "partial line (flag P), waiting for the rest"],
      [1, "stage.cri[1]", "passed", ""],
      [1, "stage.match[2] (web) > stage.regex[1]", "passed", ""],
      [1, "stage.match[2] (web)", "passed", ""],
      [1, "stage.drop[3]", "passed", ""],
      [2, "stage.cri[1]", "passed", ""],
      [2, "stage.match[2] (web) > stage.regex[1]", "passed", ""],
      [2, "stage.match[2] (web)", "passed", ""],
      [2, "stage.drop[3]", "dropped", 'no_heads (source equals "HEAD")'],
    ]);
    expect(out.entries.map((e) => e.line)).toEqual(["GET /partial"]);
    const regexStep = out.trace?.find((s) => s.input === 1 && s.stage.endsWith("stage.regex[1]"));
    expect(regexStep?.entry?.extracted).toMatchObject({ verb: "GET", stream: "stdout", app: "web" });
  });
});
