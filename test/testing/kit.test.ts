import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidLegacyLabelName, relabel } from "../../src/relabel/index.ts";
import {
  applyRules,
  dnsLabel,
  dnsSubdomain,
  kubernetesPod,
  kubernetesPodTarget,
  kubernetesPodTargets,
  labelKey,
  podTargets,
  portName,
  rulesFromSource,
  sanitizeLabelName,
  type Pod,
} from "../../src/testing/index.ts";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

describe("sanitizeLabelName (Prometheus strutil.SanitizeLabelName)", () => {
  it("replaces every character outside [a-zA-Z0-9_] by _", () => {
    expect(sanitizeLabelName("app.kubernetes.io/name")).toBe("app_kubernetes_io_name");
    expect(sanitizeLabelName("pod-template-hash")).toBe("pod_template_hash");
    expect(sanitizeLabelName("0abc")).toBe("0abc");
    expect(sanitizeLabelName("héllo")).toBe("h_llo");
    expect(sanitizeLabelName("a😀b")).toBe("a_b");
  });
  it("always yields a legacy label name once prefixed", () => {
    fc.assert(fc.property(fc.string(), (s) => isValidLegacyLabelName(`__meta_kubernetes_pod_label_${sanitizeLabelName(s)}`)));
  });
});

describe("Kubernetes name arbitraries", () => {
  it("DNS labels and subdomains are valid", () => {
    fc.assert(fc.property(dnsLabel(), (s) => DNS_LABEL.test(s) && s.length <= 63));
    fc.assert(
      fc.property(dnsSubdomain(), (s) => s.length <= 253 && s.split(".").every((p) => DNS_LABEL.test(p) && p.length <= 63)),
      { numRuns: 1000 },
    );
  });
  it("cover the whole length range Kubernetes allows, the maxima included", () => {
    // Names used to stop at 22 characters (fast-check's default size: 12 in practice).
    const lengths = (arb: fc.Arbitrary<string>) => new Set(fc.sample(arb, { numRuns: 3000, seed: 7 }).map((s) => s.length));
    const label = lengths(dnsLabel());
    expect(Math.max(...label)).toBe(63);
    expect([...label].filter((n) => n > 22).length).toBeGreaterThan(20);
    expect(Math.max(...lengths(dnsSubdomain()))).toBe(253);
    expect(Math.max(...lengths(portName()))).toBe(15);
    const names = new Set(fc.sample(labelKey(), { numRuns: 3000, seed: 7 }).map((k) => k.slice(k.lastIndexOf("/") + 1).length));
    expect(Math.max(...names)).toBe(63);
  });
  it("port names are IANA service names", () => {
    fc.assert(fc.property(portName(), (n) => n.length <= 15 && DNS_LABEL.test(n) && /[a-z]/.test(n) && !n.includes("--")));
  });
  it("label keys are valid qualified names", () => {
    fc.assert(
      fc.property(labelKey(), (k) => {
        const slash = k.lastIndexOf("/");
        const name = slash < 0 ? k : k.slice(slash + 1);
        const prefix = slash < 0 ? undefined : k.slice(0, slash);
        return (
          QUALIFIED_NAME.test(name) &&
          name.length <= 63 &&
          (prefix === undefined || (prefix.length <= 253 && prefix.split(".").every((p) => DNS_LABEL.test(p) && p.length <= 63)))
        );
      }),
    );
  });
});

const POD: Pod = {
  namespace: "prod",
  name: "web-7d9f8c6b5-x2x4z",
  uid: "8a4c1f2e-0000-4000-8000-000000000001",
  labels: { app: "web", "app.kubernetes.io/name": "web" },
  annotations: { "prometheus.io/scrape": "true" },
  controller: { kind: "ReplicaSet", name: "web-7d9f8c6b5" },
  nodeName: "node-1",
  hostIP: "192.168.1.10",
  podIP: "10.1.2.3",
  phase: "Running",
  ready: "true",
  containers: [
    {
      name: "web",
      image: "nginx:1.2.3",
      ports: [
        { name: "http", containerPort: 8080, protocol: "TCP" },
        { name: "", containerPort: 9090, protocol: "TCP" },
      ],
      containerID: "containerd://abc",
    },
    { name: "sidecar", image: "envoy:latest", ports: [], containerID: "" },
  ],
  initContainers: [{ name: "init", image: "busybox:latest", ports: [], containerID: "containerd://def" }],
};

describe("podTargets (discovery/kubernetes/pod.go)", () => {
  const targets = podTargets(POD);
  it("one target per container port, per port-less container, init containers last", () => {
    expect(targets.map((t) => t["__address__"])).toEqual(["10.1.2.3:8080", "10.1.2.3:9090", "10.1.2.3", "10.1.2.3"]);
    expect(targets.map((t) => t["__meta_kubernetes_pod_container_init"])).toEqual(["false", "false", "false", "true"]);
  });
  it("exactly the meta labels of a container port target", () => {
    expect(targets[0]).toEqual({
      __address__: "10.1.2.3:8080",
      __meta_kubernetes_namespace: "prod",
      __meta_kubernetes_pod_name: "web-7d9f8c6b5-x2x4z",
      __meta_kubernetes_pod_uid: "8a4c1f2e-0000-4000-8000-000000000001",
      __meta_kubernetes_pod_ip: "10.1.2.3",
      __meta_kubernetes_pod_host_ip: "192.168.1.10",
      __meta_kubernetes_pod_node_name: "node-1",
      __meta_kubernetes_pod_phase: "Running",
      __meta_kubernetes_pod_ready: "true",
      __meta_kubernetes_pod_controller_kind: "ReplicaSet",
      __meta_kubernetes_pod_controller_name: "web-7d9f8c6b5",
      __meta_kubernetes_pod_label_app: "web",
      __meta_kubernetes_pod_labelpresent_app: "true",
      __meta_kubernetes_pod_label_app_kubernetes_io_name: "web",
      __meta_kubernetes_pod_labelpresent_app_kubernetes_io_name: "true",
      __meta_kubernetes_pod_annotation_prometheus_io_scrape: "true",
      __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: "true",
      __meta_kubernetes_pod_container_name: "web",
      __meta_kubernetes_pod_container_id: "containerd://abc",
      __meta_kubernetes_pod_container_image: "nginx:1.2.3",
      __meta_kubernetes_pod_container_init: "false",
      __meta_kubernetes_pod_container_port_name: "http",
      __meta_kubernetes_pod_container_port_number: "8080",
      __meta_kubernetes_pod_container_port_protocol: "TCP",
    });
  });
  it("a port-less container has no port labels; an IPv6 pod IP is bracketed", () => {
    expect(Object.keys(targets[2] ?? {}).filter((k) => k.includes("port"))).toEqual([]);
    const v6 = podTargets({ ...POD, podIP: "fd00::1" });
    expect(v6[0]?.["__address__"]).toBe("[fd00::1]:8080");
  });
  it("a pod without an IP has no targets", () => {
    expect(podTargets({ ...POD, podIP: "" })).toEqual([]);
  });
});

describe("generated pods and targets", () => {
  it("every generated target carries the pod and container meta labels", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), (t) => {
        for (const key of [
          "__address__",
          "__meta_kubernetes_namespace",
          "__meta_kubernetes_pod_name",
          "__meta_kubernetes_pod_uid",
          "__meta_kubernetes_pod_ip",
          "__meta_kubernetes_pod_node_name",
          "__meta_kubernetes_pod_container_name",
          "__meta_kubernetes_pod_container_image",
          "__meta_kubernetes_pod_container_init",
          "__meta_kubernetes_pod_ready",
          "__meta_kubernetes_pod_phase",
        ]) {
          expect(t[key], key).toBeTypeOf("string");
        }
        expect(DNS_LABEL.test(t["__meta_kubernetes_namespace"] ?? "")).toBe(true);
        // Every label name discovery produces is a legacy name.
        for (const name of Object.keys(t)) expect(isValidLegacyLabelName(name), name).toBe(true);
      }),
    );
  });

  it("label and labelpresent come in pairs", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), (t) => {
        for (const name of Object.keys(t)) {
          const m = /^__meta_kubernetes_pod_(label|annotation)_(.+)$/.exec(name);
          if (m) expect(t[`__meta_kubernetes_pod_${m[1]}present_${m[2]}`]).toBe("true");
        }
      }),
    );
  });

  it("a pod yields at least one target per container, all sharing the pod labels", () => {
    fc.assert(
      fc.property(kubernetesPod(), (pod) => {
        const targets = podTargets(pod);
        const containers = new Set(targets.map((t) => t["__meta_kubernetes_pod_container_name"]));
        expect(containers.size).toBe(pod.containers.length + pod.initContainers.length);
        expect(new Set(targets.map((t) => t["__meta_kubernetes_pod_uid"])).size).toBe(1);
      }),
    );
  });

  it("shrinks a failing property to a small pod", () => {
    // A property that fails as soon as a pod has a label: the counterexample must shrink to a single short label.
    const details = fc.check(
      fc.property(kubernetesPodTargets(), (targets) =>
        Object.keys(targets[0] ?? {}).every((k) => !k.startsWith("__meta_kubernetes_pod_label_")),
      ),
      { seed: 42 },
    );
    expect(details.failed).toBe(true);
    const counterexample = details.counterexample?.[0] ?? [];
    const labelNames = Object.keys(counterexample[0] ?? {}).filter((k) => k.startsWith("__meta_kubernetes_pod_label_"));
    expect(labelNames).toHaveLength(1);
    expect(labelNames[0]?.length).toBeLessThanOrEqual("__meta_kubernetes_pod_label_".length + 3);
    expect(counterexample).toHaveLength(1);
  });
});

describe("pipeline helpers", () => {
  const source = `
discovery.relabel "pods" {
  targets = []

  rule {
    source_labels = ["__meta_kubernetes_pod_container_init"]
    regex         = "true"
    action        = "drop"
  }

  rule {
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }

  rule {
    regex  = "__meta_.*"
    action = "labeldrop"
  }
}
`;
  const rules = rulesFromSource(source, "discovery.relabel.pods");

  it("applyRules returns labels or undefined", () => {
    expect(applyRules(rules, { __meta_kubernetes_namespace: "a", __address__: "x" })).toEqual({ __address__: "x", namespace: "a" });
    expect(applyRules(rules, { __meta_kubernetes_pod_container_init: "true" })).toBeUndefined();
    expect(applyRules([{ action: "drop", source_labels: ["a"], regex: "1" }], { a: "1" })).toBeUndefined();
  });

  it("a user's property is a few lines", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), (target) => {
        const out = applyRules(rules, target);
        if (target["__meta_kubernetes_pod_container_init"] === "true") return out === undefined;
        return out !== undefined && out["namespace"] === target["__meta_kubernetes_namespace"] && Object.keys(out).every((k) => !k.startsWith("__meta_"));
      }),
    );
  });

  it("agrees with relabel() on the compiled rules", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), (target) => {
        const direct = relabel(rules.rules, target);
        expect(applyRules(rules, target)).toEqual(direct.dropped ? undefined : direct.labels);
      }),
      { numRuns: 50 },
    );
  });

  it("reports unknown components and invalid rules", () => {
    expect(() => rulesFromSource(source, "discovery.relabel.nope", "p.alloy")).toThrow(/no component discovery\.relabel\.nope/);
    expect(() =>
      rulesFromSource('discovery.relabel "x" {\n  targets = []\n  rule {\n    action = "nope"\n  }\n}\n', "discovery.relabel.x", "p.alloy"),
    ).toThrow(/^p\.alloy:4:5: /);
  });

  it("reports a chain whose upstream is missing or loops, instead of stopping silently", () => {
    const missing = 'discovery.relabel "b" {\n  targets = discovery.relabel.a.output\n}\n';
    expect(() => rulesFromSource(missing, "discovery.relabel.b", "p.alloy")).toThrow(/^p\.alloy:2:13: .*discovery\.relabel\.a\.output/);
    const loop = 'discovery.relabel "a" {\n  targets = discovery.relabel.b.output\n}\ndiscovery.relabel "b" {\n  targets = discovery.relabel.a.output\n}\n';
    expect(() => rulesFromSource(loop, "discovery.relabel.b", "p.alloy")).toThrow(/cycle/);
  });
});
