import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMPONENTS } from "../../src/schema/index.ts";
import { check } from "../../src/check/index.ts";
import { SuggestionIndex, closestMatch, didYouMean } from "../../src/check/suggest.ts";

/** Names over a small alphabet (with the separators normalization ignores), so that near misses are common. */
const name = fc.string({ unit: fc.constantFrom("a", "b", "c", "A", "_", ".", "-", "1", "é", "😀"), maxLength: 9 });

describe("SuggestionIndex", () => {
  it("answers exactly what the linear scan answers (suggestion and score)", () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 40 }), fc.array(name, { minLength: 1, maxLength: 10 }), (candidates, queries) => {
        const index = new SuggestionIndex(candidates);
        for (const q of queries) expect(index.closest(q)).toEqual(closestMatch(q, candidates));
      }),
      { numRuns: 500 },
    );
  });
  it("keeps the suggestions the checker's messages show", () => {
    const names = Object.keys(COMPONENTS);
    const index = new SuggestionIndex(names);
    for (const typo of ["prometheus.scrap", "loki.proces", "discovery.kubernets", "otelcol.exporter.otlphttp", "Prometheus.Scrape", "x"]) {
      expect(index.closest(typo)?.candidate).toBe(didYouMean(typo, names));
    }
    expect(index.closest("prometheus.scrap")).toEqual({ candidate: "prometheus.scrape", score: 1 });
    expect(index.closest("loki_write")).toEqual({ candidate: "loki.write", score: 0 });
    expect(index.closest("nothing.like.it")).toBeUndefined();
  });
  it("prefers the alphabetically first of equally close candidates, like the scan", () => {
    const index = new SuggestionIndex(["pods_2", "pods_1", "pods_10"]);
    expect(index.closest("pods_")).toEqual({ candidate: "pods_1", score: 1 });
    expect(closestMatch("pods_", ["pods_2", "pods_1", "pods_10"])).toEqual({ candidate: "pods_1", score: 1 });
  });
  it("does not recurse: a candidate of 200,000 characters is indexed and walked", () => {
    const long = "a".repeat(200_000);
    const index = new SuggestionIndex([long, "b"]);
    expect(index.closest(long.slice(1))).toEqual({ candidate: long, score: 1 });
  });
});

describe("did-you-mean in a large config", () => {
  // A linear scan per undefined reference made this quadratic: this case took 62 s, now half a second.
  it("1,500 copies of a pipeline with a broken reference each are checked in seconds, each with its own suggestion", () => {
    let text = "";
    for (let i = 0; i < 1500; i++) {
      text += `discovery.kubernetes "pods_${i}" {\n  role = "pod"\n}\n`;
      text += `discovery.relabel "pods_${i}" {\n  targets = discovery.kubernetes.pod_${i}.targets\n}\n`;
    }
    const undefinedRefs = check(text).diagnostics.filter((d) => d.code === "UNDEFINED_REFERENCE");
    expect(undefinedRefs).toHaveLength(1500);
    expect(undefinedRefs[1234]?.message).toBe(`discovery.kubernetes.pod_1234.targets does not exist or is out of scope; did you mean "discovery.kubernetes.pods_1234"?`);
  }, 20_000);
});
