import { describe, expect, it } from "vitest";
import { check, type CheckOptions } from "../../src/check/index.ts";

function errors(src: string, options: CheckOptions = {}) {
  return check(src, options).diagnostics.filter((d) => d.severity === "error");
}
function codes(src: string, options: CheckOptions = {}) {
  return errors(src, options).map((d) => d.code);
}
function warnings(src: string, options: CheckOptions = {}) {
  return check(src, options).diagnostics.filter((d) => d.severity === "warning").map((d) => d.code);
}

const WRITE = `loki.write "default" {\n  endpoint {\n    url = "http://loki:3100/loki/api/v1/push"\n  }\n}\n`;
const RW = `prometheus.remote_write "default" {\n  endpoint {\n    url = "http://mimir/api/v1/push"\n  }\n}\n`;

/** A loki.process feeding loki.write, with `body` inside loki.process. */
function lokiProcess(body: string): string {
  return `loki.process "p" {\n  forward_to = [loki.write.default.receiver]\n${body}\n}\n` + WRITE;
}

/** A discovery.relabel whose output is used, with `body` inside it. */
function relabel(body: string): string {
  return `discovery.relabel "r" {\n  targets = []\n${body}\n}\nprometheus.scrape "s" {\n  targets = discovery.relabel.r.output\n  forward_to = [prometheus.remote_write.default.receiver]\n}\n` + RW;
}

describe("names", () => {
  it("unknown component, with did-you-mean", () => {
    const e = errors(`prometheus.scrap "x" {\n  targets = []\n  forward_to = []\n}\n`);
    expect(e.map((d) => d.code)).toEqual(["UNKNOWN_COMPONENT"]);
    expect(e[0]?.message).toContain(`did you mean "prometheus.scrape"`);
    expect(e[0]).toMatchObject({ line: 1, column: 1 });
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n}\n`)).toEqual([]);
  });
  it("unknown attribute, with did-you-mean", () => {
    const e = errors(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  scrape_intervall = "1m"\n}\n`);
    expect(e.map((d) => d.code)).toEqual(["UNKNOWN_ATTRIBUTE"]);
    expect(e[0]?.message).toContain(`did you mean "scrape_interval"`);
    expect(e[0]).toMatchObject({ line: 4, column: 3 });
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  scrape_interval = "1m"\n}\n`)).toEqual([]);
  });
  it("unknown block, and attribute/block confusion", () => {
    expect(codes(`prometheus.remote_write "x" {\n  endpont {\n    url = "http://a"\n  }\n}\n`)).toEqual(["UNKNOWN_BLOCK"]);
    expect(errors(`prometheus.remote_write "x" {\n  endpoint = {}\n}\n`)[0]?.message).toContain("is a block");
    expect(codes(RW)).toEqual([]);
  });
  it("missing required attribute and block", () => {
    const e = errors(`prometheus.scrape "x" {\n  targets = []\n}\n`);
    expect(e.map((d) => d.code)).toEqual(["MISSING_ATTRIBUTE"]);
    expect(e[0]?.message).toContain("forward_to");
    expect(codes(`otelcol.processor.batch "b" {\n}\n`)).toEqual(["MISSING_BLOCK"]);
    expect(codes(`otelcol.processor.batch "b" {\n  output {}\n}\n`)).toEqual([]);
  });
  it("duplicate attribute, non-repeatable block repeated", () => {
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  targets = []\n  forward_to = []\n}\n`)).toEqual(["DUPLICATE_ATTRIBUTE"]);
    expect(codes(`otelcol.processor.batch "b" {\n  output {}\n  output {}\n}\n`)).toEqual(["DUPLICATE_BLOCK"]);
    expect(codes(RW.replace("  endpoint {", "  endpoint {\n    url = \"http://b\"\n  }\n  endpoint {"))).toEqual([]);
  });
  it("duplicate component labels and block labels", () => {
    expect(codes(WRITE + WRITE)).toContain("DUPLICATE_COMPONENT");
    const snmp = (t: string) => `prometheus.exporter.snmp "s" {\n  config_file = "snmp.yml"\n${t}\n}\n`;
    expect(codes(snmp(`  target "a" {\n    address = "1"\n  }\n  target "a" {\n    address = "2"\n  }`))).toEqual(["DUPLICATE_LABEL"]);
    expect(codes(snmp(`  target "a" {\n    address = "1"\n  }\n  target "b" {\n    address = "2"\n  }`))).toEqual([]);
  });
  it("label rules: components need one, unlabeled blocks refuse one, labeled blocks need one", () => {
    expect(codes(`loki.write {\n  endpoint {\n    url = "http://a"\n  }\n}\n`)).toEqual(["MISSING_LABEL"]);
    expect(codes(`logging "x" {\n  level = "info"\n}\n`)).toEqual(["UNEXPECTED_LABEL"]);
    expect(codes(`prometheus.exporter.snmp "s" {\n  config_file = "x"\n  target {\n    address = "1"\n  }\n}\n`)).toEqual(["MISSING_LABEL"]);
    expect(codes(`logging {\n  level = "info"\n}\n`)).toEqual([]);
  });
});

describe("expression types", () => {
  it("literal of the wrong type", () => {
    const e = errors(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  honor_labels = "yes"\n}\n`);
    expect(e.map((d) => d.code)).toEqual(["TYPE_MISMATCH"]);
    expect(e[0]).toMatchObject({ line: 4, column: 18 });
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  honor_labels = true\n}\n`)).toEqual([]);
  });
  it("follows Alloy's conversions: number to string, numeric string to number", () => {
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  job_name = 5\n  sample_limit = "100"\n}\n`)).toEqual([]);
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  sample_limit = "lots"\n}\n`)).toEqual(["TYPE_MISMATCH"]);
  });
  it("operators need operands of one type", () => {
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  job_name = "a" + 1\n}\n`)).toEqual(["TYPE_MISMATCH"]);
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  job_name = "a" + "b"\n  sample_limit = 2 * 50\n}\n`)).toEqual([]);
  });
  it("secrets don't become strings", () => {
    const src = (v: string) => `local.file "f" {\n  filename = "/x"\n  is_secret = true\n}\nremote.vault "v" {\n  server = "http://v"\n  path = "p"\n}\nprometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  job_name = ${v}\n}\n`;
    expect(codes(src(`remote.vault.v.data["k"]`))).toEqual(["TYPE_MISMATCH"]);
    expect(codes(src(`convert.nonsensitive(remote.vault.v.data["k"])`))).toEqual([]);
    expect(codes(src(`local.file.f.content`))).toEqual([]); // string or secret: only known at run time
  });
  it("a string or secret compares with a string (Alloy unwraps it when it is not secret)", () => {
    const src = (v: string) => `local.file "f" {\n  filename = "/x"\n}\nlocal.file "g" {\n  filename = "/y"\n  is_secret = ${v}\n}\nprometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  job_name = local.file.g.content\n}\n`;
    expect(codes(src(`local.file.f.content < "m"`))).toEqual([]);
    expect(codes(src(`"m" >= local.file.f.content`))).toEqual([]);
    expect(codes(src(`local.file.f.content < 1`))).toEqual(["TYPE_MISMATCH"]);
  });
  it("stdlib calls: unknown function, arity, argument types, deprecated alias", () => {
    const scrape = (v: string) => `prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  job_name = ${v}\n}\n`;
    expect(codes(scrape(`sys.envv("A")`))).toEqual(["UNKNOWN_FUNCTION"]);
    expect(codes(scrape(`sys.env("A", "B")`))).toEqual(["WRONG_ARGUMENT_COUNT"]);
    expect(codes(scrape(`string.join("a", ",")`))).toEqual(["TYPE_MISMATCH"]);
    expect(codes(scrape(`string.join(["a", "b"], ",")`))).toEqual([]);
    expect(codes(scrape(`env("HOME")`))).toEqual([]);
    expect(warnings(scrape(`env("HOME")`))).toContain("DEPRECATED_FUNCTION");
    expect(check(scrape(`env("HOME")`)).diagnostics.find((d) => d.code === "DEPRECATED_FUNCTION")?.message).toContain("sys.env");
  });
  it("durations must parse like Go's time.ParseDuration", () => {
    const scrape = (v: string) => `prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  scrape_interval = ${v}\n}\n`;
    expect(codes(scrape(`"1 minute"`))).toEqual(["TYPE_MISMATCH"]);
    expect(codes(scrape(`"30"`))).toEqual(["TYPE_MISMATCH"]);
    expect(codes(scrape(`"1d"`))).toEqual(["TYPE_MISMATCH"]);
    expect(codes(scrape(`"1m30s"`))).toEqual([]);
    expect(codes(scrape(`0`))).toEqual([]);
  });
  it("constant values fold as Alloy evaluates them (%, comparisons, indexing, 64-bit integers)", () => {
    const scrape = (v: string) => `prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  scrape_interval = ${v}\n}\n`;
    expect(codes(scrape(`10 % 5`))).toEqual([]);
    expect(codes(scrape(`10 % 3`))).toEqual(["TYPE_MISMATCH"]); // 1: a duration needs a unit
    expect(codes(scrape(`["1m", "1 m"][1]`))).toEqual(["TYPE_MISMATCH"]);
    expect(codes(`prometheus.scrape "x" {\n  targets = []\n  forward_to = []\n  honor_labels = 1 < 2\n}\n`)).toEqual([]);
    const hashmod = (m: string) => relabel(`  rule {\n    source_labels = ["a"]\n    target_label = "b"\n    action = "hashmod"\n    modulus = ${m}\n  }`);
    expect(codes(hashmod("18446744073709551615"))).toEqual([]);
    expect(codes(hashmod("2 ^ 64"))).toEqual(["INVALID_RELABEL_RULE"]); // wraps to 0
    expect(codes(hashmod("-1"))).toEqual([]); // Go's uint64(-1): 18446744073709551615
    expect(codes(hashmod("2.9"))).toEqual([]); // 2
    expect(codes(hashmod("0.5"))).toEqual(["INVALID_RELABEL_RULE"]); // 0
    expect(codes(relabel(`  rule {\n    source_labels = ["a"]\n    regex = ["(", "a"][0]\n    target_label = "b"\n  }`))).toEqual(["INVALID_REGEX"]);
  });
});

describe("references", () => {
  it("the component must exist", () => {
    const e = errors(`loki.process "p" {\n  forward_to = [loki.write.defualt.receiver]\n}\n` + WRITE);
    expect(e.map((d) => d.code)).toEqual(["UNDEFINED_REFERENCE"]);
    expect(e[0]?.message).toContain(`did you mean "loki.write.default"`);
    expect(codes(lokiProcess(""))).toEqual([]);
  });
  it("the export must exist", () => {
    expect(codes(`loki.process "p" {\n  forward_to = [loki.write.default.input]\n}\n` + WRITE)).toEqual(["UNKNOWN_EXPORT"]);
  });
  it("the export's type must fit where it is used", () => {
    const bad = `discovery.relabel "x" {\n  targets = []\n}\nloki.process "p" {\n  forward_to = [discovery.relabel.x.output]\n}\n`;
    const e = errors(bad);
    expect(e.map((d) => d.code)).toEqual(["TYPE_MISMATCH"]);
    expect(e[0]).toMatchObject({ line: 5, column: 17 });
    expect(e[0]?.message).toContain("LogsReceiver");
    expect(codes(`prometheus.scrape "s" {\n  targets = []\n  forward_to = [loki.write.default.receiver]\n}\n` + WRITE)).toEqual(["TYPE_MISMATCH"]);
  });
  it("cycles are errors", () => {
    const cyc = `prometheus.relabel "a" {\n  forward_to = [prometheus.relabel.b.receiver]\n}\nprometheus.relabel "b" {\n  forward_to = [prometheus.relabel.a.receiver]\n}\n`;
    expect(codes(cyc)).toEqual(["CYCLE", "CYCLE"]);
    expect(codes(`prometheus.relabel "a" {\n  forward_to = [prometheus.remote_write.default.receiver]\n}\n` + RW)).toEqual([]);
  });
  it("unused non-sink components are a warning", () => {
    expect(warnings(WRITE)).toEqual(["UNUSED_COMPONENT"]);
    expect(warnings(lokiProcess(""))).toEqual(["UNUSED_COMPONENT"]); // loki.process.p itself is not used
    expect(warnings(`prometheus.scrape "s" {\n  targets = []\n  forward_to = [prometheus.remote_write.default.receiver]\n}\n` + RW)).toEqual([]);
  });
  it("a directory is one config: references resolve across files", () => {
    const files = [
      { filename: "a.alloy", text: `loki.process "p" {\n  forward_to = [loki.write.default.receiver]\n}\n` },
      { filename: "b.alloy", text: WRITE },
    ];
    expect(check(files).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(check([files[0]!]).diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual(["UNDEFINED_REFERENCE"]);
  });
  it("fragment mode assumes undefined references exist, and checks everything else", () => {
    const src = `loki.process "p" {\n  forward_to = [loki.write.elsewhere.receiver]\n}\n`;
    expect(codes(src)).toEqual(["UNDEFINED_REFERENCE"]);
    expect(codes(src, { fragment: true })).toEqual([]);
    expect(codes(`loki.process "p" {\n  forward_to = [loki.write.x.receiver]\n  bogus = 1\n}\n`, { fragment: true })).toEqual(["UNKNOWN_ATTRIBUTE"]);
  });
  it("a fragment's stand-alone block that fits several components' blocks still reports its errors", () => {
    // basic_auth exists in many components: the error must not vanish because every candidate reports it alike.
    expect(codes(`basic_auth {\n  usernme = "u"\n}\n`, { fragment: true })).toEqual(["UNKNOWN_ATTRIBUTE"]);
    expect(codes(`basic_auth {\n  username = sys.envv("U")\n}\n`, { fragment: true })).toEqual(["UNKNOWN_FUNCTION"]);
    expect(codes(`basic_auth {\n  username = "u"\n  password = "p"\n}\n`, { fragment: true })).toEqual([]);
  });
});

describe("component rules", () => {
  it("relabel action must be one of the 11", () => {
    expect(codes(relabel(`  rule {\n    action = "replce"\n    target_label = "a"\n  }`))).toEqual(["INVALID_RELABEL_RULE"]);
    expect(codes(relabel(`  rule {\n    action = "replace"\n    target_label = "a"\n  }`))).toEqual([]);
  });
  it("replace/hashmod/... need target_label; hashmod needs modulus", () => {
    expect(codes(relabel(`  rule {\n    source_labels = ["a"]\n    action = "replace"\n  }`))).toEqual(["INVALID_RELABEL_RULE"]);
    expect(codes(relabel(`  rule {\n    action = "hashmod"\n    target_label = "h"\n  }`))).toEqual(["INVALID_RELABEL_RULE"]);
    expect(codes(relabel(`  rule {\n    action = "hashmod"\n    target_label = "h"\n    modulus = 4\n  }`))).toEqual([]);
  });
  it("labeldrop/labelkeep/labelmap use only regex", () => {
    expect(codes(relabel(`  rule {\n    action = "labeldrop"\n    regex = "tmp_.*"\n    target_label = "x"\n  }`))).toEqual(["INVALID_RELABEL_RULE"]);
    expect(codes(relabel(`  rule {\n    action = "labeldrop"\n    regex = "tmp_.*"\n  }`))).toEqual([]);
  });
  it("relabel rules are validated by the relabel engine: pathological templates finish, positions and hints", () => {
    // Prometheus' relabelTarget regexp backtracks exponentially on this in JavaScript (22 letters took ~17 s).
    const evil = "$1" + "a".repeat(30) + "!";
    const t = errors(relabel(`  rule {\n    source_labels = ["a"]\n    target_label = "${evil}"\n  }`));
    expect(t.map((d) => [d.code, d.line, d.column])).toEqual([["INVALID_RELABEL_RULE", 5, 5]]);
    expect(t[0]?.message).toContain("use a label name, optionally with $1");
    const m = errors(relabel(`  rule {\n    action = "labelmap"\n    regex = "x_(.*)"\n    replacement = "${evil}"\n  }`));
    expect(m.map((d) => [d.code, d.line])).toEqual([["INVALID_RELABEL_RULE", 6]]);
    expect(codes(relabel(`  rule {\n    source_labels = ["a"]\n    target_label = "\${1}_${"a".repeat(10000)}"\n  }`))).toEqual([]);
  });
  it("relabel rules: unknown values are not guessed at, numeric strings convert, every extra field is pointed at", () => {
    expect(codes(relabel(`  rule {\n    action = sys.env("ACTION")\n    target_label = "x"\n  }`))).toEqual([]);
    expect(codes(relabel(`  rule {\n    source_labels = ["a"]\n    target_label = sys.env("T")\n  }`))).toEqual([]);
    expect(codes(relabel(`  rule {\n    action = "hashmod"\n    target_label = "h"\n    modulus = "4"\n  }`))).toEqual([]);
    // Alloy's decoder converts a float into the uint64 modulus as Go does (1.5 is 1; see convertGoNumber).
    expect(codes(relabel(`  rule {\n    action = "hashmod"\n    target_label = "h"\n    modulus = 1.5\n  }`))).toEqual([]);
    // A literal "unknown" is an unknown action, not an unknown value.
    expect(codes(relabel(`  rule {\n    action = "unknown"\n    target_label = "a"\n  }`))).toEqual(["INVALID_RELABEL_RULE"]);
    const typo = errors(relabel(`  rule {\n    action = "replce"\n    target_label = "a"\n  }`));
    expect(typo[0]?.message).toContain('did you mean "replace"?');
    const extra = errors(relabel(`  rule {\n    action = "keepequal"\n    source_labels = ["a"]\n    target_label = "b"\n    regex = "x"\n    separator = ","\n  }`));
    expect(extra.map((d) => [d.code, d.line])).toEqual([["INVALID_RELABEL_RULE", 7], ["INVALID_RELABEL_RULE", 8]]);
    expect(extra[0]?.message).toContain("remove regex");
    // Alloy compares with the defaults by value: writing them out is fine.
    expect(codes(relabel(`  rule {\n    action = "keepequal"\n    source_labels = ["a"]\n    target_label = "b"\n    regex = "(.*)"\n    separator = ";"\n  }`))).toEqual([]);
  });
  it("regexes must compile as RE2 (not JavaScript)", () => {
    const e = errors(relabel(`  rule {\n    action = "keep"\n    source_labels = ["a"]\n    regex = "(?=x)"\n  }`));
    expect(e.map((d) => d.code)).toEqual(["INVALID_REGEX"]);
    expect(e[0]).toMatchObject({ line: 6, column: 13 });
    expect(codes(relabel(`  rule {\n    action = "keep"\n    source_labels = ["a"]\n    regex = "(?P<x>a+)|b"\n  }`))).toEqual([]);
    expect(codes(lokiProcess(`  stage.regex {\n    expression = "(?<name"\n  }`))).toEqual(["INVALID_REGEX"]);
    expect(codes(lokiProcess(`  stage.regex {\n    expression = "(?P<name>\\\\w+)"\n  }`))).toEqual([]);
  });
  it("regexes Go accepts and plain re2js rejects are not errors (duplicate group names, \\p{Letter})", () => {
    const keep = (re: string) => relabel(`  rule {\n    action = "keep"\n    source_labels = ["a"]\n    regex = ${JSON.stringify(re)}\n  }`);
    expect(codes(keep("(?P<x>a)|(?P<x>b)"))).toEqual([]);
    expect(codes(keep("\\p{Letter}+"))).toEqual([]);
    expect(codes(lokiProcess(`  stage.regex {\n    expression = "(?P<x>\\\\p{Letter}+)|(?P<x>\\\\d+)"\n  }`))).toEqual([]);
    // Go rejects these too.
    expect(codes(keep("\\p{Script=Greek}"))).toEqual(["INVALID_REGEX"]);
    expect(codes(keep("\\1"))).toEqual(["INVALID_REGEX"]);
  });
  it("enum arguments take only their values (discovery.kubernetes role)", () => {
    const k = (role: string) => `discovery.kubernetes "k" {\n  role = "${role}"\n}\nprometheus.scrape "s" {\n  targets = discovery.kubernetes.k.targets\n  forward_to = [prometheus.remote_write.default.receiver]\n}\n` + RW;
    expect(codes(k("pods"))).toEqual(["INVALID_ENUM"]);
    expect(codes(k("pod"))).toEqual([]);
  });
  it("stage.drop option combinations", () => {
    expect(codes(lokiProcess(`  stage.drop {\n    drop_counter_reason = "x"\n  }`))).toEqual(["INVALID_STAGE"]);
    expect(codes(lokiProcess(`  stage.drop {\n    source = "level"\n    value = "debug"\n    expression = ".*"\n  }`))).toEqual(["INVALID_STAGE"]);
    expect(codes(lokiProcess(`  stage.drop {\n    value = "debug"\n  }`))).toEqual(["INVALID_STAGE"]);
    expect(codes(lokiProcess(`  stage.drop {\n    source = "level"\n    value = "debug"\n  }`))).toEqual([]);
  });
  it("stage.match selector is a LogQL stream selector with optional line filters", () => {
    const m = (sel: string, inner = `    stage.static_labels {\n      values = { a = "b" }\n    }`) => lokiProcess(`  stage.match {\n    selector = ${JSON.stringify(sel)}\n${inner}\n  }`);
    expect(codes(m(`app="web"`))).toEqual(["INVALID_SELECTOR"]);
    expect(codes(m(`{app="web"} | json`))).toEqual(["INVALID_SELECTOR"]);
    expect(codes(m(`{app=~"(web"}`))).toEqual(["INVALID_SELECTOR"]);
    expect(codes(m(`{app="web", env!="dev"} |= "error" !~ "debug.*"`))).toEqual([]);
    expect(codes(m(`{app="web"}`, ""))).toEqual(["INVALID_STAGE"]);
    expect(codes(lokiProcess(`  stage.match {\n    selector = "{app=\\"web\\"}"\n    action = "drop"\n  }`))).toEqual([]);
  });
});

describe("names that are also Object.prototype's", () => {
  it("constructor, toString and __proto__ are ordinary names, not inherited properties", () => {
    const file = (value: string) => `local.file "a" {\n  filename = "x"\n}\nlocal.file "b" {\n  filename = ${value}\n}\n`;
    const messages = (value: string) => errors(file(value)).map((d) => `${d.code}: ${d.message}`);
    // An object's field type: a missing field is unknown (any), never Object's constructor function.
    expect(messages(`{a = "x"}.constructor`)).toEqual([]);
    expect(messages(`{__proto__ = "x"}.__proto__`)).toEqual([]);
    expect(messages(`{__proto__ = [1]}.__proto__`).map((m) => m.split(",")[0])).toEqual([`TYPE_MISMATCH: local.file: filename: expected string`]);
    // Not deprecated stdlib aliases ("use function Object() { [native code] } instead").
    expect(messages(`constructor("x")`)).toEqual([`UNDEFINED_REFERENCE: constructor does not exist or is out of scope`]);
    expect(messages(`toString`)).toEqual([`UNDEFINED_REFERENCE: toString does not exist or is out of scope`]);
    expect(check(file(`constructor("x")`)).diagnostics.map((d) => d.code)).not.toContain("DEPRECATED_FUNCTION");
  });
});

describe("custom components and modules", () => {
  const DECLARE = `declare "tail" {\n  argument "paths" {\n  }\n  argument "level" {\n    optional = true\n    default = "info"\n  }\n  local.file_match "m" {\n    path_targets = argument.paths.value\n  }\n  export "targets" {\n    value = local.file_match.m.targets\n  }\n}\n`;
  it("instances are checked against the declare's arguments and exports", () => {
    const use = (body: string, ref = "tail.t.targets") => DECLARE + `tail "t" {\n${body}\n}\nprometheus.scrape "s" {\n  targets = ${ref}\n  forward_to = [prometheus.remote_write.default.receiver]\n}\n` + RW;
    expect(codes(use(`  paths = []`))).toEqual([]);
    expect(codes(use(``))).toEqual(["MISSING_ATTRIBUTE"]);
    expect(codes(use(`  paths = []\n  pathz = []`))).toEqual(["UNKNOWN_ATTRIBUTE"]);
    expect(codes(use(`  paths = []`, "tail.t.output"))).toEqual(["UNKNOWN_EXPORT"]);
    // The export's type is inferred from its value: targets are not metrics receivers.
    expect(codes(DECLARE + `tail "t" {\n  paths = []\n}\nprometheus.relabel "r" {\n  forward_to = [tail.t.targets]\n}\n`)).toEqual(["TYPE_MISMATCH"]);
  });
  it("argument references resolve inside the declare body", () => {
    expect(codes(DECLARE.replace("argument.paths.value", "argument.pathz.value") + `tail "t" {\n  paths = []\n}\n`)).toContain("UNDEFINED_REFERENCE");
  });
  it("import.string modules are resolved; import.git/http are opaque (a warning, never an error)", () => {
    const mod = `import.string "m" {\n  content = ${JSON.stringify(DECLARE)}\n}\nm.tail "t" {\n  paths = []\n}\n`;
    expect(codes(mod)).toEqual([]);
    expect(codes(mod.replace("paths = []", "pathz = []")).sort()).toEqual(["MISSING_ATTRIBUTE", "UNKNOWN_ATTRIBUTE"]);
    const git = `import.git "g" {\n  repository = "https://example.com/m.git"\n  path = "m.alloy"\n}\ng.anything "x" {\n  whatever = 1\n}\n`;
    expect(codes(git)).toEqual([]);
    expect(warnings(git)).toContain("OPAQUE_IMPORT");
  });
  it("import.file modules are read through options.readModule", () => {
    const src = `import.file "f" {\n  filename = "mod.alloy"\n}\nf.tail "t" {\n  pathz = []\n}\n`;
    expect(codes(src, { readModule: (p) => (p === "mod.alloy" ? DECLARE : undefined) })).toContain("UNKNOWN_ATTRIBUTE");
    expect(codes(src)).toEqual([]);
  });
  it("an import.file cycle is an error at the import that closes it, not a crash", () => {
    const importing = (label: string, path: string) => `import.file "${label}" {\n  filename = "${path}"\n}\n`;
    const self = check([{ filename: "conf/a.alloy", text: importing("a", "a.alloy") }], { readModule: () => importing("a", "a.alloy") }).diagnostics;
    expect(self.map((d) => [d.code, d.filename, d.line, d.column, d.message])).toEqual([
      ["IMPORT_CYCLE", "conf/a.alloy", 2, 14, "import cycle detected: conf/a.alloy -> conf/a.alloy; a module can't import itself, directly or through other modules; remove one of these imports"],
    ]);
    // a -> b -> c -> b: reported in c, the module whose import closes the cycle; a's own import of b is fine.
    const files: Record<string, string> = { "b.alloy": importing("c", "c.alloy"), "c.alloy": importing("b", "./b.alloy") };
    const ring = check(importing("b", "b.alloy"), { filename: "a.alloy", readModule: (p) => files[p.replace("./", "")] }).diagnostics;
    expect(ring.map((d) => [d.code, d.filename, d.line, d.message.split(";")[0]])).toEqual([["IMPORT_CYCLE", "c.alloy", 2, "import cycle detected: b.alloy -> c.alloy -> b.alloy"]]);
    // The same module imported twice (a diamond) is not a cycle.
    const diamond = check(importing("x", "m.alloy") + importing("y", "m.alloy"), { readModule: () => DECLARE }).diagnostics;
    expect(diamond).toEqual([]);
  });
  it("imports may nest 100 modules deep; deeper is an error, not a stack overflow", () => {
    const chain = (depth: number) => {
      const mod = (i: number) => `import.file "m" {\n  filename = "m${i + 1}.alloy"\n}\n`;
      return check(mod(0), { filename: "m0.alloy", readModule: (p) => {
        const i = Number(/m(\d+)/.exec(p)?.[1]);
        return i >= depth ? `declare "x" {\n}\n` : mod(i);
      } }).diagnostics.map((d) => [d.code, d.filename, d.message]);
    };
    expect(chain(100)).toEqual([]);
    expect(chain(101)).toEqual([["IMPORT_DEPTH", "m100.alloy", "imports nest more than 100 modules deep (m0.alloy -> ... -> m100.alloy -> m101.alloy); flatten the chain of imports"]]);
    expect(chain(5000).map(([code]) => code)).toEqual(["IMPORT_DEPTH"]);
  });
  it("a module path is relative to the importing module's file, so nested imports resolve and keep their names", () => {
    const reads: [string, string][] = [];
    const { diagnostics } = check(`import.file "m" {\n  filename = "lib/m.alloy"\n}\n`, {
      filename: "conf/main.alloy",
      readModule: (path, from) => {
        reads.push([path, from]);
        return path === "lib/m.alloy" ? `import.file "n" {\n  filename = "n.alloy"\n}\n` : `declare "x" {\n  pathz = 1\n}\n`;
      },
    });
    expect(reads).toEqual([["lib/m.alloy", "conf/main.alloy"], ["n.alloy", "conf/lib/m.alloy"]]);
    expect(diagnostics.map((d) => [d.code, d.filename])).toEqual([["UNEXPECTED_ATTRIBUTE", "conf/lib/n.alloy"]]);
  });
  it("readModule's { error } (a device, a FIFO) is an error at the filename", () => {
    const src = `import.file "z" {\n  filename = "/dev/zero"\n}\n`;
    const d = check(src, { readModule: (p) => ({ error: `${p} is a character device, not a regular file` }) }).diagnostics;
    expect(d.map((x) => [x.code, x.severity, x.line, x.column, x.message])).toEqual([
      ["INVALID_IMPORT", "error", 2, 14, "/dev/zero is a character device, not a regular file; import.file needs a regular file (or a directory) of Alloy declarations"],
    ]);
  });
  it("foreach templates see the loop variable", () => {
    const fe = (v: string) => `foreach "f" {\n  collection = [1, 2]\n  var = "item"\n  template {\n    prometheus.exporter.self "s" {}\n    local.file "x" {\n      filename = ${v}\n    }\n  }\n}\n`;
    expect(codes(fe(`string.format("/tmp/%d", item)`))).toEqual([]);
    expect(codes(fe(`string.format("/tmp/%d", itme)`))).toEqual(["UNDEFINED_REFERENCE"]);
  });
});
