/**
 * Properties of the repository's own log pipeline (pipelines/logs.alloy): the kube-system health-check filter of
 * loki.process.pod_logs. Probe lines (GET /healthz, /readyz, /livez, kube-probe user agents) in the formats
 * kube-system components log them are dropped; lines from other namespaces and ordinary kube-system lines come out
 * unchanged (the CRI wrapper removed, the stream label added). The same properties are also checked from a
 * discovered pod, through discovery.relabel and loki.source.file.
 */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { simulateChain, type EntryInput } from "../../src/process/index.ts";
import { parse } from "../../src/syntax/parse.ts";
import { kubernetesPodTarget, namespaceName } from "../../src/testing/index.ts";

const path = fileURLToPath(new URL("../../pipelines/logs.alloy", import.meta.url));
const config = parse(readFileSync(path, "utf8"), { filename: "pipelines/logs.alloy" });
const NOW = "2025-03-01T12:00:00Z";

const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));
const ip = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."));
const port = fc.integer({ min: 1024, max: 65535 });
const kubeVersion = fc.tuple(fc.integer({ min: 18, max: 33 }), fc.nat(9)).map(([minor, patch]) => `kube-probe/1.${minor}${patch > 4 ? "" : `.${patch}`}`);
const stream = fc.constantFrom("stdout", "stderr");
const criTime = fc.date({ min: new Date("2024-01-01T00:00:00Z"), max: new Date("2025-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().replace("Z", "123456Z"));
const probePath = fc.constantFrom("/healthz", "/readyz", "/livez", "/healthz/ready", "/readyz?verbose", "/livez/ping", "/healthz/poststarthook/start-informers");
const anyPath = fc.constantFrom("/", "/ping", "/ready", "/health", "/metrics", "/api/v1/status", "/-/ready");
const status = fc.constantFrom(200, 204, 500, 503);
const accessDate = fc.constant("01/Mar/2025:10:00:00 +0000");

/** What kube-system components log for a probe, in their own formats. */
const probeLine: fc.Arbitrary<string> = fc.oneof(
  // klog httplog (kube-apiserver, metrics-server, ...), probing a health endpoint or by a kubelet probe.
  fc.tuple(probePath, kubeVersion, ip, port, status).map(([p, ua, a, pt, s]) => `I0301 10:00:00.123456       1 httplog.go:132] "HTTP" verb="GET" URI="${p}" latency="95.1µs" userAgent="${ua}" audit-ID="" srcIP="${a}:${pt}" resp=${s}`),
  fc.tuple(anyPath, kubeVersion, ip, port, status).map(([p, ua, a, pt, s]) => `I0301 10:00:00.123456       1 httplog.go:132] "HTTP" verb="GET" URI="${p}" latency="80µs" userAgent="${ua}" srcIP="${a}:${pt}" resp=${s}`),
  // Combined access log (traefik, ingress-nginx) with the kubelet's user agent, or of a health endpoint.
  fc.tuple(ip, anyPath, status, kubeVersion).map(([a, p, s, ua]) => `${a} - - [01/Mar/2025:10:00:00 +0000] "GET ${p} HTTP/1.1" ${s} 2 "-" "${ua}" 12 "ping@internal" "-" 0ms`),
  fc.tuple(ip, probePath, status, accessDate).map(([a, p, s, d]) => `${a} - - [${d}] "GET ${p} HTTP/1.1" ${s} 2 "-" "Go-http-client/1.1"`),
  // JSON access logs.
  fc.tuple(probePath, kubeVersion, status).map(([p, ua, s]) => JSON.stringify({ RequestMethod: "GET", RequestPath: p, DownstreamStatus: s, "request_User-Agent": ua })),
  // Plain "health check" messages.
  fc.constantFrom("health check passed", "Health-check OK", "running healthcheck on :8080"),
);

const WORDS = ["starting", "watch", "reconcile", "node", "informer", "cache", "synced", "error", "lease", "renewed", "query", "served", "endpoint", "slice", "updated", "pod", "volume", "mounted", "config", "reloaded", "plugin", "listening", "on", "port"];
/** Ordinary lines of kube-system components: klog messages, CoreDNS query logs, JSON logs, free text. */
const ordinaryLine: fc.Arbitrary<string> = fc.oneof(
  fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((w) => `I0301 10:00:00.000000       1 controller.go:42] ${w.join(" ")}`),
  fc.tuple(ip, port, fc.nat(65535), fc.constantFrom("A", "AAAA", "PTR"), fc.constantFrom("grafana.monitoring.svc.cluster.local.", "loki.monitoring.svc.cluster.local.")).map(
    ([a, p, id, t, n]) => `[INFO] ${a}:${p} - ${id} "${t} IN ${n} udp 62 false 512" NOERROR qr,aa,rd 128 0.0001s`,
  ),
  fc.tuple(fc.constantFrom("info", "warn", "error"), fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 5 })).map(([level, w]) => JSON.stringify({ level, msg: w.join(" ") })),
  fc.string({ minLength: 0, maxLength: 60, unit: "grapheme" }).filter((s) => !/[\r\n]/.test(s) && !/(?:healthz|readyz|livez|health[ -]?check|kube-probe)/i.test(s)),
);

/** The labels loki.source.file gives an entry of a pod in `namespace`. */
const podLabels = (namespace: fc.Arbitrary<string>) =>
  fc.record({ namespace, pod: fc.tuple(fc.constantFrom("coredns", "metrics-server", "traefik", "web"), hex(5)).map(([a, b]) => `${a}-${b}`), container: fc.constantFrom("coredns", "metrics-server", "traefik", "web"), filename: fc.constant("/var/log/pods/x/0.log") });

function run(entry: EntryInput) {
  return simulateChain(config.file, config.source, "loki.process.pod_logs", { entries: [entry] }, { now: NOW });
}

describe("pipelines/logs.alloy: the kube-system health-check filter", () => {
  it("drops every kube-system probe line", () => {
    fc.assert(
      fc.property(podLabels(fc.constant("kube-system")), criTime, stream, probeLine, (labels, time, s, line) => {
        const result = run({ labels, line: `${time} ${s} F ${line}` });
        expect(result.entries).toEqual([]);
        expect(result.drops.map((d) => d.reason)).toEqual(["kube_system_health_check"]);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps probe lines of other namespaces, unchanged", () => {
    const other = namespaceName().filter((n) => n !== "kube-system");
    fc.assert(
      fc.property(podLabels(other), criTime, stream, probeLine, (labels, time, s, line) => {
        const result = run({ labels, line: `${time} ${s} F ${line}` });
        expect(result.dropped).toBe(0);
        expect(result.entries.map((e) => [e.line, e.labels])).toEqual([[line, { ...labels, stream: s }]]);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps ordinary kube-system lines, unchanged", () => {
    fc.assert(
      fc.property(podLabels(fc.constant("kube-system")), criTime, stream, ordinaryLine, (labels, time, s, line) => {
        const result = run({ labels, line: `${time} ${s} F ${line}` });
        expect(result.dropped).toBe(0);
        expect(result.entries.map((e) => [e.line, e.labels, e.timestamp])).toEqual([[line, { ...labels, stream: s }, time.replace(/0+Z$/, "Z")]]);
      }),
      { numRuns: 300 },
    );
  });

  it("holds from a discovered pod, through discovery.relabel and loki.source.file", () => {
    fc.assert(
      fc.property(kubernetesPodTarget(), fc.boolean(), criTime, probeLine, ordinaryLine, (target, inKubeSystem, time, probe, ordinary) => {
        const namespace = inKubeSystem ? "kube-system" : target.__meta_kubernetes_namespace === "kube-system" ? "default" : (target.__meta_kubernetes_namespace as string);
        const result = simulateChain(config.file, config.source, "loki.source.file.pod_logs", {
          targets: [{ ...target, __meta_kubernetes_namespace: namespace }],
          entries: [{ line: `${time} stdout F ${probe}` }, { line: `${time} stdout F ${ordinary}` }],
        }, { now: NOW });
        const kept = result.entries.map((e) => e.line);
        expect(kept).toEqual(inKubeSystem ? [ordinary] : [probe, ordinary]);
        for (const e of result.entries) expect(e.labels.namespace).toBe(namespace);
      }),
      { numRuns: 200 },
    );
  });
});
