// Relabel throughput: 100k generated discovery.kubernetes pod targets × a 10-rule pipeline.
//
//   npm run build && node bench/relabel.mjs [targets]
//
// Prints rule applications per second (rules actually applied: a dropped target stops its pipeline) and targets per
// second, for the default (discovery) mode, with the rules compiled once.
import { compileRules, relabel } from "../dist/relabel/index.js";

const N = Number(process.argv[2] ?? 100_000);

// A small deterministic PRNG (mulberry32) so every run relabels the same targets.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(1);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const word = () => pick(["web", "api", "db", "cache", "worker", "frontend", "payments", "search"]);
const hex = (n) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rand() * 16)]).join("");

function target() {
  const app = word();
  const ip = `10.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`;
  const port = pick(["8080", "9090", "3000"]);
  const t = {
    __address__: `${ip}:${port}`,
    __meta_kubernetes_namespace: pick(["default", "kube-system", "monitoring", "prod", "staging"]),
    __meta_kubernetes_pod_name: `${app}-${hex(9)}-${hex(5)}`,
    __meta_kubernetes_pod_uid: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
    __meta_kubernetes_pod_ip: ip,
    __meta_kubernetes_pod_host_ip: `192.168.0.${1 + Math.floor(rand() * 254)}`,
    __meta_kubernetes_pod_node_name: `node-${Math.floor(rand() * 50)}`,
    __meta_kubernetes_pod_phase: pick(["Running", "Running", "Running", "Pending"]),
    __meta_kubernetes_pod_ready: pick(["true", "true", "false"]),
    __meta_kubernetes_pod_controller_kind: "ReplicaSet",
    __meta_kubernetes_pod_controller_name: `${app}-${hex(9)}`,
    __meta_kubernetes_pod_label_app: app,
    __meta_kubernetes_pod_labelpresent_app: "true",
    __meta_kubernetes_pod_label_app_kubernetes_io_name: app,
    __meta_kubernetes_pod_labelpresent_app_kubernetes_io_name: "true",
    __meta_kubernetes_pod_label_pod_template_hash: hex(9),
    __meta_kubernetes_pod_labelpresent_pod_template_hash: "true",
    __meta_kubernetes_pod_annotation_prometheus_io_scrape: pick(["true", "true", "true", "false"]),
    __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: "true",
    __meta_kubernetes_pod_container_name: pick([app, "sidecar", "istio-proxy"]),
    __meta_kubernetes_pod_container_id: `containerd://${hex(64)}`,
    __meta_kubernetes_pod_container_image: `registry.example.com/${app}:1.${Math.floor(rand() * 20)}.0`,
    __meta_kubernetes_pod_container_init: pick(["false", "false", "false", "true"]),
    __meta_kubernetes_pod_container_port_name: pick(["http", "metrics", ""]),
    __meta_kubernetes_pod_container_port_number: port,
    __meta_kubernetes_pod_container_port_protocol: "TCP",
  };
  return t;
}

const RULES = [
  { source_labels: ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], regex: "true", action: "keep" },
  { source_labels: ["__meta_kubernetes_pod_container_init"], regex: "true", action: "drop" },
  { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
  { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
  { source_labels: ["__meta_kubernetes_pod_container_name"], target_label: "container" },
  { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
  { source_labels: ["__meta_kubernetes_namespace", "__meta_kubernetes_pod_label_app_kubernetes_io_name"], separator: "/", regex: "(.+)/(.+)", target_label: "job", replacement: "$1/$2" },
  { regex: "__meta_kubernetes_pod_label_(.+)", action: "labelmap" },
  { source_labels: ["__address__"], modulus: 4, target_label: "__tmp_shard", action: "hashmod" },
  { regex: "__meta_.+|pod_template_hash", action: "labeldrop" },
];

const targets = Array.from({ length: N }, target);
const rules = compileRules(RULES);

function run() {
  let applications = 0;
  let kept = 0;
  for (const t of targets) {
    const r = relabel(rules, t);
    if (r.dropped) applications += r.rule + 1;
    else {
      applications += rules.length;
      kept++;
    }
  }
  return { applications, kept };
}

run(); // warm-up (JIT, regex DFA caches)
const start = process.hrtime.bigint();
const { applications, kept } = run();
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`relabel bench: ${N} targets x ${RULES.length} rules (discovery mode), ${kept} kept`);
console.log(`  ${applications} rule applications in ${seconds.toFixed(3)} s`);
console.log(`  ${Math.round(applications / seconds).toLocaleString("en-US")} rule applications/s, ${Math.round(N / seconds).toLocaleString("en-US")} targets/s`);
