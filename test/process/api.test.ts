/**
 * The library API as the README shows it, imported from the package's main entry.
 */
import { describe, expect, it } from "vitest";
import { junitXml, parse, ProcessConfigError, runTestSource, simulateChain, SimulationInputError, simulateProcess } from "../../src/index.ts";

describe("river's process API", () => {
  it("simulateProcess returns the entries, the drops and the trace", () => {
    const { entries, dropped, drops, trace } = simulateProcess(
      'stage.regex {\n\texpression = "^(?P<level>[A-Z]+)"\n}\nstage.labels {\n\tvalues = {level = ""}\n}',
      [{ line: "WARN disk full", labels: { app: "db" }, timestamp: "2025-01-01T00:00:00Z" }],
      { now: "2025-01-01T00:00:00Z", trace: true, extracted: true },
    );
    expect(entries).toEqual([
      { line: "WARN disk full", labels: { app: "db", level: "WARN" }, timestamp: "2025-01-01T00:00:00Z", structured_metadata: {}, extracted: { app: "db", level: "WARN" } },
    ]);
    expect([dropped, drops]).toEqual([0, []]);
    expect(trace?.map((s) => s.stage)).toEqual(["stage.regex[1]", "stage.labels[2]"]);
  });

  it("throws ProcessConfigError with diagnostics for an invalid config", () => {
    try {
      simulateProcess("\nstage.tenant { }", []);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProcessConfigError);
      expect((err as ProcessConfigError).diagnostics[0]).toMatchObject({ filename: "<stages>", line: 2, column: 1, message: "label, source or value config are required" });
    }
  });

  it("throws SimulationInputError, not a TypeError, for inputs of the wrong shape (calls from JavaScript)", () => {
    const stages = 'stage.static_labels {\n\tvalues = {a = "b"}\n}';
    const bad = (entries: unknown, message: string) => expect(() => simulateProcess(stages, entries as never)).toThrow(new SimulationInputError(message));
    bad("x", "entries must be an array of entries");
    bad([null], 'entry 1: an entry is an object with "line" (and optional labels, timestamp, structured_metadata)');
    bad([{ line: "ok" }, { line: 5 }], "entry 2: line must be a string");
    bad([{ line: "x", labels: { a: 1 } }], 'entry 1: labels: "a" must be a string');
    bad([{ line: "x", structured_metadata: "k=v" }], "entry 1: structured_metadata: expected an object of strings");
    bad([{ line: "x", timestamp: 1 }], "entry 1: timestamp must be an RFC 3339 string");
    expect(() => simulateProcess(5 as never, [])).toThrow(SimulationInputError);
  });

  it("simulateChain follows forward_to and says where entries arrived", () => {
    const text = 'loki.process "a" {\n\tstage.static_labels {\n\t\tvalues = {env = "prod"}\n\t}\n\tforward_to = [loki.echo.out.receiver]\n}\nloki.echo "out" { }\n';
    const { file, source } = parse(text, { filename: "c.alloy" });
    const chain = simulateChain(file, source, "loki.process.a", { entries: [{ line: "x" }] }, { now: "2025-01-01T00:00:00Z" });
    expect(chain.entries.map((e) => e.labels)).toEqual([{ env: "prod" }]);
    expect(chain.sinks).toEqual(["loki.echo.out"]);
  });

  it("runTestSource runs a test file against a config it reads through the callback", () => {
    const config = 'loki.process "a" {\n\tstage.drop {\n\t\texpression = "debug"\n\t}\n\tforward_to = []\n}\n';
    const test = "config: {path: a.alloy}\ninputs:\n  loki:\n    - components: [loki.process.a]\n      entries: [{line: debug x}, {line: info y}]\nassert:\n  loki:\n    - {type: equals, entries: [{line: info y}]}\n";
    const run = runTestSource(test, "dir/a.test.yaml", (p) => {
      expect(p).toBe("dir/a.alloy");
      return new TextEncoder().encode(config);
    });
    expect(run.results.map((r) => [r.name, r.passed])).toEqual([["a", true]]);
    expect([run.passed, run.failed, run.problems]).toEqual([1, 0, []]);
    expect(junitXml(run)).toContain('<testcase name="a" classname="dir/a.test.yaml"');
  });

  it("runTestSource takes the config inline too, as Alloy's pipelinetest does", () => {
    const test = 'config: |\n  loki.process "a" {\n    stage.static_labels {\n      values = {env = "prod"}\n    }\n    forward_to = []\n  }\ninputs:\n  loki:\n    - components: [loki.process.a.receiver]\n      entries: [{line: x}]\nassert:\n  loki:\n    - {type: contains, match: {labels: {values: {env: prod}}}}\n';
    const run = runTestSource(test, "inline.test.yaml", () => {
      throw new Error("no file is read");
    });
    expect([run.passed, run.failed, run.problems]).toEqual([1, 0, []]);
  });
});
