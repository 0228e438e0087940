/**
 * fast-check arbitraries for Kubernetes pods and the targets Alloy's `discovery.kubernetes` (role "pod") makes of
 * them. Alloy uses Prometheus' Kubernetes discovery (discovery/kubernetes/pod.go); `podTargets` reproduces its
 * labels: one target per container port (or per container without ports, init containers included), each carrying
 * the pod's meta labels.
 *
 * The pod model is plain data, so a failing property shrinks to a small pod: few labels and annotations, one
 * container, short names.
 */
import * as fc from "fast-check";
import type { Labels } from "../relabel/index.ts";

/** A pod container port. */
export interface PodPort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol: "TCP" | "UDP" | "SCTP";
}

export interface PodContainer {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly PodPort[];
  /** The container ID from the pod status (`containerd://…`), "" when the status has none yet. */
  readonly containerID: string;
}

export interface PodOwner {
  readonly kind: string;
  readonly name: string;
}

/** The parts of a Kubernetes Pod object that discovery reads. */
export interface Pod {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The controller owner reference, if any. */
  readonly controller?: PodOwner | undefined;
  readonly nodeName: string;
  readonly hostIP: string;
  readonly podIP: string;
  readonly phase: "Pending" | "Running" | "Succeeded" | "Failed" | "Unknown";
  /** The status of the Ready condition, lower-cased as discovery reports it; "unknown" when the condition is absent. */
  readonly ready: "true" | "false" | "unknown";
  readonly containers: readonly PodContainer[];
  readonly initContainers: readonly PodContainer[];
}

const META = "__meta_kubernetes_";

/**
 * Prometheus' `strutil.SanitizeLabelName`: every character outside `[a-zA-Z0-9_]` becomes `_` (one `_` per
 * character, code points not bytes). A leading digit is kept: the result is always used after a prefix.
 */
export function sanitizeLabelName(name: string): string {
  let out = "";
  for (const ch of name) out += /^[a-zA-Z0-9_]$/.test(ch) ? ch : "_";
  return out;
}

/** Go's `net.JoinHostPort`: IPv6 hosts are bracketed. */
function joinHostPort(host: string, port: string): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * The targets discovery.kubernetes (role "pod") produces for `pod`, as Alloy receives them: the pod's labels merged
 * into every container target. A pod without an IP yields no targets. Labels with an empty value (an unnamed port,
 * a container without a status yet) are present with "" — relabelling treats them as absent.
 */
export function podTargets(pod: Pod): Labels[] {
  if (pod.podIP === "") return [];
  const podLabels: Record<string, string> = {
    [`${META}pod_ip`]: pod.podIP,
    [`${META}pod_ready`]: pod.ready,
    [`${META}pod_phase`]: pod.phase,
    [`${META}pod_node_name`]: pod.nodeName,
    [`${META}pod_host_ip`]: pod.hostIP,
    [`${META}pod_uid`]: pod.uid,
    [`${META}pod_name`]: pod.name,
  };
  for (const [k, v] of Object.entries(pod.labels)) {
    podLabels[`${META}pod_label_${sanitizeLabelName(k)}`] = v;
    podLabels[`${META}pod_labelpresent_${sanitizeLabelName(k)}`] = "true";
  }
  for (const [k, v] of Object.entries(pod.annotations)) {
    podLabels[`${META}pod_annotation_${sanitizeLabelName(k)}`] = v;
    podLabels[`${META}pod_annotationpresent_${sanitizeLabelName(k)}`] = "true";
  }
  if (pod.controller) {
    if (pod.controller.kind !== "") podLabels[`${META}pod_controller_kind`] = pod.controller.kind;
    if (pod.controller.name !== "") podLabels[`${META}pod_controller_name`] = pod.controller.name;
  }
  podLabels[`${META}namespace`] = pod.namespace;

  const targets: Labels[] = [];
  const all = [...pod.containers.map((c) => [c, false] as const), ...pod.initContainers.map((c) => [c, true] as const)];
  for (const [c, isInit] of all) {
    const container = {
      [`${META}pod_container_name`]: c.name,
      [`${META}pod_container_id`]: c.containerID,
      [`${META}pod_container_image`]: c.image,
      [`${META}pod_container_init`]: String(isInit),
    };
    if (c.ports.length === 0) {
      targets.push({ ...podLabels, __address__: pod.podIP, ...container });
      continue;
    }
    for (const port of c.ports) {
      const number = String(port.containerPort);
      targets.push({
        ...podLabels,
        __address__: joinHostPort(pod.podIP, number),
        ...container,
        [`${META}pod_container_port_number`]: number,
        [`${META}pod_container_port_name`]: port.name,
        [`${META}pod_container_port_protocol`]: port.protocol,
      });
    }
  }
  return targets;
}

// ---------------------------------------------------------------------------------------------------------------------
// Names

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789".split("");
const ALNUM = [...LOWER_ALNUM, ..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("")];
const HEX = "0123456789abcdef".split("");

/**
 * `middle` characters between two `edge` characters, `minLength..maxLength` long (at least 2); `size: "max"` draws
 * from the whole range.
 */
function framed(edge: readonly string[], middle: readonly string[], maxLength: number, size?: "max", minLength = 2): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...middle);
  return fc
    .tuple(fc.constantFrom(...edge), fc.string({ unit, minLength: minLength - 2, maxLength: maxLength - 2, size }), fc.constantFrom(...edge))
    .map(([a, m, b]) => a + m + b);
}

/**
 * Strings of `middle` characters between two `edge` characters (or one edge character), `1..maxLength` long. Mostly
 * short, as real names are, but every length up to `maxLength` is generated too, the maximum itself included
 * (fast-check's default size alone stops near 12 characters).
 */
function edgedName(edge: readonly string[], middle: readonly string[], maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(...edge) },
    { weight: 4, arbitrary: framed(edge, middle, maxLength) },
    { weight: 1, arbitrary: framed(edge, middle, maxLength, "max") },
  );
}

const DNS_MIDDLE = [...LOWER_ALNUM, "-"];

/** A DNS-1123 label: lower-case alphanumerics and `-`, starting and ending alphanumeric, at most 63 characters. */
export function dnsLabel(): fc.Arbitrary<string> {
  return edgedName(LOWER_ALNUM, DNS_MIDDLE, 63);
}

/**
 * A DNS-1123 subdomain: dot-separated DNS labels, at most 253 characters (pod and node names). Mostly one to three
 * labels; sometimes up to five of any length, or four or five long ones, cut back to 253 characters when longer,
 * which yields names of exactly the maximum. A cut that ends on `-` ends on `0` instead, and one that ends on `.` loses it, so every part stays a DNS
 * label.
 */
export function dnsSubdomain(): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 5, arbitrary: fc.array(dnsLabel(), { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(framed(LOWER_ALNUM, DNS_MIDDLE, 63, "max"), { minLength: 1, maxLength: 5, size: "max" }) },
      { weight: 1, arbitrary: fc.array(framed(LOWER_ALNUM, DNS_MIDDLE, 63, "max", 40), { minLength: 4, maxLength: 5 }) },
    )
    .map((parts) => {
      const joined = parts.join(".");
      if (joined.length <= 253) return joined;
      const cut = joined.slice(0, 253);
      return cut.endsWith(".") ? cut.slice(0, -1) : cut.endsWith("-") ? `${cut.slice(0, -1)}0` : cut;
    });
}

/**
 * An IANA service name, as a container port name must be: at most 15 lower-case alphanumerics and `-`, starting and
 * ending alphanumeric, with at least one letter and no `--`.
 */
export function portName(): fc.Arbitrary<string> {
  return edgedName(LOWER_ALNUM, DNS_MIDDLE, 15).filter((n) => /[a-z]/.test(n) && !n.includes("--"));
}

/** A Kubernetes namespace, biased towards the usual ones. */
export function namespaceName(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom("default", "kube-system", "monitoring", "prod", "staging"),
    dnsLabel(),
  );
}

/** The name part of a label or annotation key: `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63. */
function qualifiedNamePart(): fc.Arbitrary<string> {
  return edgedName(ALNUM, [...ALNUM, "-", "_", "."], 63);
}

/** A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name (`app.kubernetes.io/name`). */
export function labelKey(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom("app", "app.kubernetes.io/name", "app.kubernetes.io/instance", "team", "pod-template-hash", "prometheus.io/scrape", "prometheus.io/port", "helm.sh/chart") },
    { weight: 3, arbitrary: qualifiedNamePart() },
    { weight: 1, arbitrary: fc.tuple(dnsSubdomain(), qualifiedNamePart()).map(([p, n]) => `${p}/${n}`) },
  );
}

/** A label value: empty, or a qualified name part (at most 63). */
export function labelValue(): fc.Arbitrary<string> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant("") }, { weight: 6, arbitrary: qualifiedNamePart() });
}

/** An annotation value: any string. */
export function annotationValue(): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom("true", "8080", "/metrics"), fc.string({ maxLength: 30 }));
}

/** Keys that stay distinct after sanitising (two keys sanitising alike would collide in discovery's label set). */
function keyedRecord(value: fc.Arbitrary<string>, maxKeys: number): fc.Arbitrary<Record<string, string>> {
  return fc
    .uniqueArray(fc.tuple(labelKey(), value), { maxLength: maxKeys, selector: ([k]) => sanitizeLabelName(k) })
    .map((entries) => Object.fromEntries(entries));
}

function ipv4(): fc.Arbitrary<string> {
  return fc.tuple(fc.constantFrom(10, 172, 192), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join("."));
}

function ip(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 9, arbitrary: ipv4() },
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 2, maxLength: 2 }).map(([a, b]) => `fd00::${(a as number).toString(16)}:${(b as number).toString(16)}`) },
  );
}

function hexString(length: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });
}

function uid(): fc.Arbitrary<string> {
  return fc.tuple(hexString(8), hexString(4), hexString(4), hexString(4), hexString(12)).map((p) => p.join("-"));
}

function image(): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom("", "docker.io/", "ghcr.io/grafana/", "registry.example.com:5000/team/"), dnsLabel(), fc.constantFrom("latest", "1.2.3", "v0.9.0-rc.1"))
    .map(([registry, repo, tag]) => `${registry}${repo}:${tag}`);
}

function port(): fc.Arbitrary<PodPort> {
  return fc.record({
    name: fc.oneof(fc.constant(""), fc.constantFrom("http", "metrics", "grpc"), portName()),
    containerPort: fc.oneof(fc.constantFrom(80, 8080, 9090), fc.integer({ min: 1, max: 65535 })),
    protocol: fc.constantFrom("TCP", "UDP", "SCTP"),
  });
}

function container(): fc.Arbitrary<PodContainer> {
  return fc.record({
    name: dnsLabel(),
    image: image(),
    ports: fc.uniqueArray(port(), { maxLength: 3, selector: (p) => `${p.containerPort}/${p.protocol}` }),
    containerID: fc.oneof({ weight: 1, arbitrary: fc.constant("") }, { weight: 5, arbitrary: hexString(64).map((h) => `containerd://${h}`) }),
  });
}

export interface PodOptions {
  /** At most this many pod labels (default 6). */
  readonly maxLabels?: number;
  /** At most this many annotations (default 4). */
  readonly maxAnnotations?: number;
  /** At most this many containers (default 3) and init containers (default 1). */
  readonly maxContainers?: number;
  readonly maxInitContainers?: number;
}

/** A pod with an IP (discovery ignores pods without one), at least one container, names valid for Kubernetes. */
export function kubernetesPod(options: PodOptions = {}): fc.Arbitrary<Pod> {
  const controller: fc.Arbitrary<PodOwner | undefined> = fc.option(
    fc.record({ kind: fc.constantFrom("ReplicaSet", "StatefulSet", "DaemonSet", "Job"), name: dnsLabel() }),
    { nil: undefined },
  );
  return fc
    .record({
      namespace: namespaceName(),
      name: dnsSubdomain(),
      uid: uid(),
      labels: keyedRecord(labelValue(), options.maxLabels ?? 6),
      annotations: keyedRecord(annotationValue(), options.maxAnnotations ?? 4),
      controller,
      nodeName: dnsSubdomain(),
      hostIP: ipv4(),
      podIP: ip(),
      phase: fc.constantFrom("Running", "Pending", "Succeeded", "Failed", "Unknown"),
      ready: fc.constantFrom("true", "false", "unknown"),
      containers: fc.uniqueArray(container(), { minLength: 1, maxLength: options.maxContainers ?? 3, selector: (c) => c.name }),
      initContainers: fc.uniqueArray(container(), { maxLength: options.maxInitContainers ?? 1, selector: (c) => c.name }),
    })
    .filter((pod) => {
      // Container names are unique across containers and init containers.
      const names = [...pod.containers, ...pod.initContainers].map((c) => c.name);
      return new Set(names).size === names.length;
    });
}

/** Every target discovery.kubernetes makes of one generated pod (at least one). */
export function kubernetesPodTargets(options: PodOptions = {}): fc.Arbitrary<Labels[]> {
  return kubernetesPod(options).map(podTargets);
}

/** One target of a generated pod: what a `discovery.relabel` rule sees for one container (port). */
export function kubernetesPodTarget(options: PodOptions = {}): fc.Arbitrary<Labels> {
  // A pod and an index rather than `chain`, so that both shrink independently.
  return fc.tuple(kubernetesPod(options), fc.nat()).map(([pod, i]) => {
    const targets = podTargets(pod);
    return targets[i % targets.length] as Labels;
  });
}
