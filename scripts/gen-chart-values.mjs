#!/usr/bin/env node
// Generates src/stack/charts/generated/values.ts, the key paths and value kinds of the Helm charts the stack
// installs, from the reference copies in ../shared/reference/charts (Chart.yaml, values.yaml, loki's
// values.schema.json) and, for the charts only the scalable profile installs, from the extra charts directory
// (EXTRA_CHARTS below). Only the shape is kept, never the charts' text or default values.
//
//   node scripts/gen-chart-values.mjs [--shared DIR] [--extra DIR] [--check]
//
// --extra DIR (default: $RIVER_EXTRA_CHARTS, else ../extra-charts beside the repository) holds one folder per
// EXTRA_CHARTS entry with that chart's Chart.yaml and values.yaml, byte for byte from the commit named there, e.g.
//   git clone https://github.com/stevehipwell/helm-charts /tmp/sh && mkdir -p ../extra-charts/thanos &&
//   for f in Chart.yaml values.yaml; do git -C /tmp/sh show 4bf89d04f017417ceb3ba3164a212d33e8d4ef67:charts/thanos/$f \
//     > ../extra-charts/thanos/$f; done
// The directory is input only: never commit it (the charts' text stays out of the repository).
//
// --check compares with the committed file instead of writing it (exit 1 when it differs).
// The output is deterministic: keys are sorted and nothing depends on time or environment.
//
// A node of the generated tree is one of
//   "letters"      a leaf: the kinds a value may have, from s (string), i (integer), n (number), b (boolean),
//                  m (map, any keys), l (list, any elements); "*" means any value at all
//   {key: node}    a map with these declared keys; a "*" key gives the node of every other key (a map of user
//                  entries whose values have a known kind)
//   [node]         a list whose every element is that node
// null is accepted everywhere: a null in a release's values removes the key, so the chart's default applies.
//
// Kinds come from the default value in values.yaml (rules in `nodeFromDefault`), except where loki's
// values.schema.json types a path: Helm validates values against that schema, so its types are the exact ones.

import { readFileSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "..");
export const OUT_DIR = join(REPO, "src", "stack", "charts", "generated");
const CHARTS_SUBDIR = join("reference", "charts");

/** The charts river installs, by the id the checker uses, with the folder of their reference copy. */
const CHARTS = [
  { id: "kube-prometheus-stack", dir: "kube-prometheus-stack" },
  { id: "loki", dir: "loki" },
  { id: "alloy", dir: "alloy" },
  { id: "thanos", dir: "thanos", extra: true },
];

/**
 * Charts that are not in ../shared/reference/charts (the scalable profile's): where their copy in the extra charts
 * directory comes from, and the version it must be (checked, so that a stale copy cannot slip in).
 *
 * thanos: stevehipwell/helm-charts `charts/thanos` (OCI ghcr.io/stevehipwell/helm-charts/thanos), chart 1.24.1, Thanos
 * v0.42.4; the chart directory was last changed in 8e4dbb72 ("Update image to v0.42.4"). The README of river says why
 * this chart and not Bitnami's or thanos-community's.
 */
export const EXTRA_CHARTS = {
  thanos: {
    repo: "stevehipwell/helm-charts",
    commit: "4bf89d04f017417ceb3ba3164a212d33e8d4ef67",
    path: "charts/thanos",
    version: "1.24.1",
  },
};

/**
 * kube-prometheus-stack's subcharts, mounted under their values key (Chart.yaml `dependencies`, alias or name).
 * `dir: null`: the subchart's values are not in the reference copy, so anything under its key is accepted.
 */
const SUBCHARTS = {
  "kube-prometheus-stack": [
    { key: "crds", dir: "kube-prometheus-stack-crds" },
    { key: "kube-state-metrics", dir: "kube-state-metrics" },
    { key: "prometheus-node-exporter", dir: "prometheus-node-exporter" },
    { key: "grafana", dir: "grafana" },
    { key: "prometheus-windows-exporter", dir: null },
  ],
  // minio 5.4.0 and rollout-operator 0.51.1 (both off by default): loki's values.yaml sets a few of their keys,
  // but the subcharts read many more.
  loki: [
    { key: "minio", dir: null },
    { key: "rollout_operator", dir: null },
  ],
  // The local `crds` chart (one CRD, condition crds.create) has no values of its own beyond what alloy sets.
  alloy: [],
  // No dependencies.
  thanos: [],
};

/**
 * Keys whose map default is a Kubernetes object (or a part of one) that the charts render with toYaml, so any field
 * of that object is valid although values.yaml only shows a few: securityContext, probes, resources, affinity,
 * update strategies, PodDisruptionBudget specs (rendered as `omit ... "enabled"`), label and annotation maps.
 * A map default under one of these names is a free-form map.
 */
const KUBERNETES_OBJECT_KEY =
  /^(securityContext|podSecurityContext|containerSecurityContext|resources|affinity|nodeSelector|annotations|labels|env|livenessProbe|readinessProbe|startupProbe|strategy|updateStrategy|deploymentStrategy|statefulStrategy|sessionAffinityConfig|tlsConfig|matchLabels|podDisruptionBudget)$|[a-z](Annotations|Labels|SecurityContext)$/;

/** Kubernetes IntOrString fields: a number default there also takes a string (a named port, "25%"). */
const INT_OR_STRING_KEY = /^(targetPort|maxUnavailable|maxSurge|minAvailable)$/;

/**
 * Declared maps that are nonetheless free-form: the template renders the whole map into another program's
 * configuration, whose keys the chart's values.yaml only samples. `kinds` adds the other kinds the template takes.
 */
export const PASS_THROUGH = [
  {
    chart: "kube-prometheus-stack", path: ["alertmanager", "config"], kinds: "ms",
    template: "kube-prometheus-stack: templates/alertmanager/secret.yaml",
    why: "rendered with toYaml (or tpl when a string) as alertmanager.yaml: any Alertmanager configuration key",
  },
  {
    chart: "kube-prometheus-stack", path: ["grafana", "grafana.ini"], kinds: "m",
    template: "grafana: templates/_config.tpl",
    why: "every section and key is written to grafana.ini",
  },
  ...[
    "server", "pattern_ingester", "memberlistConfig", "extraMemberlistConfig", "ingester", "ingester_client",
    "block_builder", "commonConfig", "limits_config", "schemaConfig", "testSchemaConfig", "query_range",
    "storage_config", "query_scheduler", "compactor", "compactor_grpc_client", "analytics", "ui", "querier",
    "index_gateway", "frontend", "frontend_worker", "distributor", "tracing", "bloom_build", "bloom_gateway",
    "operational_config", "rulerConfig", "runtimeConfig", "structuredConfig",
  ].map((name) => ({
    chart: "loki", path: ["loki", name], kinds: "m",
    template: "loki: templates/_helpers.tpl",
    why: "a block of Loki's own configuration: the loki.config template in values.yaml renders it with toYaml, and " +
      "loki.calculatedConfig (with structuredConfig merged over it) becomes config.yaml",
  })),
];

/**
 * Paths a chart's templates read that its values.yaml does not declare (many appear there only as a commented
 * example), each with the template that reads it and the kinds the template takes (leaf letters above; "m" and "l"
 * for maps and lists passed on as they are). Found by reading every `.Values.<path>` of the templates at the
 * reference commits (../shared/reference/charts/README.md names them) and keeping those that reach past the declared
 * keys, plus the few read through `dig` or `with` (noted where they appear). Left out on purpose: loki `config`
 * (templates/validate.yaml reads it only to fail the release) and kube-prometheus-stack
 * `kubeScheduler.serviceMonitor.reource` (templates/exporters/kube-scheduler/servicemonitor.yaml misspells `resource`
 * after testing the declared `resource.relabelings`; the key itself does nothing useful).
 *
 * Rows are [path, kinds, template]; paths are dotted (no key on this list contains a dot). kube-prometheus-stack
 * subchart paths start with the subchart's values key and name the subchart's own template.
 * The generator fails when an entry is declared after all, so the list cannot go stale silently.
 */
const ALLOWED_ROWS = [
  {
    chart: "kube-prometheus-stack", templates: "kube-prometheus-stack",
    why: "optional setting the template reads with a fallback (`default`, `if`, `with`); not in values.yaml",
    rows: [
      ["additionalPrometheusRules", "l", "templates/prometheus/additionalPrometheusRules.yaml"],
      ["alertmanager.alertmanagerSpec.configSecret", "snb", "templates/alertmanager/alertmanager.yaml"],
      ["alertmanager.alertmanagerSpec.version", "snb", "templates/alertmanager/alertmanager.yaml"],
      ["alertmanager.extraSecret.name", "snb", "templates/alertmanager/extrasecret.yaml"],
      ["alertmanager.ingress.extraPaths", "l", "templates/alertmanager/ingress.yaml"],
      ["alertmanager.ingress.pathType", "snb", "templates/alertmanager/ingress.yaml"],
      ["alertmanager.ingress.serviceName", "snb", "templates/alertmanager/ingress.yaml"],
      ["alertmanager.ingress.servicePort", "sn", "templates/alertmanager/ingress.yaml"],
      ["alertmanager.ingressPerReplica.pathType", "snb", "templates/alertmanager/ingressperreplica.yaml"],
      ["alertmanager.service.clusterPort", "sn", "templates/alertmanager/networkpolicy.yaml"],
      ["alertmanager.verticalPodAutoscaler.controlledValues", "snb", "templates/alertmanager/verticalpodautoscaler.yaml"],
      ["alertmanager.verticalPodAutoscaler.recommenders", "l", "templates/alertmanager/verticalpodautoscaler.yaml"],
      ["coreDns.service.selector", "m", "templates/exporters/core-dns/service.yaml"],
      ["defaultRules.rules.k8sContainerCpuLimits", "b", "templates/prometheus/rules-1.14/k8s.rules.container_cpu_limits.yaml"],
      ["defaultRules.rules.k8sContainerCpuRequests", "b", "templates/prometheus/rules-1.14/k8s.rules.container_cpu_requests.yaml"],
      ["defaultRules.rules.k8sContainerMemoryLimits", "b", "templates/prometheus/rules-1.14/k8s.rules.container_memory_limits.yaml"],
      ["defaultRules.rules.k8sContainerMemoryRequests", "b", "templates/prometheus/rules-1.14/k8s.rules.container_memory_requests.yaml"],
      ["grafana.name", "snb", "templates/NOTES.txt"],
      ["grafana.sidecar.datasources.alertmanager.url", "snb", "templates/grafana/configmaps-datasources.yaml"],
      ["grafana.sidecar.datasources.customQueryParameters", "snb", "templates/grafana/configmaps-datasources.yaml"],
      ["grafana.sidecar.datasources.defaultDatasourceScrapeInterval", "snb", "templates/grafana/configmaps-datasources.yaml"],
      ["grafana.sidecar.datasources.extraJsonData", "m", "templates/grafana/configmaps-datasources.yaml"],
      ["grafana.sidecar.datasources.timeout", "sn", "templates/grafana/configmaps-datasources.yaml"],
      ["grafana.sidecar.datasources.url", "snb", "templates/grafana/configmaps-datasources.yaml"],
      ["kubeControllerManager.service.selector", "m", "templates/exporters/kube-controller-manager/service.yaml"],
      ["kubeDns.service.selector", "m", "templates/exporters/kube-dns/service.yaml"],
      ["kubeEtcd.service.selector", "m", "templates/exporters/kube-etcd/service.yaml"],
      ["kubeProxy.service.selector", "m", "templates/exporters/kube-proxy/service.yaml"],
      ["kubeScheduler.service.selector", "m", "templates/exporters/kube-scheduler/service.yaml"],
      ["kubelet.serviceMonitor.resourceMetricRelabelings", "l", "templates/exporters/kubelet/servicemonitor.yaml"],
      ["kubelet.serviceMonitor.scrapeTimeout", "snb", "templates/exporters/kubelet/servicemonitor.yaml"],
      ["prometheus.extraSecret.name", "snb", "templates/prometheus/extrasecret.yaml"],
      ["prometheus.ingress.extraPaths", "l", "templates/prometheus/ingress.yaml"],
      ["prometheus.ingress.pathType", "snb", "templates/prometheus/ingress.yaml"],
      ["prometheus.ingress.servicePort", "sn", "templates/prometheus/ingress.yaml"],
      ["prometheus.ingressPerReplica.pathType", "snb", "templates/prometheus/ingressperreplica.yaml"],
      ["prometheus.networkPolicy.cilium", "m", "templates/prometheus/ciliumnetworkpolicy.yaml"],
      ["prometheus.networkPolicy.egress", "l", "templates/prometheus/networkpolicy.yaml"],
      ["prometheus.networkPolicy.ingress", "l", "templates/prometheus/networkpolicy.yaml"],
      ["prometheus.networkPolicy.podSelector", "m", "templates/prometheus/networkpolicy.yaml"],
      ["prometheus.serviceMonitor.proxyUrl", "snb", "templates/prometheus/servicemonitor.yaml"],
      ["prometheus.thanosIngress.pathType", "snb", "templates/prometheus/ingressThanosSidecar.yaml"],
      ["prometheus.verticalPodAutoscaler.controlledValues", "snb", "templates/prometheus/verticalpodautoscaler.yaml"],
      ["prometheus.verticalPodAutoscaler.recommenders", "l", "templates/prometheus/verticalpodautoscaler.yaml"],
      ["prometheusOperator.admissionWebhooks.certManager.issuerRef", "m", "templates/prometheus-operator/certmanager.yaml"],
      ["prometheusOperator.admissionWebhooks.deployment.logFormat", "snb", "templates/prometheus-operator/admission-webhooks/deployment/deployment.yaml"],
      ["prometheusOperator.admissionWebhooks.deployment.logLevel", "snb", "templates/prometheus-operator/admission-webhooks/deployment/deployment.yaml"],
      ["prometheusOperator.admissionWebhooks.deployment.priorityClassName", "snb", "templates/prometheus-operator/admission-webhooks/deployment/deployment.yaml"],
      ["prometheusOperator.alertmanagerDefaultBaseImage", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.alertmanagerDefaultBaseImageRegistry", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.clusterDomain", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.logFormat", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.logLevel", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.networkPolicy.cilium", "m", "templates/prometheus-operator/ciliumnetworkpolicy.yaml"],
      ["prometheusOperator.networkPolicy.matchLabels", "m", "templates/prometheus-operator/admission-webhooks/job-patch/networkpolicy-createSecret.yaml"],
      ["prometheusOperator.priorityClassName", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.prometheusDefaultBaseImage", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.prometheusDefaultBaseImageRegistry", "snb", "templates/prometheus-operator/deployment.yaml"],
      ["prometheusOperator.verticalPodAutoscaler.controlledValues", "snb", "templates/prometheus-operator/verticalpodautoscaler.yaml"],
      ["prometheusOperator.verticalPodAutoscaler.recommenders", "l", "templates/prometheus-operator/verticalpodautoscaler.yaml"],
      ["thanosRuler.extraSecret.name", "snb", "templates/thanos-ruler/extrasecret.yaml"],
      ["thanosRuler.ingress.pathType", "snb", "templates/thanos-ruler/ingress.yaml"],
      ["thanosRuler.name", "snb", "templates/_helpers.tpl"],
      ["thanosRuler.thanosRulerSpec.alertQueryUrl", "snb", "templates/thanos-ruler/ruler.yaml"],
      ["thanosRuler.thanosRulerSpec.alertmanagersUrl", "snb", "templates/thanos-ruler/ruler.yaml"],
    ],
  },
  {
    chart: "kube-prometheus-stack", templates: "grafana", prefix: "grafana",
    why: "optional setting of the grafana chart, shown in its values.yaml only as a comment or not at all",
    rows: [
      ["adminPassword", "snb", "templates/_config.tpl"],
      ["annotations", "m", "templates/clusterrole.yaml"],
      ["args", "l", "templates/_pod.tpl"],
      ["command", "l", "templates/_pod.tpl"],
      ["configMapAnnotations", "m", "templates/configmap.yaml"],
      ["fullnameOverride", "snb", "templates/_helpers.tpl"],
      ["imageRenderer.annotations", "m", "templates/image-renderer-deployment.yaml"],
      ["imageRenderer.appProtocol", "snb", "templates/image-renderer-service.yaml"],
      ["imageRenderer.command", "l", "templates/image-renderer-deployment.yaml"],
      ["imageRenderer.labels", "m", "templates/image-renderer-deployment.yaml"],
      ["imageRenderer.podLabels", "m", "templates/image-renderer-deployment.yaml"],
      ["imageRenderer.schedulerName", "snb", "templates/image-renderer-deployment.yaml"],
      ["imageRenderer.service.annotations", "m", "templates/image-renderer-service.yaml"],
      ["imageRenderer.service.clusterIP", "snb", "templates/image-renderer-service.yaml"],
      ["imageRenderer.service.labels", "m", "templates/image-renderer-service.yaml"],
      ["imageRenderer.serviceMonitor.interval", "snb", "templates/image-renderer-servicemonitor.yaml"],
      ["imageRenderer.serviceMonitor.namespace", "snb", "templates/image-renderer-servicemonitor.yaml"],
      ["imageRenderer.serviceMonitor.scrapeTimeout", "snb", "templates/image-renderer-servicemonitor.yaml"],
      ["ingress.ingressClassName", "snb", "templates/ingress.yaml"],
      ["labels", "m", "templates/deployment.yaml"],
      ["nameOverride", "snb", "templates/_helpers.tpl"],
      ["persistence.annotations", "m", "templates/pvc.yaml"],
      ["persistence.existingClaim", "snb", "templates/_pod.tpl"],
      ["persistence.inMemory.sizeLimit", "snb", "templates/_pod.tpl"],
      ["persistence.selectorLabels", "m", "templates/pvc.yaml"],
      ["persistence.storageClassName", "snb", "templates/pvc.yaml"],
      ["persistence.subPath", "snb", "templates/_pod.tpl"],
      ["podAnnotations", "m", "templates/deployment.yaml"],
      ["podLabels", "m", "templates/deployment.yaml"],
      ["priorityClassName", "snb", "templates/_pod.tpl"],
      ["rbac.useExistingClusterRole", "snb", "templates/clusterrole.yaml"],
      ["rbac.useExistingRole", "snb", "templates/role.yaml"],
      ["schedulerName", "snb", "templates/_pod.tpl"],
      ["service.clusterIP", "snb", "templates/service.yaml"],
      ["service.externalIPs", "l", "templates/service.yaml"],
      ["service.externalTrafficPolicy", "snb", "templates/service.yaml"],
      ["service.nodePort", "sn", "templates/service.yaml"],
      ["serviceAccount.annotations", "m", "templates/serviceaccount.yaml"],
      ["serviceMonitor.interval", "snb", "templates/servicemonitor.yaml"],
      ["serviceMonitor.namespace", "snb", "templates/servicemonitor.yaml"],
      ["serviceMonitor.scrapeTimeout", "snb", "templates/servicemonitor.yaml"],
      ["sidecar.dashboards.provider.updateIntervalSeconds", "sn", "templates/_config.tpl"],
      ["sidecar.logLevel", "snb", "templates/_pod.tpl"],
      ["sidecar.skipTlsVerify", "b", "templates/_pod.tpl"],
      // Per-resource overrides of the sidecar containers; the _pod.tpl env blocks quote the numbers.
      ...["alerts", "dashboards", "datasources", "notifiers", "plugins"].flatMap((r) => [
        [`sidecar.${r}.ignoreAlreadyProcessed`, "b", "templates/_pod.tpl"],
        [`sidecar.${r}.logLevel`, "snb", "templates/_pod.tpl"],
        [`sidecar.${r}.maxConnectRetries`, "sn", "templates/_pod.tpl"],
        [`sidecar.${r}.maxReadRetries`, "sn", "templates/_pod.tpl"],
        [`sidecar.${r}.maxTotalRetries`, "sn", "templates/_pod.tpl"],
        [`sidecar.${r}.skipTlsVerify`, "b", "templates/_pod.tpl"],
        [`sidecar.${r}.watchClientTimeout`, "sn", "templates/_pod.tpl"],
        [`sidecar.${r}.watchServerTimeout`, "sn", "templates/_pod.tpl"],
        ...(r === "plugins" ? [] : [
          [`sidecar.${r}.restartPolicy`, "snb", "templates/_pod.tpl"],
          [`sidecar.${r}.startupProbe`, "m", "templates/_pod.tpl"],
        ]),
      ]),
      ["testFramework.hookType", "snb", "templates/tests/test-configmap.yaml"],
    ],
  },
  {
    chart: "kube-prometheus-stack", templates: "kube-state-metrics", prefix: "kube-state-metrics",
    why: "optional setting of the kube-state-metrics chart (prometheus.monitor.* are the fallbacks of monitor.http.*/metrics.*)",
    rows: [
      ["networkPolicy.egress", "l", "templates/networkpolicy.yaml"],
      ["networkPolicy.ingress", "l", "templates/networkpolicy.yaml"],
      ["networkPolicy.podSelector", "m", "templates/networkpolicy.yaml"],
      ["priorityClassName", "snb", "templates/deployment.yaml"],
      ["prometheus.monitor.bearerTokenFile", "snb", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.bearerTokenSecret", "m", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.enableHttp2", "b", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.honorLabels", "b", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.interval", "snb", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.metricRelabelings", "l", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.proxyUrl", "snb", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.relabelings", "l", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.scheme", "snb", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.scrapeTimeout", "snb", "templates/servicemonitor.yaml"],
      ["prometheus.monitor.tlsConfig", "m", "templates/servicemonitor.yaml"],
      ["rbac.useExistingRole", "snb", "templates/clusterrolebinding.yaml"],
      ["selfMonitor.telemetryHost", "snb", "templates/deployment.yaml"],
      ["selfMonitor.telemetryNodePort", "sn", "templates/service.yaml"],
      ["selfMonitor.telemetryPort", "n", "templates/deployment.yaml"],
      ["updateStrategy", "snb", "templates/deployment.yaml"],
      ["verticalPodAutoscaler.controlledValues", "snb", "templates/verticalpodautoscaler.yaml"],
      ["verticalPodAutoscaler.recommenders", "l", "templates/verticalpodautoscaler.yaml"],
      ["verticalPodAutoscaler.updatePolicy", "m", "templates/verticalpodautoscaler.yaml"],
    ],
  },
  {
    chart: "kube-prometheus-stack", templates: "prometheus-node-exporter", prefix: "prometheus-node-exporter",
    why: "optional setting of the prometheus-node-exporter chart, not in its values.yaml",
    rows: [
      ["image.sha", "snb", "templates/_helpers.tpl"],
      ["networkPolicy.ingress", "l", "templates/networkpolicy.yaml"],
      ["priorityClassName", "snb", "templates/daemonset.yaml"],
      ["rbac.useExistingRole", "snb", "templates/clusterrolebinding.yaml"],
      ["verticalPodAutoscaler.controlledValues", "snb", "templates/verticalpodautoscaler.yaml"],
      ["verticalPodAutoscaler.recommenders", "l", "templates/verticalpodautoscaler.yaml"],
      ["verticalPodAutoscaler.updatePolicy", "m", "templates/verticalpodautoscaler.yaml"],
    ],
  },
  {
    chart: "loki", templates: "loki",
    why: "optional setting the template reads (loki.* pod settings are the last fallback after the component's and defaults.*)",
    rows: [
      ["annotations", "m", "templates/backend/clusterrole.yaml"],
      ["backend.service.publishNotReadyAddresses", "b", "templates/backend/query-scheduler-discovery.yaml"],
      ["defaults.resources", "m", "templates/_pod.tpl"],
      ["global.podAnnotations", "m", "templates/memcached/_memcached-statefulset.tpl"],
      ["loki.command", "l", "templates/_pod.tpl"],
      ["loki.hostAliases", "l", "templates/_pod.tpl"],
      ["loki.hostUsers", "b", "templates/_pod.tpl"],
      ["loki.nodeSelector", "m", "templates/_pod.tpl"],
      ["loki.priorityClassName", "snb", "templates/_pod.tpl"],
      ["loki.resources", "m", "templates/_pod.tpl"],
      ["loki.storage.alibabacloud", "m", "templates/_helpers.tpl"],
      ["loki.storage.bos", "m", "templates/_helpers.tpl"],
      ["loki.storage.cos", "m", "templates/_helpers.tpl"],
      // A commented example in values.yaml; `required` (via `dig`) once storage is an object store.
      ["loki.storage.bucketNames", "m", "templates/_helpers.tpl"],
      ["loki.terminationGracePeriodSeconds", "n", "templates/_pod.tpl"],
      ["loki.tolerations", "l", "templates/_pod.tpl"],
      ["memberlist.service.name", "snb", "templates/_helpers.tpl"],
      ["networkPolicy.egressKubeApiserver", "m", "templates/ciliumnetworkpolicy.yaml"],
      ["networkPolicy.egressWorld", "m", "templates/ciliumnetworkpolicy.yaml"],
      ["networkPolicy.flavor", "snb", "templates/ciliumnetworkpolicy.yaml"],
      ["rbac.useExistingRole", "snb", "templates/backend/clusterrole.yaml"],
      ["read.legacyReadTarget", "b", "templates/backend/serviceaccount.yaml"],
      ["serviceMonitor", "m", "templates/table-manager/servicemonitor.yaml"],
      ["sidecar.rules.sizeLimit", "snb", "templates/_pod.tpl"],
    ],
  },
  {
    chart: "alloy", templates: "alloy",
    why: "optional setting the template reads (`agent` is the deprecated name of `alloy`, merged over it)",
    rows: [
      ["agent", "m", "templates/_config.tpl"],
      ["enableStatefulSetAutoDeletePVC", "b", "templates/controllers/statefulset.yaml"],
      ["ingress.ingressClassName", "snb", "templates/ingress.yaml"],
    ],
  },
];

/** ALLOWED_ROWS, one entry per path: {chart, path, kinds, template, why}. */
export const ALLOWED = ALLOWED_ROWS.flatMap((group) => group.rows.map(([path, kinds, template]) => ({
  chart: group.chart,
  path: [...(group.prefix === undefined ? [] : [group.prefix]), ...path.split(".")],
  kinds,
  template: `${group.templates}: ${template}`,
  why: group.why,
})));

/** The kind letter of a YAML scalar or collection. */
function kindOf(value) {
  if (Array.isArray(value)) return "l";
  if (value !== null && typeof value === "object") return "m";
  if (typeof value === "string") return "s";
  if (typeof value === "number") return "n";
  if (typeof value === "boolean") return "b";
  return "*";
}

/**
 * The node for a default value:
 * - null: any value (the chart documents the key but gives no default to learn a kind from);
 * - a string: any scalar, since templates interpolate strings into YAML text and a number or boolean renders as well
 *   (only a map or a list breaks them);
 * - a number: a number (a quoted number breaks the templates' arithmetic and comparisons, `gt`, `eq`, `add`), or also
 *   a string for the Kubernetes IntOrString fields of INT_OR_STRING_KEY;
 * - a boolean: a boolean (the string "false" is true in a template `if`);
 * - `{}` or a map named like a Kubernetes object (KUBERNETES_OBJECT_KEY): a free-form map;
 * - another map: a map with its declared keys;
 * - a list of scalars of one kind: a list of that kind; any other list: a list of anything (lists of maps are
 *   Kubernetes objects or other programs' configuration, whose default elements only sample the fields).
 */
function nodeFromDefault(value, key) {
  switch (kindOf(value)) {
    case "*": return "*";
    case "s": return "snb";
    case "n": return key !== undefined && INT_OR_STRING_KEY.test(key) ? "sn" : "n";
    case "b": return "b";
    case "l": {
      if (value.length === 0) return "l";
      const kinds = new Set(value.map(kindOf));
      if (kinds.size !== 1) return "l";
      const [kind] = kinds;
      return kind === "m" || kind === "l" || kind === "*" ? "l" : [nodeFromDefault(value[0], undefined)];
    }
    default: {
      const keys = Object.keys(value);
      if (keys.length === 0 || (key !== undefined && KUBERNETES_OBJECT_KEY.test(key))) return "m";
      const out = {};
      for (const k of keys) out[k] = nodeFromDefault(value[k], k);
      return out;
    }
  }
}

const SCHEMA_KINDS = { string: "s", integer: "i", number: "n", boolean: "b", object: "m", array: "l" };

/** The leaf letters of a JSON schema `type` (null dropped: null is always accepted), or undefined when untyped. */
function schemaKinds(schema) {
  if (schema === null || typeof schema !== "object") return undefined;
  const types = typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : undefined;
  if (types === undefined) return undefined;
  let letters = "";
  for (const t of types) if (SCHEMA_KINDS[t] !== undefined) letters += SCHEMA_KINDS[t];
  return letters === "" ? "*" : letters;
}

/**
 * Refines a node from values.yaml with the schema at the same path. The schema's type wins for leaves; a declared map
 * stays a map of its declared keys (plus any properties only the schema declares) when the schema allows an object;
 * a free-form map takes the schema's `additionalProperties` type for its entries.
 */
function applySchema(node, schema) {
  if (schema === undefined || schema === null || typeof schema !== "object") return node;
  const kinds = schemaKinds(schema);
  const props = schema.properties !== null && typeof schema.properties === "object" ? schema.properties : {};
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    if (kinds !== undefined && kinds !== "*" && !kinds.includes("m")) return kinds;
    const out = { ...node };
    for (const [k, sub] of Object.entries(props)) out[k] = applySchema(out[k] ?? leafFromSchema(sub), sub);
    return out;
  }
  if (Array.isArray(node)) {
    if (kinds !== undefined && kinds !== "*" && !kinds.includes("l")) return kinds;
    const item = schemaKinds(schema.items);
    return item === undefined || item === "*" || /[ml]/.test(item) ? node : [item];
  }
  if (kinds === undefined) return node;
  if (kinds === "m" && node === "m" && Object.keys(props).length === 0) {
    const ap = schema.additionalProperties;
    const entry = ap !== null && typeof ap === "object" ? schemaKinds(ap) : undefined;
    return entry !== undefined && entry !== "*" ? { "*": entry } : "m";
  }
  // Element types only for lists of scalars: the schema's object items are written from values.yaml's sample element,
  // like the default lists of maps that nodeFromDefault leaves free-form.
  if (kinds === "l" && schema.items !== undefined) {
    const item = schemaKinds(schema.items);
    return item === undefined || item === "*" || /[ml]/.test(item) ? "l" : [item];
  }
  return kinds;
}

/** A node for a schema-only path (no values.yaml default to start from). */
function leafFromSchema(schema) {
  const kinds = schemaKinds(schema);
  const props = schema?.properties;
  if (props !== undefined && props !== null && typeof props === "object" && Object.keys(props).length > 0) return applySchema({}, schema);
  return kinds ?? "*";
}

/** Merges two nodes for the same path (a subchart's own default and the parent chart's override of it). */
function mergeNodes(a, b) {
  const isMap = (n) => n !== null && typeof n === "object" && !Array.isArray(n);
  if (a === "*" || b === "*") return "*";
  if (isMap(a) && isMap(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = Object.hasOwn(out, k) ? mergeNodes(out[k], v) : v;
    return out;
  }
  // A free-form map on either side stays free-form: the subchart renders whatever it is given.
  if (isMap(a) && typeof b === "string" && b.includes("m")) return b;
  if (isMap(b) && typeof a === "string" && a.includes("m")) return a;
  if (typeof a === "string" && typeof b === "string") return [..."sinbml"].filter((c) => a.includes(c) || b.includes(c)).join("");
  return b;
}

function readYaml(path) {
  return parse(readFileSync(path, "utf8"));
}

/** The node at `path`, or undefined. */
function nodeAt(tree, path) {
  let n = tree;
  for (const k of path) {
    if (n === null || typeof n !== "object" || Array.isArray(n) || !Object.hasOwn(n, k)) return undefined;
    n = n[k];
  }
  return n;
}

/** Replaces the node at `path` (whose parents must be declared maps). */
function setNode(tree, path, node, what) {
  let n = tree;
  for (const k of path.slice(0, -1)) {
    n = n[k];
    if (n === null || typeof n !== "object" || Array.isArray(n)) throw new Error(`${what}: ${path.join(".")} is not under a declared map`);
  }
  n[path[path.length - 1]] = node;
}

/** The declared tree of one chart (values.yaml, its schema, its subcharts), before PASS_THROUGH and ALLOWED. */
/** The ids of the charts read from the extra charts directory. */
export const EXTRA_CHART_IDS = CHARTS.filter((c) => c.extra).map((c) => c.id);

export function declaredTree(chartsDir, id) {
  return treeOfDir(chartsDir, CHARTS.find((c) => c.id === id).dir, SUBCHARTS[id]);
}

function treeOfDir(chartsDir, dir, subcharts) {
  let tree = nodeFromDefault(readYaml(join(chartsDir, dir, "values.yaml")), undefined);
  const schemaPath = join(chartsDir, dir, "values.schema.json");
  if (existsSync(schemaPath)) tree = applySchema(tree, JSON.parse(readFileSync(schemaPath, "utf8")));
  for (const sub of subcharts) {
    if (sub.dir === null) {
      tree[sub.key] = "m";
      continue;
    }
    const subTree = treeOfDir(chartsDir, sub.dir, []);
    tree[sub.key] = tree[sub.key] === undefined ? subTree : mergeNodes(subTree, tree[sub.key]);
    // Helm copies the parent's `global` into every subchart's, so the subchart's globals can be set at the top too.
    const subGlobal = subTree.global;
    if (subGlobal !== undefined) tree.global = tree.global === undefined ? subGlobal : mergeNodes(tree.global, subGlobal);
  }
  return tree;
}

/** The tree the checker uses: declared paths, PASS_THROUGH maps made free-form, ALLOWED paths added. */
export function chartTree(chartsDir, id) {
  const tree = declaredTree(chartsDir, id);
  for (const p of PASS_THROUGH.filter((e) => e.chart === id)) {
    if (nodeAt(tree, p.path) === undefined) throw new Error(`PASS_THROUGH ${id} ${p.path.join(".")} is not declared`);
    setNode(tree, p.path, p.kinds, "PASS_THROUGH");
  }
  for (const a of ALLOWED.filter((e) => e.chart === id)) {
    if (nodeAt(tree, a.path) !== undefined) throw new Error(`ALLOWED ${id} ${a.path.join(".")} is declared in values.yaml: drop the entry`);
    setNode(tree, a.path, a.kinds, "ALLOWED");
  }
  return tree;
}

/** JSON with object keys sorted, so the output does not depend on values.yaml's key order. */
function stableJson(node) {
  if (Array.isArray(node)) return `[${node.map(stableJson).join(",")}]`;
  if (node !== null && typeof node === "object") {
    return `{${Object.keys(node).sort().map((k) => `${JSON.stringify(k)}:${stableJson(node[k])}`).join(",")}}`;
  }
  return JSON.stringify(node);
}

/** A single-quoted JavaScript string literal (JSON text is full of double quotes). */
function singleQuoted(text) {
  return `'${text.replace(/[\\'\n\r\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}'`;
}

function chartMeta(chartsDir, dir) {
  const c = readYaml(join(chartsDir, dir, "Chart.yaml"));
  return { name: String(c.name), version: String(c.version), appVersion: String(c.appVersion ?? "") };
}

/** The default extra charts directory: $RIVER_EXTRA_CHARTS, else ../extra-charts beside the repository. */
export function defaultExtraDir() {
  return process.env.RIVER_EXTRA_CHARTS ? resolve(process.env.RIVER_EXTRA_CHARTS) : resolve(REPO, "..", "extra-charts");
}

/** Why the extra charts directory cannot be used (missing chart, wrong version), or undefined when it can. */
export function extraDirProblem(extraDir) {
  for (const [id, source] of Object.entries(EXTRA_CHARTS)) {
    const chartFile = join(extraDir, id, "Chart.yaml");
    if (!existsSync(chartFile) || !existsSync(join(extraDir, id, "values.yaml"))) {
      return `${join(extraDir, id)} has no Chart.yaml and values.yaml (copy them from ${source.repo}@${source.commit} ${source.path}; see scripts/gen-chart-values.mjs)`;
    }
    const version = String(readYaml(chartFile).version);
    if (version !== source.version) return `${chartFile} is version ${version}, river targets ${id} ${source.version} (${source.repo}@${source.commit})`;
  }
  return undefined;
}

/**
 * Generates the module from a ../shared directory and the extra charts directory; returns {filename: text}. With
 * `extraDir` null, the extra charts' entries are left out (the freshness test uses this to check the ../shared charts'
 * lines where the extra charts are not at hand, as in CI).
 */
export function generate(sharedDir, extraDir = defaultExtraDir()) {
  const problem = extraDir === null ? undefined : extraDirProblem(extraDir);
  if (problem !== undefined) throw new Error(`gen-chart-values: ${problem}`);
  const charts = CHARTS.filter((c) => !(c.extra && extraDir === null));
  const dirOf = (c) => (c.extra ? extraDir : join(sharedDir, CHARTS_SUBDIR));
  const lines = [
    "// Code generated by scripts/gen-chart-values.mjs from ../shared/reference/charts and the extra charts directory. DO NOT EDIT.",
    "// Key paths and value kinds only (see the script for the node format and the rules); no chart text or defaults.",
    "",
    'import type { ChartInfo } from "../model.ts";',
    "",
    "/** Name, version and appVersion of each chart (its Chart.yaml), and the versions of its subcharts. */",
    "export const CHART_INFO = {",
  ];
  for (const c of charts) {
    const meta = chartMeta(dirOf(c), c.dir);
    const subcharts = {};
    for (const s of SUBCHARTS[c.id]) if (s.dir !== null) subcharts[s.key] = chartMeta(dirOf(c), s.dir).version;
    lines.push(`  ${JSON.stringify(c.id)}: ${stableJson({ ...meta, subcharts })},`);
  }
  lines.push("} as const satisfies Record<string, ChartInfo>;", "");
  lines.push("/** The values tree of each chart as JSON (a ValuesNode), parsed on first use: JSON.parse loads faster than a literal. */");
  lines.push("export const VALUES_JSON: Readonly<Record<keyof typeof CHART_INFO, string>> = {");
  for (const c of charts) lines.push(`  ${JSON.stringify(c.id)}: ${singleQuoted(stableJson(chartTree(dirOf(c), c.id)))},`);
  lines.push("};", "");
  return { "values.ts": lines.join("\n") };
}

function mainCli(argv) {
  let shared = resolve(REPO, "..", "shared");
  let extra = defaultExtraDir();
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--shared") shared = resolve(argv[++i] ?? "");
    else if (argv[i] === "--extra") extra = resolve(argv[++i] ?? "");
    else if (argv[i] === "--check") check = true;
  }
  const probe = join(shared, CHARTS_SUBDIR, "kube-prometheus-stack", "values.yaml");
  if (!existsSync(probe)) {
    process.stderr.write(`gen-chart-values: ${probe} not found (use --shared DIR)\n`);
    return 2;
  }
  const problem = extraDirProblem(extra);
  if (problem !== undefined) {
    process.stderr.write(`gen-chart-values: ${problem} (use --extra DIR or RIVER_EXTRA_CHARTS)\n`);
    return 2;
  }
  const out = generate(shared, extra);
  let differ = 0;
  mkdirSync(OUT_DIR, { recursive: true });
  for (const [name, text] of Object.entries(out)) {
    const path = join(OUT_DIR, name);
    if (check) {
      const old = existsSync(path) ? readFileSync(path, "utf8") : "";
      if (old !== text) {
        process.stderr.write(`gen-chart-values: ${path} is out of date\n`);
        differ++;
      }
    } else {
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path} (${text.length} bytes)\n`);
    }
  }
  return differ > 0 ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = mainCli(process.argv.slice(2));
}
