/**
 * No input crashes the simulator: arbitrary lines, labels and timestamps through every simulated stage come out as
 * entries or counted drops, never as an exception.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileStages, runProcess, type EntryInput } from "../../src/process/index.ts";

const STAGES = `
stage.cri {
	max_partial_lines              = 2
	max_partial_line_size          = 40
	max_partial_line_size_truncate = true
}
stage.docker { }
stage.json {
	expressions    = {level = "", msg = "message", n = "nested.a[0]"}
	regex          = "^x"
}
stage.logfmt {
	mapping = {lvl = "level", ts = ""}
	regex   = "^k"
}
stage.regex {
	expression = "(?P<first>\\\\S+)(?: (?P<second>\\\\S+))?"
}
stage.pattern {
	pattern = "<a> <_> <b>"
	source  = "msg"
}
stage.labels {
	values = {level = "", first = ""}
}
stage.structured_metadata {
	values = {second = ""}
	regex  = "^k"
}
stage.template {
	source   = "first"
	template = "{{ if .first }}{{ .first | ToUpper | trunc 10 }}{{ else }}{{ .Entry | len }}{{ end }}"
}
stage.replace {
	expression = "(\\\\d+)"
	replace    = "<{{ .Value }}>"
}
stage.timestamp {
	source           = "ts"
	format           = "RFC3339"
	fallback_formats = ["UnixMs", "Jan _2 15:04:05", "2006-01-02 15:04:05.000 MST"]
}
stage.luhn {
	min_length = 4
	delimiters = " -"
}
stage.truncate {
	rule {
		limit  = "30B"
		suffix = "…"
	}
	rule {
		limit       = "8B"
		source_type = "label"
	}
	rule {
		limit       = "5B"
		source_type = "extracted"
	}
}
stage.decolorize { }
stage.tenant {
	source = "level"
}
stage.match {
	selector = "{level=~\\".+\\"} |~ \\"(?i)err\\""

	stage.static_labels {
		values = {bad = "yes"}
	}
	stage.drop {
		longer_than = "25B"
	}
}
stage.multiline {
	firstline = "^\\\\S"
	max_lines = 3
}
stage.pack {
	labels = ["bad", "level"]
}
stage.label_keep {
	values = ["level", "bad", "first", "__tenant_id__"]
}
stage.limit {
	rate  = 1
	burst = 50
	drop  = true
}
stage.sampling {
	rate = 0.9
}
stage.output {
	source = "msg"
}
stage.label_drop {
	values = ["first"]
}
stage.structured_metadata_drop {
	values = ["second"]
}
`;

const fragment = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.constantFrom("{", "}", '"', "=", " ", "\\u001b[31m", "\\n", "\\t", "P ", "F ", "stdout", "stderr", "2024-01-02T03:04:05Z", "4111 1111 1111 1111", "level=error", "err", "null", "[1,2]"),
  fc.json(),
);
const line = fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(" "));
const entry: fc.Arbitrary<EntryInput> = fc.record({
  line,
  labels: fc.dictionary(fc.constantFrom("app", "level", "k1", "namespace"), fc.string({ maxLength: 12 }), { maxKeys: 3 }),
});

describe("the simulator on arbitrary input", () => {
  it("never throws, and accounts for every entry it does not buffer", () => {
    fc.assert(
      fc.property(fc.array(entry, { minLength: 1, maxLength: 12 }), (entries) => {
        const result = runProcess(compileStages(STAGES), entries, { now: "2025-01-01T00:00:00Z", trace: true, extracted: true });
        expect(result.dropped).toBe(result.drops.length);
        expect(result.entries.length + result.dropped).toBeLessThanOrEqual(entries.length);
        for (const e of result.entries) expect(typeof e.line).toBe("string");
      }),
      { numRuns: 150 },
    );
  });
});

describe("the simulator on deeply nested JSON", () => {
  const stages = 'stage.json {\n\texpressions = {a = ""}\n\tdrop_malformed = true\n}\nstage.docker { }';
  const nested = (depth: number) => `{"a":${"[".repeat(depth - 1)}"<x>"${"]".repeat(depth - 1)}}`;

  it("extracts values as deep as Go decodes (10,000 levels), printed as Go prints them, without a stack overflow", () => {
    const out = runProcess(compileStages(stages), [{ line: nested(10_000) }], { now: "2025-01-01T00:00:00Z", extracted: true });
    expect(out.entries[0]?.extracted?.a).toBe(`${"[".repeat(9_999)}"\\u003cx\\u003e"${"]".repeat(9_999)}`);
  });

  it("treats deeper JSON as malformed, as Go's decoder does (exceeded max depth)", () => {
    const out = runProcess(compileStages(stages), [{ line: nested(10_001) }], { now: "2025-01-01T00:00:00Z" });
    expect([out.entries, out.drops.map((d) => d.reason)]).toEqual([[], ["malformed JSON (drop_malformed = true)"]]);
  });
});
