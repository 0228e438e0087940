import { describe, expect, it } from "vitest";
import { flowOf } from "../../src/graph/flow.ts";
import { edgeLabel, type GraphEdge } from "../../src/graph/model.ts";
import { parseType } from "../../src/schema/types.ts";

describe("what flows along an edge", () => {
  it.each([
    ["list(map(string))", "targets", { flow: "targets", pushed: false }],
    ["[]discovery.Target", "targets", { flow: "targets", pushed: false }],
    ["list(LogsReceiver)", "forward_to", { flow: "logs", pushed: true }],
    ["storage.Appendable", "forward_to", { flow: "metrics", pushed: true }],
    ["pyroscope.Appendable", "forward_to", { flow: "profiles", pushed: true }],
    ["list(otelcol.Consumer)", "output.traces", { flow: "traces", pushed: true }],
    ["list(otelcol.Consumer)", "output.metrics", { flow: "metrics", pushed: true }],
    ["otelcol.Consumer", "value", { flow: "otel", pushed: true }],
    ["capsule(otelcol.Handler)", "client.auth", { flow: "auth", pushed: false }],
    ["RelabelRules", "relabel_rules", { flow: "rules", pushed: false }],
    ["string or secret", "password", { flow: "value", pushed: false }],
    ["map(string)", "labels", { flow: "value", pushed: false }],
  ])("%s used by %s", (type, argument, expected) => {
    expect(flowOf(parseType(type), argument)).toEqual(expected);
  });

  it("says nothing for any, so that the argument's own type decides", () => {
    expect(flowOf(parseType("any"), "forward_to")).toBeUndefined();
    expect(flowOf(parseType("list(any)"), "forward_to")).toBeUndefined();
    expect(flowOf(undefined, "forward_to")).toBeUndefined();
  });

  it("labels an edge in the direction of the arrow", () => {
    const edge: GraphEdge = { from: "n0", to: "n1", flow: "logs", export: "receiver", argument: "forward_to", pushed: true };
    expect(edgeLabel(edge)).toBe("logs: forward_to → receiver");
    expect(edgeLabel({ ...edge, flow: "targets", export: "output", argument: "targets", pushed: false })).toBe("targets: output → targets");
    expect(edgeLabel({ ...edge, export: "" })).toBe("logs: forward_to → (exports)");
  });
});
