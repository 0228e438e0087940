import { describe, expect, it } from "vitest";
import { simulateProcess } from "../../src/process/index.ts";

describe("loki.process simulation", () => {
  it("keeps a label named __proto__ in its output (assignment to a plain object used to lose it)", () => {
    const input = JSON.parse(`{"__proto__": "in", "app": "web"}`) as Record<string, string>;
    const result = simulateProcess(`stage.static_labels {\n  values = { "__proto__" = "static" }\n}\n`, [{ line: "x", labels: input, timestamp: "2025-01-01T00:00:00Z" }]);
    expect(result.entries.map((e) => Object.entries(e.labels))).toEqual([[["__proto__", "static"], ["app", "web"]]]);
  });
});
