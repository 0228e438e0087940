import type { Diagnostic } from "../diag/diagnostic.ts";
import { ageRecipientProblem } from "../secret/age.ts";
import { readYaml, type Spec, type YamlInput } from "./yaml-spec.ts";

/**
 * The stack options (pipelines/stack.yaml): everything about the generated stack that is not the Alloy pipeline.
 * Every key is optional; the defaults are the homelab of the design (../shared/design.md) with the corrections of
 * stack-facts.md. `DEFAULT_OPTIONS` is the single place those defaults live.
 */
export const RELEASES = ["kube-prometheus-stack", "loki", "alloy", "thanos"] as const;
export type Release = (typeof RELEASES)[number];

/**
 * What the stack is sized for: `homelab` (the design: one node, single-binary Loki on the filesystem, one Prometheus)
 * or `scalable` (several nodes: Loki simple-scalable and Thanos on object storage, HA Prometheus and Alertmanager).
 */
export const PROFILES = ["homelab", "scalable"] as const;
export type Profile = (typeof PROFILES)[number];

/** The releases each profile installs (the homelab has no Thanos). */
export const PROFILE_RELEASES: Readonly<Record<Profile, readonly Release[]>> = {
  homelab: ["kube-prometheus-stack", "loki", "alloy"],
  scalable: ["kube-prometheus-stack", "loki", "alloy", "thanos"],
};

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

/** The scalable profile's options (ignored by the homelab profile). */
export interface ScalableOptions {
  /**
   * A block-storage StorageClass (local disks, Longhorn, Ceph RBD, a cloud disk) for Prometheus' TSDB, Loki's write
   * and backend volumes, Alertmanager, Grafana and Thanos' caches: Prometheus' TSDB is not supported on NFS
   * (stack-facts §0.10), so the homelab's nfs-client is not used.
   */
  readonly storageClass: string;
  readonly objectStorage: {
    /** The S3 endpoint, host[:port] without a scheme (as both Loki and Thanos take it). */
    readonly endpoint: string;
    readonly region: string;
    /** Plain HTTP to the endpoint (an in-cluster MinIO without TLS, say). */
    readonly insecure: boolean;
    /** Path-style bucket URLs (MinIO and most self-hosted S3 need them). */
    readonly forcePathStyle: boolean;
    readonly buckets: { readonly lokiChunks: string; readonly lokiRuler: string; readonly thanos: string };
    /** Keys of the stack's SOPS Secret that hold the S3 credentials (added to the keys the Secret must have). */
    readonly secretKeys: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  readonly replicas: {
    readonly prometheus: number;
    readonly alertmanager: number;
    readonly lokiRead: number;
    readonly lokiWrite: number;
    readonly lokiBackend: number;
    readonly lokiGateway: number;
    readonly thanosQuery: number;
    readonly thanosStoreGateway: number;
  };
  readonly storage: {
    readonly prometheus: string;
    readonly alertmanager: string;
    readonly grafana: string;
    readonly lokiWrite: string;
    readonly lokiBackend: string;
    readonly thanosCompact: string;
    readonly thanosStoreGateway: string;
  };
  readonly retention: {
    /** Prometheus' own TSDB: the sidecar uploads each 2h block, so a few days are enough for fast recent queries. */
    readonly prometheus: string;
    /** Thanos Compact's retention per resolution (raw samples, 5m and 1h downsampled); 0d keeps forever. */
    readonly raw: string;
    readonly downsampled5m: string;
    readonly downsampled1h: string;
  };
}

export interface StackOptions {
  readonly profile: Profile;
  readonly scalable: ScalableOptions;
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
    /**
     * Severities of one-shot events (Flux's notifications, `severity="error"`): sent at the warning priority, without
     * the "resolved" notification Alertmanager would send when they time out, since nothing ever resolves them.
     */
    readonly events: readonly string[];
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
  profile: "homelab",
  scalable: {
    storageClass: "local-path",
    objectStorage: {
      endpoint: "",
      region: "us-east-1",
      insecure: false,
      forcePathStyle: true,
      buckets: { lokiChunks: "loki-chunks", lokiRuler: "loki-ruler", thanos: "thanos" },
      secretKeys: { accessKeyId: "s3_access_key_id", secretAccessKey: "s3_secret_access_key" },
    },
    replicas: { prometheus: 2, alertmanager: 2, lokiRead: 3, lokiWrite: 3, lokiBackend: 3, lokiGateway: 2, thanosQuery: 2, thanosStoreGateway: 2 },
    storage: { prometheus: "20Gi", alertmanager: "1Gi", grafana: "1Gi", lokiWrite: "10Gi", lokiBackend: "10Gi", thanosCompact: "20Gi", thanosStoreGateway: "10Gi" },
    retention: { prometheus: "2d", raw: "30d", downsampled5m: "90d", downsampled1h: "1y" },
  },
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
    severities: { critical: ["critical"], warning: ["warning"] },
    events: ["error"],
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
    thanos: { url: "oci://ghcr.io/stevehipwell/helm-charts/thanos", version: "1.24.x" },
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
  {
    url: { kind: "string", pattern: /^(oci|https?):\/\/\S+$/, expect: "an oci:// or https:// URL", check: (u) => (URL.canParse(u) ? undefined : "not a URL") },
    version: str(/^\S.*$/, "a semver range"),
  },
  [],
);

const secretKey = str(/^[-._a-zA-Z0-9]+$/, "a Secret key (letters, digits, '-', '_' or '.')");
/** An S3 bucket name (the rules S3 and MinIO share: 3-63 lower-case letters, digits, '.' and '-'). */
const bucket = str(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name (3-63 lower-case letters, digits, '.' or '-')");
const replicas = (min: number): Spec => ({ kind: "int", min, max: 100 });

export const STACK_SPEC: Spec = obj({
  profile: { kind: "string", oneOf: [...PROFILES] },
  scalable: obj({
    storageClass: str(DNS_NAME, "a StorageClass name"),
    objectStorage: obj({
      endpoint: str(/^[a-zA-Z0-9.-]+(:[0-9]{1,5})?$/, "an S3 endpoint host[:port] without a scheme, such as minio.storage.svc:9000"),
      region: str(/^[a-z0-9-]+$/, "an S3 region such as us-east-1"),
      insecure: { kind: "bool" },
      forcePathStyle: { kind: "bool" },
      buckets: obj({ lokiChunks: bucket, lokiRuler: bucket, thanos: bucket }),
      secretKeys: obj({ accessKeyId: secretKey, secretAccessKey: secretKey }),
    }),
    replicas: obj({
      prometheus: replicas(2),
      alertmanager: replicas(2),
      lokiRead: replicas(2),
      lokiWrite: replicas(3),
      lokiBackend: replicas(2),
      lokiGateway: replicas(2),
      thanosQuery: replicas(2),
      thanosStoreGateway: replicas(1),
    }),
    storage: obj(Object.fromEntries(["prometheus", "alertmanager", "grafana", "lokiWrite", "lokiBackend", "thanosCompact", "thanosStoreGateway"].map((k) => [k, quantity]))),
    retention: obj({
      prometheus: promDuration,
      raw: promDuration,
      downsampled5m: promDuration,
      downsampled1h: promDuration,
    }),
  }),
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
    events: { kind: "list", of: str() },
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
  sops: obj({
    ageRecipients: { kind: "list", of: { kind: "string", pattern: AGE_RECIPIENT, expect: "an age recipient (age1…)", check: ageRecipientProblem } },
  }),
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

/** The keys the stack's SOPS Secret must hold: the homelab's, and the S3 credentials with the scalable profile. */
export function requiredSecretKeys(options: StackOptions): string[] {
  const keys = Object.values(options.secret.keys);
  if (options.profile === "scalable") keys.push(options.scalable.objectStorage.secretKeys.accessKeyId, options.scalable.objectStorage.secretKeys.secretAccessKey);
  return keys;
}

/**
 * Reads stack.yaml (or nothing: every default) into options. Objects merge key by key over the defaults; lists and
 * scalars replace them; `hostnames` follow `domain` unless set. `profile` (river build --profile) overrides stack.yaml's.
 */
export function loadStackOptions(source?: { filename: string; text: string }, profile?: Profile): LoadedOptions {
  const loaded = readStackOptions(source);
  return profile === undefined || profile === loaded.options.profile ? loaded : { ...loaded, options: { ...loaded.options, profile } };
}

function readStackOptions(source?: { filename: string; text: string }): LoadedOptions {
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
