/**
 * Stage configs Alloy refuses are refused here too, with Alloy's message at the attribute (or block) at fault; stages
 * river does not simulate are named, never passed through.
 */
import { describe, expect, it } from "vitest";
import { ProcessConfigError, simulateProcess, SimulationInputError, SIMULATED_STAGES } from "../../src/process/index.ts";

function rejection(stages: string): string {
  try {
    simulateProcess(stages, [{ line: "x" }], { now: "2025-01-01T00:00:00Z" });
  } catch (err) {
    if (err instanceof ProcessConfigError) return err.message;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

const CASES: [string, string, string][] = [
  ["stage.json {}", "<stages>:1:1:", "JMES expressions or regex is required"],
  ['stage.json {\n\texpressions = {a = "a["}\n}', "<stages>:2:2:", "could not compile JMES expression"],
  ['stage.json {\n\texpressions = {a = "lower(b)"}\n}', "<stages>:2:2:", "function lower() is not supported by river's simulator"],
  ['stage.json {\n\texpressions = {a = ""}\n\tsource      = ""\n}', "<stages>:3:2:", "empty source"],
  ['stage.regex {\n\texpression = "("\n}', "<stages>:2:15:", "expression is not a valid RE2 regular expression: error parsing regexp: missing closing ): `(`"],
  ['stage.regex {\n\texpression = "a"\n\tsource     = ""\n}', "<stages>:3:2:", "empty source"],
  ['stage.logfmt {\n\tsource = "x"\n}', "<stages>:1:1:", "logfmt mapping or regex is required"],
  ['stage.match {\n\tselector = "{a=\\"b\\"} | x"\n\taction   = "drop"\n}', "<stages>:2:13:", 'invalid selector: unexpected "|"'],
  ['stage.match {\n\tselector = "{a=\\"b\\"}"\n}', "<stages>:2:2:", "a stage.match that keeps entries needs at least one nested stage"],
  ['stage.match {\n\tselector = "{a=\\"b\\"}"\n\taction   = "drop"\n\n\tstage.docker { }\n}', "<stages>:5:2:", 'a stage.match with action = "drop" can\'t contain stages'],
  ['stage.match {\n\tselector = "{a=\\"b\\"}"\n\taction   = "skip"\n\n\tstage.docker { }\n}', "<stages>:3:13:", 'action must be "keep" or "drop", got "skip"'],
  [`stage.template {\n\tsource   = "t"\n\ttemplate = "{{ ${"(".repeat(20_000)}.Entry${")".repeat(20_000)} }}"\n}`, "<stages>:1:1:", "stage.template: an expression nests too deeply for river's simulator"],
  [`stage.json {\n\texpressions = {a = "${"a.".repeat(20_000)}b"}\n}`, "<stages>:1:1:", "stage.json: an expression nests too deeply for river's simulator"],
  ["stage.drop { }", "<stages>:1:1:", "stage.drop needs at least one of source, expression, older_than or longer_than"],
  ['stage.drop {\n\tsource     = "a"\n\tvalue      = "x"\n\texpression = "y"\n}', "<stages>:3:2:", "value and expression can't both be set in stage.drop"],
  ['stage.drop {\n\tvalue = "x"\n}', "<stages>:1:1:", "stage.drop needs at least one of source, expression, older_than or longer_than"],
  ['stage.drop {\n\tlonger_than = "10 apples"\n}', "<stages>:2:2:", "invalid size"],
  ["stage.tenant { }", "<stages>:1:1:", "label, source or value config are required"],
  ['stage.tenant {\n\tlabel = "a"\n\tvalue = "b"\n}', "<stages>:1:1:", "mutually exclusive"],
  ['stage.timestamp {\n\tsource   = "t"\n\tformat   = "RFC3339"\n\tlocation = "Mars/Olympus_Mons"\n}', "<stages>:4:2:", "invalid location specified: unknown time zone Mars/Olympus_Mons"],
  ['stage.template {\n\tsource   = "a"\n\ttemplate = "{{ nope .Value }}"\n}', "<stages>:3:2:", 'function "nope" not defined'],
  ['stage.template {\n\tsource   = "a"\n\ttemplate = "{{ now }}"\n}', "<stages>:3:2:", 'function "now" is not supported by river\'s simulator'],
  ['stage.template {\n\tsource   = "a"\n\ttemplate = "{{ if .Value }}x"\n}', "<stages>:3:2:", "unexpected EOF"],
  ['stage.replace {\n\texpression = "(a)"\n\treplace    = "{{ define \\"x\\" }}{{ end }}"\n}', "<stages>:3:2:", "{{define}} is not supported"],
  ['stage.pattern {\n\tpattern = "<a><b>"\n}', "<stages>:2:2:", "found consecutive capture"],
  ['stage.pattern {\n\tpattern = "no captures"\n}', "<stages>:2:2:", "at least one capture is required"],
  ['stage.pattern {\n\tpattern = "<a> <a>"\n}', "<stages>:2:2:", "duplicate capture name (a)"],
  ['stage.truncate {\n\trule {\n\t\tlimit  = "3B"\n\t\tsuffix = "..."\n\t}\n}', "<stages>:4:3:", "suffix length cannot be greater than or equal to limit"],
  ['stage.truncate {\n\trule {\n\t\tlimit   = "3B"\n\t\tsources = ["a"]\n\t}\n}', "<stages>:4:3:", "sources cannot be set when source_type is 'line'"],
  ["stage.limit {\n\trate  = 0\n\tburst = 1\n}", "<stages>:1:1:", "limit stage failed to parse rate or burst"],
  ['stage.limit {\n\trate          = 1\n\tburst         = 1\n\tby_label_name = "app"\n}', "<stages>:4:2:", "when ratelimiting by label, drop must be true"],
  ["stage.sampling {\n\trate = 1.5\n}", "<stages>:2:2:", "Sampling Rate must be between 0.0 and 1.0"],
  ["stage.cri {\n\tmax_partial_lines = 0\n}", "<stages>:2:2:", "max_partial_lines must be greater than 0"],
  ['stage.multiline {\n\tfirstline = "["\n}', "<stages>:2:14:", "firstline is not a valid RE2 regular expression"],
  ['stage.output {\n\tsource = ""\n}', "<stages>:2:2:", "output source value is required"],
  ['stage.labels {\n\tvalues      = {a = ""}\n\tsource_type = "line"\n}', "<stages>:3:2:", "invalid labels source_type: line"],
  ['stage.geoip {\n\tsource = "ip"\n\tdb     = "/geo.mmdb"\n}', "<stages>:1:1:", "stage.geoip is not simulated by river: it needs a MaxMind database"],
  ["stage.metrics { }", "<stages>:1:1:", "stage.metrics is not simulated by river"],
  ["stage.split_json { }", "<stages>:1:1:", 'unknown block "stage.split_json"'],
  ['stage.json {\n\texpresions = {a = ""}\n}', "<stages>:2:2:", "expresions"],
  ['stage.json {\n\texpressions = {a = sys.env("X")}\n}', "<stages>:2:21:", "river can only simulate stages whose arguments are constant expressions"],
  ["forward_to = []", "<stages>:1:1:", "only stage blocks belong here"],
  ["stage.json {", "<stages>:1:", "expected"],
];

describe("stage configs that Alloy rejects", () => {
  for (const [config, position, message] of CASES) {
    it(`${JSON.stringify(config.split("\n")[0])} … ${message}`, () => {
      const got = rejection(config);
      expect(got.startsWith(position), got).toBe(true);
      expect(got).toContain(message);
    });
  }

  it("reports positions in the stage source given a filename", () => {
    expect(() => simulateProcess('\n\nstage.regex {\n\texpression = "("\n}', [], { filename: "stages.alloy" })).toThrow(/^stages\.alloy:4:15: /);
  });

  it("names every stage Alloy 1.18 has as simulated, except the four it cannot be", () => {
    expect(SIMULATED_STAGES).toHaveLength(26);
    for (const missing of ["stage.metrics", "stage.geoip", "stage.windowsevent", "stage.eventlogmessage"]) expect(SIMULATED_STAGES).not.toContain(missing);
  });
});

describe("bad input", () => {
  it("rejects an entry timestamp that is not RFC 3339, naming the entry", () => {
    expect(() => simulateProcess("stage.docker { }", [{ line: "a" }, { line: "b", timestamp: "yesterday" }])).toThrow(SimulationInputError);
    expect(() => simulateProcess("stage.docker { }", [{ line: "a" }, { line: "b", timestamp: "yesterday" }])).toThrow(/^entry 2: timestamp: /);
  });

  it("rejects a clock that is not RFC 3339", () => {
    expect(() => simulateProcess("stage.docker { }", [{ line: "a" }], { now: "noon" })).toThrow(/^now: /);
  });
});
