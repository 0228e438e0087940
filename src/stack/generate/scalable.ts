import type { V1Service } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { parse } from "../../syntax/parse.ts";
import type { BlockStmt, Stmt } from "../../ast/ast.ts";
import { COMPONENTS } from "../../schema/index.ts";
import type { StackOptions } from "../options.ts";
import { dnsSrvAddress, serviceUrl, type ServicePort } from "../services.ts";
import { resourceValues } from "./common.ts";
import type { KubeObject } from "./common.ts";
import type { RuleGroup } from "./rules.ts";

/**
 * The scalable profile (`profile: scalable`): the same stack on the distributed engines the projects ship, for a
 * cluster of a few nodes. Each function returns chart values (checked against the chart version like the homelab's)
 * or a typed object; index.ts lays the files out.
 *
 * - Metrics: kube-prometheus-stack's Prometheus with 2+ replicas and the Thanos sidecar uploading 2h blocks to an S3
 *   bucket; Thanos Query (deduplicating on the operator's replica label), Store Gateway and Compact (retention and
 *   downsampling) from stevehipwell/helm-charts' thanos chart. Grafana's Prometheus datasource points at Thanos Query.
 * - Logs: the loki chart in SimpleScalable mode (read/write/backend, replication factor 3) on S3, behind the chart's
 *   gateway. A `loki` Service in front of the gateway keeps the homelab's push address, so the pipeline is the same.
 * - Alertmanager: 2+ replicas, clustered by the operator (its governing Service alertmanager-operated).
 * - Grafana: one replica, its SQLite database on a ReadWriteOnce block volume, replaced with Recreate (a rolling
 *   update would start the new pod while the old one still holds the volume, on another node it never attaches).
 * - Every PersistentVolumeClaim on `scalable.storageClass`: block storage, never the homelab's NFS.
 *
 * Credentials never appear in values: Loki reads them from environment variables (`-config.expand-env=true`), Thanos
 * (sidecar, Store Gateway, Compact) from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, which its S3 client reads when the
 * objstore configuration has no access key; both come from the stack's SOPS Secret through secretKeyRef.
 */

/** The external label prometheus-operator gives each Prometheus replica (replicaExternalLabelName left unset). */
export const PROMETHEUS_REPLICA_LABEL = "prometheus_replica";

/** The pod labels of the loki chart's gateway (loki.gatewaySelectorLabels: loki.selectorLabels + the component). */
export function lokiGatewaySelector(lokiRelease: string, lokiValues: Record<string, unknown> | undefined): Record<string, string> {
  const nameOverride = lokiValues?.["nameOverride"];
  return {
    "app.kubernetes.io/name": typeof nameOverride === "string" && nameOverride !== "" ? nameOverride : "loki",
    "app.kubernetes.io/instance": lokiRelease,
    "app.kubernetes.io/component": "gateway",
  };
}

/** The name of the gateway container's HTTP port (loki: templates/gateway/deployment.yaml). */
export const LOKI_GATEWAY_TARGET_PORT = "http";

/** An environment variable read from the stack's SOPS Secret. */
function secretEnv(name: string, key: string, options: StackOptions) {
  return { name, valueFrom: { secretKeyRef: { name: options.secret.name, key } } };
}

/** AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from the Secret: what Thanos' S3 client reads when access_key is empty. */
function awsEnv(options: StackOptions) {
  const keys = options.scalable.objectStorage.secretKeys;
  return [secretEnv("AWS_ACCESS_KEY_ID", keys.accessKeyId, options), secretEnv("AWS_SECRET_ACCESS_KEY", keys.secretAccessKey, options)];
}

/** Thanos' objstore configuration for the bucket (no credentials: they come from the environment). */
export function thanosObjstore(options: StackOptions): { type: "S3"; config: Record<string, unknown> } {
  const o = options.scalable.objectStorage;
  return {
    type: "S3",
    config: { bucket: o.buckets.thanos, endpoint: o.endpoint, region: o.region, insecure: o.insecure, bucket_lookup_type: o.forcePathStyle ? "path" : "auto" },
  };
}

function blockClaim(size: string, options: StackOptions) {
  return {
    volumeClaimTemplate: {
      spec: { storageClassName: options.scalable.storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } },
    },
  };
}

/** A PodDisruptionBudget that lets one pod go at a time (node drains), never all of them. */
const ONE_AT_A_TIME = { enabled: true, maxUnavailable: 1 };

/**
 * The same for kube-prometheus-stack, whose template renders the whole map (minus `enabled`) as the PDB spec: its
 * default `minAvailable: 1` is removed (null), since a PDB with both fields is rejected by the API server.
 */
const KPS_ONE_AT_A_TIME = { enabled: true, minAvailable: null, maxUnavailable: 1 };

/** Preferred spreading over nodes (Thanos chart: the chart adds its pod selector to a term without one). */
const SPREAD_OVER_NODES = {
  podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname" } }] },
};

/**
 * Merged over the homelab's kube-prometheus-stack values: HA Prometheus with the Thanos sidecar, a clustered
 * Alertmanager, Grafana on block storage with its Prometheus datasource on Thanos Query.
 */
export function kubePrometheusStackOverlay(options: StackOptions, thanosQuery: ServicePort): Record<string, unknown> {
  const s = options.scalable;
  return {
    prometheus: {
      // The headless Service Thanos Query discovers the sidecars through (one SRV record per replica).
      thanosService: { enabled: true },
      // The sidecars' own metrics (uploads, their Prometheus' health), for the Thanos rules.
      thanosServiceMonitor: { enabled: true },
      podDisruptionBudget: { ...KPS_ONE_AT_A_TIME },
      prometheusSpec: {
        replicas: s.replicas.prometheus,
        // Recent data only: the sidecar uploads every 2h block; Thanos Compact keeps the history.
        retention: s.retention.prometheus,
        podAntiAffinity: "hard",
        storageSpec: blockClaim(s.storage.prometheus, options),
        // Rendered by the chart into the Secret <kps>-prometheus (key object-storage-configs.yaml); no credentials.
        thanos: { objectStorageConfig: { secret: thanosObjstore(options) } },
        // The operator merges a container named like one of its own into it: the credentials of the sidecar.
        containers: [{ name: "thanos-sidecar", env: awsEnv(options) }],
      },
    },
    alertmanager: {
      podDisruptionBudget: { ...KPS_ONE_AT_A_TIME },
      alertmanagerSpec: {
        // The operator runs the replicas as one Alertmanager cluster (peers through alertmanager-operated).
        replicas: s.replicas.alertmanager,
        podAntiAffinity: "hard",
        storage: blockClaim(s.storage.alertmanager, options),
      },
    },
    grafana: {
      // One replica: SQLite on a ReadWriteOnce volume survives a pod move (the volume follows the pod); Recreate so
      // that the old pod releases the volume before the new one mounts it.
      replicas: 1,
      deploymentStrategy: { type: "Recreate" },
      persistence: { storageClassName: s.storageClass, size: s.storage.grafana },
      // The chart's Prometheus datasource: both replicas and the bucket's history, deduplicated.
      sidecar: { datasources: { url: serviceUrl(thanosQuery, options.namespace) + "/" } },
    },
  };
}

/**
 * Loki in simple-scalable mode on S3. Simple-scalable rather than distributed: three StatefulSets (read, write,
 * backend) instead of a dozen Deployments is what a few nodes can run and an operator can follow, and Loki's docs
 * size it to a few TB a day, far beyond a few nodes' logs.
 */
export function lokiScalableValues(options: StackOptions): Record<string, unknown> {
  const s = options.scalable;
  const o = s.objectStorage;
  const loki = options.resources.loki;
  const persistence = (size: string) => ({ storageClass: s.storageClass, size });
  return {
    deploymentMode: "SimpleScalable",
    loki: {
      auth_enabled: false,
      // Three ingesters (the write replicas) hold each stream: one node may go without losing writes.
      commonConfig: { replication_factor: 3 },
      storage: {
        type: "s3",
        bucketNames: { chunks: o.buckets.lokiChunks, ruler: o.buckets.lokiRuler },
        s3: {
          endpoint: o.endpoint,
          region: o.region,
          s3ForcePathStyle: o.forcePathStyle,
          insecure: o.insecure,
          // Expanded by Loki from the environment (-config.expand-env=true below): references, not credentials.
          accessKeyId: "${S3_ACCESS_KEY_ID}",
          secretAccessKey: "${S3_SECRET_ACCESS_KEY}",
        },
      },
      schemaConfig: {
        configs: [{ from: "2024-04-01", store: "tsdb", object_store: "s3", schema: "v13", index: { prefix: "loki_index_", period: "24h" } }],
      },
      limits_config: { retention_period: options.retention.loki },
      // The compactor (in the backend StatefulSet) applies retention; delete requests live in the bucket.
      compactor: { retention_enabled: true, delete_request_store: "s3" },
    },
    defaults: {
      extraArgs: ["-config.expand-env=true"],
      extraEnv: [
        secretEnv("S3_ACCESS_KEY_ID", o.secretKeys.accessKeyId, options),
        secretEnv("S3_SECRET_ACCESS_KEY", o.secretKeys.secretAccessKey, options),
      ],
    },
    singleBinary: { replicas: 0 },
    // The chart's defaults keep the rest: a required anti-affinity per node for each target and a
    // PodDisruptionBudget (maxUnavailable 1) for read, write and backend.
    read: { replicas: s.replicas.lokiRead, resources: resourceValues(loki) },
    write: { replicas: s.replicas.lokiWrite, resources: resourceValues(loki), persistence: persistence(s.storage.lokiWrite) },
    backend: { replicas: s.replicas.lokiBackend, resources: resourceValues(loki), persistence: persistence(s.storage.lokiBackend) },
    // The gateway's default affinity is a required anti-affinity per node too.
    gateway: { enabled: true, replicas: s.replicas.lokiGateway },
    // Sized for a few nodes, not the chart's 8 GiB chunks cache: 1 GiB of chunks and 256 MiB of query results.
    chunksCache: { enabled: true, allocatedMemory: 1024 },
    resultsCache: { enabled: true, allocatedMemory: 256 },
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

/**
 * Thanos Query, Store Gateway and Compact over the bucket the sidecars upload to. Query reaches the sidecars through
 * kube-prometheus-stack's thanos-discovery Service and deduplicates on the replica label; Compact deduplicates the
 * replicas' blocks (penalty function, for HA Prometheus pairs), downsamples and applies the retention.
 */
export function thanosValues(options: StackOptions, sidecar: ServicePort, kpsRelease: string): Record<string, unknown> {
  const s = options.scalable;
  const persistence = (size: string) => ({ enabled: true, storageClass: s.storageClass, size });
  return {
    objstoreConfig: { create: true, value: stringify(thanosObjstore(options)) },
    additionalEndpoints: [dnsSrvAddress(sidecar, options.namespace)],
    additionalReplicaLabels: [PROMETHEUS_REPLICA_LABEL],
    // ServiceMonitors for Prometheus (selected by the release label like every other, stack-facts §0.6).
    serviceMonitor: { enabled: true, additionalLabels: { release: kpsRelease } },
    query: {
      enabled: true,
      replicas: s.replicas.thanosQuery,
      podDisruptionBudget: { ...ONE_AT_A_TIME },
      affinity: SPREAD_OVER_NODES,
    },
    storeGateway: {
      enabled: true,
      replicas: s.replicas.thanosStoreGateway,
      extraEnv: awsEnv(options),
      persistence: persistence(s.storage.thanosStoreGateway),
      podDisruptionBudget: { ...ONE_AT_A_TIME },
      affinity: SPREAD_OVER_NODES,
    },
    compact: {
      enabled: true,
      deduplication: { enabled: true, func: "penalty" },
      extraEnv: awsEnv(options),
      extraArgs: [
        `--retention.resolution-raw=${s.retention.raw}`,
        `--retention.resolution-5m=${s.retention.downsampled5m}`,
        `--retention.resolution-1h=${s.retention.downsampled1h}`,
      ],
      persistence: persistence(s.storage.thanosCompact),
    },
    queryFrontend: { enabled: false },
    rule: { enabled: false },
    receive: { enabled: false },
  };
}

/**
 * Merged over the homelab's Alloy values. The DaemonSet still tails each node's own logs (no clustering needed for
 * that); clustering is switched on when the pipeline has a component that can share its work among the instances
 * (one with a `clustering` block: prometheus.scrape, loki.source.kubernetes, …), so that each target is handled once.
 */
export function alloyOverlay(river: string): Record<string, unknown> {
  const sharing = clusteredComponents(river);
  return sharing.length > 0 ? { alloy: { clustering: { enabled: true } } } : {};
}

/** The components of the pipeline that can distribute their targets over an Alloy cluster. */
export function clusteredComponents(river: string): string[] {
  const out = new Set<string>();
  const visit = (body: readonly Stmt[]) => {
    for (const s of body) {
      if (s.kind !== "BlockStmt") continue;
      const name = (s as BlockStmt).name.join(".");
      const schema = COMPONENTS[name];
      if (schema !== undefined && Object.hasOwn(schema.blocks, "clustering")) out.add(name);
      visit((s as BlockStmt).body);
    }
  };
  visit(parse(river, { filename: "pipeline" }).file.body);
  return [...out].sort();
}

/**
 * The homelab's push address in front of the gateway: Service `loki` (the name and port the chart's monolithic
 * Service has) selecting the loki chart's gateway pods, so that a pipeline's loki.write works unchanged in both
 * profiles. validate.ts checks its selector and target port against the chart's gateway.
 */
export function lokiPushService(options: StackOptions, push: ServicePort, selector: Record<string, string>): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: push.service, namespace: options.namespace, labels: { "app.kubernetes.io/part-of": "river-stack" } },
    spec: {
      type: "ClusterIP",
      selector: { ...selector },
      ports: [{ name: push.portName, port: push.port, targetPort: LOKI_GATEWAY_TARGET_PORT, protocol: "TCP" }],
    },
  } satisfies V1Service;
}

/**
 * Alerts for what the scalable profile adds and nothing else watches: a sidecar that cannot reach its Prometheus or
 * fails to upload blocks (the bucket's history gets holes once the local retention passes), and a halted Compact
 * (retention and downsampling stop, the bucket only grows). The metric names are Thanos' (cmd/thanos/sidecar.go,
 * pkg/shipper, cmd/thanos/compact.go), each exported by one component only, so no job matcher is needed.
 */
export function thanosRules(): RuleGroup {
  return {
    name: "thanos",
    rules: [
      {
        alert: "ThanosSidecarPrometheusDown",
        expr: "max by (namespace, pod) (thanos_sidecar_prometheus_up) == 0",
        for: "5m",
        labels: { severity: "warning" },
        annotations: {
          summary: "The Thanos sidecar of {{ $labels.namespace }}/{{ $labels.pod }} cannot reach its Prometheus",
          description: "The sidecar in {{ $labels.namespace }}/{{ $labels.pod }} has not reached Prometheus for 5 minutes: its blocks are not uploaded and Thanos Query cannot read it. Check the pod's prometheus and thanos-sidecar containers.",
        },
      },
      {
        alert: "ThanosSidecarUploadFailing",
        expr: "sum by (namespace, pod) (increase(thanos_shipper_upload_failures_total[1h])) > 0",
        for: "30m",
        labels: { severity: "warning" },
        annotations: {
          summary: "The Thanos sidecar of {{ $labels.namespace }}/{{ $labels.pod }} fails to upload blocks",
          description: "Blocks of {{ $labels.namespace }}/{{ $labels.pod }} are not reaching the bucket: once Prometheus' local retention passes, their data is gone. Check the bucket, its endpoint and the S3 credentials in the stack's Secret.",
        },
      },
      {
        alert: "ThanosCompactHalted",
        expr: "max by (namespace, pod) (thanos_compact_halted) == 1",
        for: "5m",
        labels: { severity: "warning" },
        annotations: {
          summary: "Thanos Compact {{ $labels.namespace }}/{{ $labels.pod }} has halted",
          description: "Thanos Compact stopped on an unexpected error: retention and downsampling no longer run and the bucket only grows. Read its logs; a restart resumes it once the cause is fixed.",
        },
      },
    ],
  };
}
