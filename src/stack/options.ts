import type { Diagnostic } from "../diag/diagnostic.ts";
import { readYaml, type Spec, type YamlInput } from "./yaml-spec.ts";

/**
 * The stack options (pipelines/stack.yaml): everything about the generated stack that is not the Alloy pipeline.
 * Every key is optional; the defaults are the homelab of the design (../shared/design.md) with the corrections of
 * stack-facts.md. `DEFAULT_OPTIONS` is the single place those defaults live.
 */
export const RELEASES = ["kube-prometheus-stack", "loki", "alloy"] as const;
export type Release = (typeof RELEASES)[number];

/** Workloads whose requests and limits the options set (the design's resource table). */
export const WORKLOADS = [
  "prometheus",
  "grafana",
  "alertmanager",
  "nodeExporter",
  "kubeStateMetrics",
  "loki",
  "alloy",
] as const;
export type Workload = (typeof WORKLOADS)[number];

export const VOLUMES = ["prometheus", "loki", "grafana", "alertmanager"] as const;
export type Volume = (typeof VOLUMES)[number];

/** The UIs exposed through the Gateway. */
export const ROUTES = ["grafana", "prometheus", "alertmanager", "alloy"] as const;
export type Route = (typeof ROUTES)[number];

export interface ResourceList {
  readonly memory?: string;
  readonly cpu?: string;
}
export interface Resources {
  readonly requests?: ResourceList;
  readonly limits?: ResourceList;
}

/** An alert picked out for a route: by name, optionally only with one severity (the design splits one alert by threshold). */
export interface AlertMatch {
  readonly alert: string;
  readonly severity?: string;
}

export type Priority = "critical" | "warning";

export interface ChartSource {
  /** `oci://…/chart` (an OCIRepository, Flux's recommended source) or an `https://` Helm repository index. */
  readonly url: string;
  /** Semver range of chart versions Flux may install; it must contain the version river checks the values against. */
  readonly version: string;
}

export interface StackOptions {
  readonly namespace: string;
  readonly domain: string;
  readonly gateway: { readonly name: string; readonly namespace: string; readonly sectionName?: string };
  /** Host names of the UIs; default `<ui>.<domain>`. */
  readonly hostnames: Readonly<Record<Route, string>>;
  readonly storageClass: string;
  readonly storage: Readonly<Record<Volume, string>>;
  readonly retention: { readonly prometheus: string; readonly loki: string };
  readonly scrapeInterval: string;
  readonly resources: Readonly<Record<Workload, Resources>>;
  readonly alerting: {
    /** Pushover priority per route: 1 = high (bypasses quiet hours), 0 = normal. */
    readonly priorities: Readonly<Record<Priority, number>>;
    /** Alerts routed by name, whatever severity the chart's rule gives them. */
    readonly critical: readonly AlertMatch[];
    readonly warning: readonly AlertMatch[];
    /** Alerts sent nowhere (the null receiver). */
    readonly silenced: readonly string[];
    /** Every other alert is routed by its severity label; unlisted severities (info) go nowhere. */
    readonly severities: Readonly<Record<Priority, readonly string[]>>;
    readonly groupBy: readonly string[];
    readonly repeatInterval: string;
  };
  readonly secret: {
    readonly name: string;
    readonly keys: {
      readonly pushoverUserKey: string;
      readonly pushoverApiToken: string;
      readonly grafanaAdminUser: string;
      readonly grafanaAdminPassword: string;
    };
  };
  readonly sops: { readonly ageRecipients: readonly string[] };
  readonly charts: Readonly<Record<Release, ChartSource>>;
  readonly flux: {
    /** The Flux Kustomization that applies manifests/ (the design's existing `infrastructure`). */
    readonly kustomization: string;
    /** Where manifests/ sits in the Git repository Flux syncs, as a Flux `path`. */
    readonly path: string;
    readonly sourceRef: { readonly kind: "GitRepository" | "OCIRepository" | "Bucket"; readonly name: string };
    /** Added to every Flux event sent to Alertmanager as the label `cluster`. */
    readonly cluster: string;
  };
  readonly certManager: { readonly enabled: boolean; readonly namespace: string };
  /** Extra chart values, merged over the generated ones and checked against the chart like them. */
  readonly values: Readonly<Partial<Record<Release, Readonly<Record<string, unknown>>>>>;
}

const memory = (memory: string, limit: string): Resources => ({ requests: { memory }, limits: { memory: limit } });

export const DEFAULT_OPTIONS: StackOptions = {
  namespace: "monitoring",
  domain: "catinthehack.ca",
  gateway: { name: "gateway", namespace: "gateway-system" },
  hostnames: {
    grafana: "grafana.catinthehack.ca",
    prometheus: "prometheus.catinthehack.ca",
    alertmanager: "alertmanager.catinthehack.ca",
    alloy: "alloy.catinthehack.ca",
  },
  storageClass: "nfs-client",
  storage: { prometheus: "10Gi", loki: "10Gi", grafana: "1Gi", alertmanager: "1Gi" },
  retention: { prometheus: "7d", loki: "168h" },
  scrapeInterval: "30s",
  resources: {
    prometheus: memory("256Mi", "512Mi"),
    grafana: memory("128Mi", "256Mi"),
    alertmanager: memory("32Mi", "64Mi"),
    nodeExporter: memory("32Mi", "64Mi"),
    kubeStateMetrics: memory("32Mi", "64Mi"),
    loki: memory("256Mi", "512Mi"),
    alloy: memory("128Mi", "256Mi"),
  },
  alerting: {
    priorities: { critical: 1, warning: 0 },
    critical: [
      { alert: "KubePodCrashLooping" },
      { alert: "NodeFilesystemSpaceFillingUp", severity: "critical" },
      { alert: "NodeMemoryHighUtilization" },
      { alert: "KubeNodeNotReady" },
      { alert: "TargetDown" },
    ],
    warning: [
      { alert: "KubeDeploymentReplicasMismatch" },
      { alert: "NodeFilesystemSpaceFillingUp", severity: "warning" },
      { alert: "CertManagerCertExpirySoon" },
      { alert: "FluxReconciliationFailure" },
      { alert: "KubePersistentVolumeFillingUp" },
    ],
    silenced: ["Watchdog", "InfoInhibitor"],
    severities: { critical: ["critical"], warning: ["warning", "error"] },
    groupBy: ["alertname", "namespace"],
    repeatInterval: "12h",
  },
  secret: {
    name: "monitoring-secrets",
    keys: {
      pushoverUserKey: "pushover_user_key",
      pushoverApiToken: "pushover_api_token",
      grafanaAdminUser: "grafana_admin_user",
      grafanaAdminPassword: "grafana_admin_password",
    },
  },
  sops: { ageRecipients: [] },
  charts: {
    "kube-prometheus-stack": { url: "oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack", version: "88.5.x" },
    loki: { url: "oci://ghcr.io/grafana-community/helm-charts/loki", version: "18.11.x" },
    alloy: { url: "https://grafana.github.io/helm-charts", version: "1.11.x" },
  },
  flux: {
    kustomization: "infrastructure",
    path: "./kubernetes/infrastructure",
    sourceRef: { kind: "GitRepository", name: "flux-system" },
    cluster: "homelab",
  },
  certManager: { enabled: true, namespace: "cert-manager" },
  values: {},
};

// ---------------------------------------------------------------------------------------------------------------------
// The schema of stack.yaml

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/;
/** Prometheus' duration syntax (units y w d h m s ms, largest first), which Alertmanager and kps share. */
const PROM_DURATION = /^(?:[0-9]+y)?(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?(?:[0-9]+ms)?$/;
/** Loki's retention_period is a Prometheus model.Duration too, but only whole hours make sense for its 24h index period. */
const AGE_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$|^age1pq1[02-9ac-hj-np-z]+$/;
const ALERT_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const str = (pattern?: RegExp, expect?: string): Spec => ({ kind: "string", ...(pattern ? { pattern } : {}), ...(expect ? { expect } : {}) });
const dnsLabel = str(DNS_LABEL, "a Kubernetes name (lower-case letters, digits and '-', at most 63 characters)");
const dnsName = str(DNS_NAME, "a DNS name such as example.org");
const quantity = str(QUANTITY, "a Kubernetes quantity such as 10Gi or 512Mi");
const promDuration = str(PROM_DURATION, "a duration such as 30s, 5m, 12h or 7d");
const obj = (fields: Record<string, Spec>, required?: string[]): Spec => ({ kind: "object", fields, ...(required ? { required } : {}) });
const resourceList = obj({ memory: quantity, cpu: quantity });
const resources = obj({ requests: resourceList, limits: resourceList });
const alertMatch: Spec = {
  kind: "union",
  expect: "an alert name or {alert: NAME, severity: SEVERITY}",
  of: [str(ALERT_NAME, "an alert name"), obj({ alert: str(ALERT_NAME, "an alert name"), severity: str() }, ["alert"])],
};
const chartSource = obj(
  { url: str(/^(oci|https?):\/\/\S+$/, "an oci:// or https:// URL"), version: str(/^\S.*$/, "a semver range") },
  [],
);

export const STACK_SPEC: Spec = obj({
  namespace: dnsLabel,
  domain: dnsName,
  gateway: obj({ name: dnsLabel, namespace: dnsLabel, sectionName: dnsLabel }),
  hostnames: obj(Object.fromEntries(ROUTES.map((r) => [r, dnsName]))),
  storageClass: str(DNS_NAME, "a StorageClass name"),
  storage: obj(Object.fromEntries(VOLUMES.map((v) => [v, quantity]))),
  retention: obj({ prometheus: promDuration, loki: str(/^[0-9]+h$/, "a whole number of hours such as 168h") }),
  scrapeInterval: promDuration,
  resources: obj(Object.fromEntries(WORKLOADS.map((w) => [w, resources]))),
  alerting: obj({
    priorities: obj({ critical: { kind: "int", min: -2, max: 2 }, warning: { kind: "int", min: -2, max: 2 } }),
    critical: { kind: "list", of: alertMatch },
    warning: { kind: "list", of: alertMatch },
    silenced: { kind: "list", of: str(ALERT_NAME, "an alert name") },
    severities: obj({ critical: { kind: "list", of: str() }, warning: { kind: "list", of: str() } }),
    groupBy: { kind: "list", of: str() },
    repeatInterval: promDuration,
  }),
  secret: obj({
    name: dnsLabel,
    keys: obj(
      Object.fromEntries(
        ["pushoverUserKey", "pushoverApiToken", "grafanaAdminUser", "grafanaAdminPassword"].map((k) => [
          k,
          str(/^[-._a-zA-Z0-9]+$/, "a Secret key (letters, digits, '-', '_' or '.')"),
        ]),
      ),
    ),
  }),
  sops: obj({ ageRecipients: { kind: "list", of: str(AGE_RECIPIENT, "an age recipient (age1…)") } }),
  charts: obj(Object.fromEntries(RELEASES.map((r) => [r, chartSource]))),
  flux: obj({
    kustomization: dnsLabel,
    path: str(/^\.\/\S*$/, "a path relative to the repository root, starting with ./"),
    sourceRef: obj({ kind: { kind: "string", oneOf: ["GitRepository", "OCIRepository", "Bucket"] }, name: dnsLabel }),
    cluster: str(),
  }),
  certManager: obj({ enabled: { kind: "bool" }, namespace: dnsLabel }),
  values: obj(Object.fromEntries(RELEASES.map((r) => [r, { kind: "map", of: { kind: "any" } } as Spec]))),
});

export interface LoadedOptions {
  readonly options: StackOptions;
  readonly diagnostics: Diagnostic[];
  /** Positions in stack.yaml, for later checks (chart values) to point at; undefined without a stack.yaml. */
  readonly input?: YamlInput;
}

/**
 * Reads stack.yaml (or nothing: every default) into options. Objects merge key by key over the defaults; lists and
 * scalars replace them; `hostnames` follow `domain` unless set.
 */
export function loadStackOptions(source?: { filename: string; text: string }): LoadedOptions {
  if (source === undefined) return { options: DEFAULT_OPTIONS, diagnostics: [] };
  const input = readYaml(source.text, source.filename, STACK_SPEC);
  const given = (input.data ?? {}) as Record<string, unknown>;
  const merged = mergeDeep(DEFAULT_OPTIONS, given) as unknown as Record<string, unknown>;
  const domain = merged["domain"] as string;
  const hostnames = Object.fromEntries(ROUTES.map((r) => [r, `${r}.${domain}`]));
  merged["hostnames"] = mergeDeep(hostnames, (given["hostnames"] ?? {}) as Record<string, unknown>);
  const options = normalize(merged as unknown as StackOptions);
  return { options, diagnostics: input.diagnostics, input };
}

function normalize(o: StackOptions): StackOptions {
  const toMatch = (m: AlertMatch | string): AlertMatch => (typeof m === "string" ? { alert: m } : m);
  return {
    ...o,
    alerting: { ...o.alerting, critical: o.alerting.critical.map(toMatch), warning: o.alerting.warning.map(toMatch) },
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Helm's own merge rule for values, also used for options: maps merge key by key, anything else (lists included)
 * replaces. A null in `over` keeps null (Helm then deletes the key; the values emitter does the same).
 */
export function mergeDeep(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(base)) out[k] = base[k];
  for (const k of Object.keys(over)) out[k] = Object.hasOwn(base, k) ? mergeDeep(base[k], over[k]) : over[k];
  return out;
}
