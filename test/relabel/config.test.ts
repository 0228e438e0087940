import { describe, expect, it } from "vitest";
import { parse } from "../../src/syntax/parse.ts";
import {
  foldConstant,
  relabelDiagnostics,
  rulesFromConfig,
  simulateComponent,
  RelabelConfigError,
} from "../../src/relabel/index.ts";

const CONFIG = `
discovery.relabel "base" {
  targets = [{"__address__" = "10.0.0.1:80", "__meta_ns" = "prod"}, {"__address__" = "10.0.0.2:80", "__meta_ns" = "dev"}]

  rule {
    source_labels = ["__meta_ns"]
    target_label  = "namespace"
  }
}

discovery.relabel "filtered" {
  targets = discovery.relabel.base.output

  rule {
    source_labels = ["namespace"]
    regex         = "pr" + "od"
    action        = "keep"
  }

  rule {
    source_labels = ["__address__"]
    regex         = "([^:]+):\\\\d+"
    target_label  = "host"
    replacement   = "$1"
  }

  rule {
    source_labels = ["__address__"]
    target_label  = "shard"
    modulus       = 2 * 2
    action        = "hashmod"
  }
}

loki.relabel "logs" {
  forward_to = []

  rule {
    regex  = ".*"
    action = "labeldrop"
  }
}
`;

describe("rules from a parsed config", () => {
  const { file, diagnostics } = parse(CONFIG, { filename: "x.alloy" });

  it("parses", () => {
    expect(diagnostics).toEqual([]);
  });

  it("extracts the rules of every relabel component with constant folding", () => {
    const components = rulesFromConfig(file);
    expect(components.map((c) => c.id)).toEqual(["discovery.relabel.base", "discovery.relabel.filtered", "loki.relabel.logs"]);
    const filtered = components[1];
    expect(filtered?.rules).toEqual([
      { source_labels: ["namespace"], regex: "prod", action: "keep" },
      { source_labels: ["__address__"], regex: "([^:]+):\\d+", target_label: "host", replacement: "$1" },
      { source_labels: ["__address__"], target_label: "shard", modulus: 4, action: "hashmod" },
    ]);
    expect(filtered?.problems).toEqual([]);
  });

  it("simulates a chain, feeding the given targets to its first component", () => {
    const sims = simulateComponent(file, "discovery.relabel.filtered", [
      { __address__: "10.0.0.9:9090", __meta_ns: "prod" },
      { __address__: "10.0.0.9:9090", __meta_ns: "dev" },
    ]);
    expect(sims).toHaveLength(2);
    expect(sims[0]?.steps.map((s) => s.component)).toEqual(["discovery.relabel.base", "discovery.relabel.filtered"]);
    expect(sims[0]?.result).toEqual({
      labels: { __address__: "10.0.0.9:9090", __meta_ns: "prod", host: "10.0.0.9", namespace: "prod", shard: expect.any(String) },
    });
    expect(sims[1]?.result).toMatchObject({ dropped: true, rule: 0 });
    expect(sims[1]?.steps.at(-1)?.component).toBe("discovery.relabel.filtered");
  });

  it("uses the constant targets of the chain's start when none are given", () => {
    const sims = simulateComponent(file, "discovery.relabel.filtered");
    expect(sims.map((s) => (s.result.dropped ? "dropped" : s.result.labels["host"]))).toEqual(["10.0.0.1", "dropped"]);
  });

  it("simulates loki.relabel in loki mode (an entry without labels is dropped)", () => {
    const sims = simulateComponent(file, "loki.relabel.logs", [{ filename: "/var/log/x.log" }]);
    expect(sims[0]?.result).toEqual({ dropped: true, rule: 0, reason: "empty" });
  });

  it("reports an unknown component", () => {
    expect(() => simulateComponent(file, "discovery.relabel.nope", [])).toThrow(/no component discovery\.relabel\.nope/);
  });
});

describe("problems carry positions", () => {
  it("a non-constant value", () => {
    const src = `discovery.relabel "a" {\n  targets = []\n  rule {\n    target_label = sys.env("X")\n  }\n}\n`;
    const { file, source } = parse(src, { filename: "a.alloy" });
    const diags = relabelDiagnostics(file, source);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ line: 4, column: 20, code: "RELABEL_RULE" });
    expect(diags[0]?.message).toMatch(/a function call is not a constant/);
    expect(() => simulateComponent(file, "discovery.relabel.a", [{ a: "1" }])).toThrow(RelabelConfigError);
  });

  it("an invalid rule is reported at the attribute at fault", () => {
    const src = `discovery.relabel "a" {\n  targets = []\n  rule {\n    action = "Keep"\n  }\n  rule {\n    regex = "("\n  }\n}\n`;
    const { file, source } = parse(src, { filename: "a.alloy" });
    const diags = relabelDiagnostics(file, source);
    expect(diags.map((d) => [d.line, d.column])).toEqual([
      [4, 5],
      [7, 5],
    ]);
    expect(diags[0]?.message).toBe('discovery.relabel.a: rule[0]: unrecognized action type "Keep"');
  });

  it("numbers where a rule expects strings convert as Alloy converts them (no false error)", () => {
    const src = `discovery.relabel "a" {\n  targets = []\n  rule {\n    target_label = "shard"\n    replacement = 1\n  }\n  rule {\n    source_labels = ["a", 2]\n    separator = 0\n    target_label = "ab"\n  }\n}\n`;
    const { file, source } = parse(src, { filename: "a.alloy" });
    expect(relabelDiagnostics(file, source)).toEqual([]);
    expect(simulateComponent(file, "discovery.relabel.a", [{ a: "x", "2": "y" }])[0]?.result).toEqual({
      labels: { "2": "y", a: "x", ab: "x0y", shard: "1" },
    });
  });

  it("folds as Alloy evaluates: int division, Go's number text, octal literals, errors with positions", () => {
    const src = `discovery.relabel "a" {\n  targets = []\n  rule {\n    target_label = "q"\n    replacement = 7 / 2\n  }\n  rule {\n    target_label = "big"\n    replacement = 1e21\n  }\n  rule {\n    target_label = "oct"\n    replacement = 010 + 0.5\n  }\n  rule {\n    target_label = "cmp"\n    replacement = "x" + "y"\n  }\n}\n`;
    const { file, source } = parse(src, { filename: "a.alloy" });
    expect(relabelDiagnostics(file, source)).toEqual([]);
    expect(simulateComponent(file, "discovery.relabel.a", [{ a: "1" }])[0]?.result).toEqual({
      labels: { a: "1", q: "3", big: "1000000000000000000000", oct: "8.5", cmp: "xy" },
    });
    const hashmod = parse(`discovery.relabel "a" {\n  targets = []\n  rule {\n    source_labels = ["a"]\n    target_label = "h"\n    action = "hashmod"\n    modulus = -1\n  }\n}\n`);
    expect(relabelDiagnostics(hashmod.file, hashmod.source)).toEqual([]);
    expect(rulesFromConfig(hashmod.file)[0]?.rules[0]?.modulus).toBe(18446744073709551615n); // Go's uint64(-1)
    const bad = parse(`discovery.relabel "a" {\n  targets = []\n  rule {\n    target_label = "t"\n    replacement = "n" + 1\n  }\n  rule {\n    modulus = 1 / 0\n  }\n}\n`, { filename: "b.alloy" });
    expect(relabelDiagnostics(bad.file, bad.source).map((d) => [d.line, d.column, d.message])).toEqual([
      [5, 19, "discovery.relabel.a: rule[0]: cannot apply + to string and number"],
      [8, 15, "discovery.relabel.a: rule[1]: cannot apply / to number and number: divide by zero"],
    ]);
  });

  it("folds constant expressions", () => {
    const { file } = parse(`x = ["a" + "b", 1 + 2 * 3, -(4), (2 ^ 10), {"k" = "v"}, true && !false, 18446744073709551615]\n`);
    const stmt = file.body[0];
    if (stmt?.kind !== "AttributeStmt") throw new Error("expected an attribute");
    expect(foldConstant(stmt.value)).toEqual({
      ok: true,
      value: ["ab", 7, -4, 1024, { k: "v" }, true, 18446744073709551615n],
    });
  });
});
