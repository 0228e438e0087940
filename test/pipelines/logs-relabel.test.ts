/**
 * Properties of the relabel rules of the repository's own pipeline (pipelines/logs.alloy), on targets shaped exactly
 * like discovery.kubernetes role=pod output: what Loki will see.
 */
import fc from "fast-check";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { applyRules, kubernetesPodTarget, kubernetesPodTargets, loadRelabelRules } from "../../src/testing/index.ts";

const pipeline = fileURLToPath(new URL("../../pipelines/logs.alloy", import.meta.url));
const rules = loadRelabelRules(pipeline, "discovery.relabel.pod_logs");

describe("pipelines/logs.alloy discovery.relabel.pod_logs", () => {
  it("gives every kept target namespace, pod, container and node labels copied from the metadata", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), (target) => {
        const out = applyRules(rules, target);
        if (out === undefined) return;
        expect(out["namespace"]).toBe(target["__meta_kubernetes_namespace"]);
        expect(out["pod"]).toBe(target["__meta_kubernetes_pod_name"]);
        expect(out["container"]).toBe(target["__meta_kubernetes_pod_container_name"]);
        expect(out["node"]).toBe(target["__meta_kubernetes_pod_node_name"]);
        for (const key of ["namespace", "pod", "container", "node"]) expect(out[key]).not.toBe("");
      }),
      { numRuns: 500 },
    );
  });

  it("lets no __meta_ label through and points __path__ at the container's log files", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), (target) => {
        const out = applyRules(rules, target);
        if (out === undefined) return;
        expect(Object.keys(out).filter((k) => k.startsWith("__meta_"))).toEqual([]);
        const uid = target["__meta_kubernetes_pod_uid"];
        const container = target["__meta_kubernetes_pod_container_name"];
        expect(out["__path__"]).toBe(`/var/log/pods/*${uid}/${container}/*.log`);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps every target: log lines are filtered later, in loki.process", () => {
    fc.assert(
      fc.property(kubernetesPodTargets(), (targets) => {
        for (const target of targets) expect(applyRules(rules, target)).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });

  it("labels the app from app.kubernetes.io/name when the pod has it", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), (target) => {
        const out = applyRules(rules, target);
        if (out === undefined) return;
        const app = target["__meta_kubernetes_pod_label_app_kubernetes_io_name"];
        expect(out["app"]).toBe(app === undefined || app === "" ? undefined : app);
      }),
      { numRuns: 300 },
    );
  });
});
