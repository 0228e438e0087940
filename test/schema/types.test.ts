import { describe, expect, it } from "vitest";
import { assignable, parseType, typeToString } from "../../src/schema/types.ts";

const t = parseType;

describe("parseType", () => {
  it("normalises the docs' spellings", () => {
    expect(typeToString(t("boolean"))).toBe("bool");
    expect(typeToString(t("uint32"))).toBe("number");
    expect(typeToString(t("[]string"))).toBe("list(string)");
    expect(typeToString(t("map[string]string"))).toBe("map(string)");
    expect(typeToString(t("lists(map(string)"))).toBe("list(map(string))");
    expect(typeToString(t("secret or string"))).toBe("string or secret");
    expect(typeToString(t("[]loki.LogsReceiver"))).toBe("list(LogsReceiver)");
    expect(typeToString(t("capsule(otelcol.Handler)"))).toBe("capsule(otelcol.Handler)");
    expect(typeToString(t("[]relabel.Config"))).toBe("RelabelRules");
    expect(typeToString(t("object"))).toBe("object");
    expect(t("something.Unknown").kind).toBe("any");
  });
});

describe("assignable follows Alloy's conversions", () => {
  const ok = (from: string, to: string) => expect(assignable(t(from), t(to)), `${from} -> ${to}`).toBe(true);
  const no = (from: string, to: string) => expect(assignable(t(from), t(to)), `${from} -> ${to}`).toBe(false);
  it("accepts what the decoder converts", () => {
    ok("number", "string");
    ok("string", "number");
    ok("string", "secret");
    ok("string or secret", "secret");
    ok("secret", "string or secret");
    ok("string or secret", "string"); // only fails at run time when the value is secret
    ok("list(map(string))", "[]discovery.Target");
    ok("LogsReceiver", "LogsReceiver");
    ok("null", "list(LogsReceiver)");
    ok("any", "MetricsReceiver");
    ok("map(string)", "object");
    ok("string", "duration");
  });
  it("rejects what it never converts", () => {
    no("secret", "string");
    no("number", "secret");
    no("bool", "string");
    no("string", "bool");
    no("list(map(string))", "list(MetricsReceiver)");
    no("LogsReceiver", "MetricsReceiver");
    no("otelcol.Consumer", "LogsReceiver");
    no("string", "list(string)");
    no("list(string)", "map(string)");
    no("list(map(secret))", "[]discovery.Target");
  });
});
