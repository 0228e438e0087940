import type { StackOptions } from "../options.ts";
import { alertmanagerConfig } from "./alertmanager.ts";
import { resourceValues } from "./common.ts";
import { kubeStateMetricsFluxValues } from "./rules.ts";

/**
 * The generated values of each HelmRelease, before the user's extra `values` are merged over them. Every key path
 * here is checked against the chart version's values (src/stack/charts) like the user's, and the design's choices are
 * explained where the chart's defaults are changed.
 */

/** A PVC template of prometheus-operator's StorageSpec (Prometheus and Alertmanager). */
function volumeClaimTemplate(size: string, options: StackOptions) {
  return {
    volumeClaimTemplate: {
      spec: { storageClassName: options.storageClass, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } },
    },
  };
}

export function kubePrometheusStackValues(options: StackOptions): Record<string, unknown> {
  const r = options.resources;
  const secret = options.secret;
  return {
    defaultRules: { create: true },
    prometheus: {
      prometheusSpec: {
        retention: options.retention.prometheus,
        scrapeInterval: options.scrapeInterval,
        evaluationInterval: options.scrapeInterval,
        externalUrl: `https://${options.hostnames.prometheus}`,
        resources: resourceValues(r.prometheus),
        storageSpec: volumeClaimTemplate(options.storage.prometheus, options),
      },
    },
    alertmanager: {
      enabled: true,
      alertmanagerSpec: {
        // Mounted at /etc/alertmanager/secrets/<name>/<key>: the Pushover receivers read the key and token there.
        secrets: [secret.name],
        externalUrl: `https://${options.hostnames.alertmanager}`,
        resources: resourceValues(r.alertmanager),
        storage: volumeClaimTemplate(options.storage.alertmanager, options),
      },
      config: alertmanagerConfig(options),
    },
    grafana: {
      enabled: true,
      defaultDashboardsEnabled: true,
      admin: {
        // The chart reads both keys from the Secret (stack-facts §0.5).
        existingSecret: secret.name,
        userKey: secret.keys.grafanaAdminUser,
        passwordKey: secret.keys.grafanaAdminPassword,
      },
      persistence: {
        enabled: true,
        type: "pvc",
        storageClassName: options.storageClass,
        accessModes: ["ReadWriteOnce"],
        size: options.storage.grafana,
      },
      resources: resourceValues(r.grafana),
      "grafana.ini": { server: { root_url: `https://${options.hostnames.grafana}` } },
      sidecar: { datasources: { enabled: true, label: "grafana_datasource", labelValue: "1" } },
    },
    nodeExporter: { enabled: true },
    "prometheus-node-exporter": { resources: resourceValues(r.nodeExporter) },
    kubeStateMetrics: { enabled: true },
    "kube-state-metrics": { resources: resourceValues(r.kubeStateMetrics), ...kubeStateMetricsFluxValues() },
  };
}

export function lokiValues(options: StackOptions): Record<string, unknown> {
  return {
    // Single binary (renamed Monolithic in chart 12): one StatefulSet, one PVC. read/write/backend default to 3
    // replicas and the chart refuses to render monolithic with them, so they are zeroed.
    deploymentMode: "Monolithic",
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      schemaConfig: {
        configs: [
          { from: "2024-04-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "loki_index_", period: "24h" } },
        ],
      },
      limits_config: { retention_period: options.retention.loki },
      compactor: { retention_enabled: true, delete_request_store: "filesystem" },
    },
    singleBinary: {
      replicas: 1,
      resources: resourceValues(options.resources.loki),
      persistence: { enabled: true, storageClass: options.storageClass, size: options.storage.loki },
    },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    gateway: { enabled: false },
    chunksCache: { enabled: false },
    resultsCache: { enabled: false },
    // The canary and the chart's test are switched off together (the chart fails on a test without its canary).
    lokiCanary: { enabled: false },
    test: { enabled: false },
  };
}

export interface PipelineFacts {
  /** The canonical River of the pipeline, one config. */
  readonly river: string;
  /** The lowest stability level among the components and functions the pipeline uses. */
  readonly stabilityLevel: "generally-available" | "public-preview" | "experimental";
  /** Host paths the pipeline reads, as the chart's mount switches. */
  readonly mounts: { readonly varlog: boolean; readonly dockercontainers: boolean };
}

export function alloyValues(options: StackOptions, pipeline: PipelineFacts): Record<string, unknown> {
  return {
    controller: { type: "daemonset" },
    alloy: {
      stabilityLevel: pipeline.stabilityLevel,
      mounts: { ...pipeline.mounts },
      resources: resourceValues(options.resources.alloy),
      configMap: { create: true, content: escapeHelmTpl(pipeline.river) },
    },
  };
}

/**
 * The Alloy chart passes `alloy.configMap.content` through Helm's `tpl`, so a literal `{{` in the pipeline (a Go
 * template in a loki.process stage, say) would start a template action. Each `{{` becomes an action that prints the
 * string "{{"; nothing else can start an action, so the rendered ConfigMap holds the pipeline unchanged.
 */
export function escapeHelmTpl(text: string): string {
  return text.replaceAll("{{", '{{ "{{" }}');
}
