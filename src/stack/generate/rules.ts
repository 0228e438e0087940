import type { IPodMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { StackOptions } from "../options.ts";
import { API, type KubeObject } from "./common.ts";

/**
 * The stack's own alerting rules (the design's "Custom PrometheusRules"), each a PrometheusRule whose `spec` has the
 * layout of a Prometheus rule file (so `promtool check rules` and `promtool test rules` run on it; test/stack/promtool
 * holds the unit tests). kube-prometheus-stack's Prometheus selects rules by the label `release: <kps release>`.
 */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly {
    readonly alert: string;
    readonly expr: string;
    readonly for: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly annotations: Readonly<Record<string, string>>;
  }[];
}

/** The metric names of the Flux object states, as kube-state-metrics' custom resource state exports them. */
export const FLUX_METRIC_PREFIX = "gotk";
export const FLUX_RESOURCE_METRIC = "resource_info";

export function fluxRules(): RuleGroup {
  return {
    name: "flux",
    rules: [
      {
        alert: "FluxReconciliationFailure",
        // gotk_reconcile_condition is gone since Flux 2.1; this is its replacement (stack-facts §4). `suspended!="true"`
        // also matches objects without spec.suspend.
        expr: `max by (customresource_kind, exported_namespace, name) (${FLUX_METRIC_PREFIX}_${FLUX_RESOURCE_METRIC}{ready="False", suspended!="true"}) > 0`,
        for: "5m",
        labels: { severity: "warning" },
        annotations: {
          summary: "{{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} is not ready",
          description:
            "The Flux {{ $labels.customresource_kind }} {{ $labels.exported_namespace }}/{{ $labels.name }} has not been Ready for 5 minutes. Run `flux get all -A` to see why.",
        },
      },
    ],
  };
}

export function certManagerRules(): RuleGroup {
  return {
    name: "cert-manager",
    rules: [
      {
        alert: "CertManagerCertExpirySoon",
        expr: "(certmanager_certificate_expiration_timestamp_seconds - time()) < 7 * 24 * 3600",
        for: "1h",
        labels: { severity: "warning" },
        annotations: {
          summary: "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in less than 7 days",
          description:
            "Certificate {{ $labels.namespace }}/{{ $labels.name }} expires in {{ $value | humanizeDuration }} and has not been renewed. Check `kubectl describe certificate -n {{ $labels.namespace }} {{ $labels.name }}`.",
        },
      },
    ],
  };
}

export function prometheusRule(name: string, group: RuleGroup, options: StackOptions, kpsRelease: string): KubeObject {
  return {
    apiVersion: API.monitoring,
    kind: "PrometheusRule",
    metadata: { name, namespace: options.namespace, labels: { release: kpsRelease } },
    spec: { groups: [{ name: group.name, rules: group.rules.map((r) => ({ ...r, labels: { ...r.labels }, annotations: { ...r.annotations } })) }] },
  } satisfies IPrometheusRule;
}

/**
 * A PodMonitor for cert-manager's controller (its chart creates a monitor only when asked), so that the certificate
 * expiry metric the rule needs is scraped; labelled for kube-prometheus-stack's selector. It selects the pods' port
 * `http-metrics` (9402), the name the controller's container port has had for years; the chart's Service port was
 * renamed in cert-manager 1.21 (tcp-prometheus-servicemonitor → http-metrics), so a ServiceMonitor would depend on
 * the version.
 */
export function certManagerPodMonitor(options: StackOptions, kpsRelease: string): KubeObject {
  return {
    apiVersion: API.monitoring,
    kind: "PodMonitor",
    metadata: { name: "cert-manager", namespace: options.namespace, labels: { release: kpsRelease } },
    spec: {
      namespaceSelector: { matchNames: [options.certManager.namespace] },
      selector: {
        matchLabels: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" },
      },
      podMetricsEndpoints: [{ port: "http-metrics", path: "/metrics", interval: options.scrapeInterval }],
    },
  } satisfies IPodMonitor;
}

/** Flux's kinds, their API group/version and a few labels worth having, for kube-state-metrics' custom resource state. */
const FLUX_KINDS: readonly { group: string; version: string; kind: string; resource: string; labels?: Record<string, string[]> }[] = [
  { group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization", resource: "kustomizations", labels: { revision: ["status", "lastAppliedRevision"], source_name: ["spec", "sourceRef", "name"] } },
  { group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease", resource: "helmreleases", labels: { chart_ref_name: ["spec", "chartRef", "name"], chart_source_name: ["spec", "chart", "spec", "sourceRef", "name"] } },
  { group: "source.toolkit.fluxcd.io", version: "v1", kind: "GitRepository", resource: "gitrepositories", labels: { url: ["spec", "url"], revision: ["status", "artifact", "revision"] } },
  { group: "source.toolkit.fluxcd.io", version: "v1", kind: "OCIRepository", resource: "ocirepositories", labels: { url: ["spec", "url"], revision: ["status", "artifact", "revision"] } },
  { group: "source.toolkit.fluxcd.io", version: "v1", kind: "HelmRepository", resource: "helmrepositories", labels: { url: ["spec", "url"] } },
  { group: "source.toolkit.fluxcd.io", version: "v1", kind: "HelmChart", resource: "helmcharts", labels: { chart_name: ["spec", "chart"], chart_version: ["status", "artifact", "revision"] } },
  { group: "source.toolkit.fluxcd.io", version: "v1", kind: "Bucket", resource: "buckets", labels: { url: ["spec", "endpoint"] } },
  { group: "notification.toolkit.fluxcd.io", version: "v1beta3", kind: "Alert", resource: "alerts" },
  { group: "notification.toolkit.fluxcd.io", version: "v1beta3", kind: "Provider", resource: "providers" },
  { group: "notification.toolkit.fluxcd.io", version: "v1", kind: "Receiver", resource: "receivers" },
];

/**
 * kube-state-metrics values that export `gotk_resource_info{ready, suspended, ...}` for every Flux object, keeping
 * KSM's default collectors (so the chart's kube_* metrics and the rules built on them stay): the replacement for
 * the removed `gotk_reconcile_condition` (stack-facts §4).
 */
export function kubeStateMetricsFluxValues(): Record<string, unknown> {
  const groups = [...new Set(FLUX_KINDS.map((k) => k.group))];
  return {
    rbac: {
      extraRules: [{ apiGroups: groups, resources: FLUX_KINDS.map((k) => k.resource), verbs: ["list", "watch"] }],
    },
    customResourceState: {
      enabled: true,
      config: {
        spec: {
          resources: FLUX_KINDS.map((k) => ({
            groupVersionKind: { group: k.group, version: k.version, kind: k.kind },
            metricNamePrefix: FLUX_METRIC_PREFIX,
            metrics: [
              {
                name: FLUX_RESOURCE_METRIC,
                help: `The current state of a Flux ${k.kind} resource.`,
                each: { type: "Info", info: { labelsFromPath: { name: ["metadata", "name"] } } },
                labelsFromPath: {
                  exported_namespace: ["metadata", "namespace"],
                  ready: ["status", "conditions", "[type=Ready]", "status"],
                  suspended: ["spec", "suspend"],
                  ...k.labels,
                },
              },
            ],
          })),
        },
      },
    },
  };
}
