import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import config, { logsPipeline } from "../fixtures/pipelines/logs.ts";
import { check, format } from "../../src/index.ts";

const alloy = readFileSync(new URL("../../pipelines/logs.alloy", import.meta.url), "utf8");

describe("the design's pipeline in TypeScript", () => {
  it("compiles to exactly pipelines/logs.alloy, comments included", () => {
    const { text, diagnostics } = config.build({ filename: "logs.alloy" });
    expect(diagnostics).toEqual([]);
    expect(text).toBe(alloy);
  });

  it("is alloy fmt-clean and passes river check", () => {
    const { text } = config.build();
    expect(format(text)).toBe(text);
    expect(check(text).diagnostics).toEqual([]);
  });

  it("makes the health-check filter configurable, changing only the match stage", () => {
    const { text, diagnostics } = logsPipeline({ healthCheckNamespace: "monitoring", healthCheckPatterns: ["ping", "ready"] }).build();
    expect(diagnostics).toEqual([]);
    const changed = text.split("\n").filter((line, i) => line !== alloy.split("\n")[i]);
    expect(changed).toEqual([
      "\t// Health-check noise from monitoring: probes and their log lines.",
      '\t\tselector            = "{namespace=\\"monitoring\\"} |~ \\"(?i)(ping|ready)\\""',
      '\t\tdrop_counter_reason = "monitoring_health_check"',
    ]);
  });
});
