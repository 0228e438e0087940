import { afterEach, describe, expect, it, vi } from "vitest";
import { haveShared, readSharedJsonl } from "./shared.ts";

describe("shared reference material", () => {
  afterEach(() => vi.unstubAllEnvs());
  it("is skipped with a warning when absent, so a fresh clone's npm test passes", () => {
    vi.stubEnv("RIVER_REQUIRE_SHARED", "");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(haveShared("no-such-dir/cases.jsonl")).toBe(false);
    expect(readSharedJsonl("no-such-dir/cases.jsonl")).toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("no-such-dir/cases.jsonl"));
    warn.mockRestore();
  });
  it("fails loudly when RIVER_REQUIRE_SHARED=1 (CI) and it is absent", () => {
    vi.stubEnv("RIVER_REQUIRE_SHARED", "1");
    expect(() => haveShared("no-such-dir/cases.jsonl")).toThrow(/no-such-dir\/cases\.jsonl is missing, and RIVER_REQUIRE_SHARED=1/);
    expect(() => readSharedJsonl("no-such-dir/cases.jsonl")).toThrow(/RIVER_REQUIRE_SHARED=1/);
  });
});
