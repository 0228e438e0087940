import type { V1ConfigMap, V1Namespace } from "@kubernetes/client-node";
import type { IAlert } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Alert";
import type { IProvider } from "@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Provider";
import type { IKustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import { STACK_SECRET } from "../../secret/stack.ts";
import { mergeDeep, PROFILE_RELEASES, type Release, type StackOptions } from "../options.ts";
import { chartServices, serviceUrl, type ServiceId } from "../services.ts";
import { API, chartSourceObject, helmRelease, httpRoute, kustomization, type KubeObject, type ManifestFile } from "./common.ts";
import { certManagerPodMonitor, certManagerRules, fluxRules, prometheusRule } from "./rules.ts";
import { alloyValues, kubePrometheusStackValues, lokiValues, type PipelineFacts } from "./values.ts";
import { alloyOverlay, kubePrometheusStackOverlay, lokiGatewaySelector, lokiPushService, lokiScalableValues, thanosRules, thanosValues } from "./scalable.ts";

export type { ManifestFile, KubeObject } from "./common.ts";
export type { PipelineFacts } from "./values.ts";

/** Release names: the HelmReleases are named after their charts (stack-facts §0.9: Service names follow them). */
export const RELEASE_NAMES: Readonly<Record<Release, string>> = {
  "kube-prometheus-stack": "kube-prometheus-stack",
  loki: "loki",
  alloy: "alloy",
  thanos: "thanos",
};

/** The file of the SOPS-encrypted Secret, made by `river secret`, never by the generator. */
export const SECRET_FILE = STACK_SECRET.file;

export interface GenerateInput {
  readonly options: StackOptions;
  readonly pipeline: PipelineFacts;
  /** Whether SECRET_FILE exists in the output directory (it is listed in monitoring/kustomization.yaml only then). */
  readonly secretPresent: boolean;
}

export interface GeneratedStack {
  readonly files: ManifestFile[];
  /**
   * The final values of each HelmRelease (generated ∪ the user's extra values), for the chart values check; empty for
   * a release the profile does not install (thanos in the homelab).
   */
  readonly values: Readonly<Record<Release, Record<string, unknown>>>;
  /** The releases the profile installs, in dependency order. */
  readonly releases: readonly Release[];
  /** The URLs and Service references the objects use, for the cross-reference check. */
  readonly serviceRefs: readonly ServiceRef[];
}

/**
 * A place where a generated object names a chart's Service: a URL (`http://svc.ns.svc:port` + `suffix`), an HTTPRoute
 * backendRef (`{name, port}`) or a Thanos DNS SRV address. validate.ts reads the value from the object itself (at
 * `at`, and for a document embedded as text, at `inside` it) and compares it with the Service the chart creates
 * from the final values.
 */
export interface ServiceRef {
  readonly file: string;
  readonly what: string;
  readonly service: ServiceId;
  /** `dnssrv`: Thanos' DNS SRV discovery address of the Service's named port (`dnssrv+_<port>._tcp.<svc>…`). */
  readonly form: "url" | "backendRef" | "dnssrv";
  /** Path of the value in the file's object. */
  readonly at: readonly (string | number)[];
  /** When the value at `at` is YAML text (a datasource provisioning file): the path inside it. */
  readonly inside?: readonly (string | number)[];
  readonly suffix?: string;
}

/**
 * The whole stack, as the design lays it out (one object per file):
 *
 *   kustomization.yaml          monitoring, loki, alloy, flux-system
 *   monitoring/                 namespace, kube-prometheus-stack source + HelmRelease, secret.enc.yaml
 *   monitoring/configs/         HTTPRoutes (Grafana, Prometheus, Alertmanager), PrometheusRules, cert-manager PodMonitor
 *   loki/                       Loki source + HelmRelease, Grafana datasource ConfigMap
 *   alloy/                      Alloy source + HelmRelease (the pipeline embedded)
 *   alloy/configs/              HTTPRoute for the Alloy UI
 *   configs/kustomization.yaml  the two configs/ folders: applied by the Flux Kustomization monitoring-configs
 *   flux-system/                notification Provider and Alert, the Flux Kustomization monitoring-configs
 *
 * Objects of kinds whose CRDs the charts install (PrometheusRule, PodMonitor) or that need the Gateway API CRDs
 * (HTTPRoute) are applied by a separate Flux Kustomization that depends on the one applying the HelmReleases: in one
 * kustomization, the server-side dry run would reject them before their CRDs exist (stack-facts §0.11).
 */
export function generateStack(input: GenerateInput): GeneratedStack {
  const { options } = input;
  const ns = options.namespace;
  // The user's extra values may rename a chart's Services or move their ports: every URL follows them.
  const services = chartServices(RELEASE_NAMES, options.values as Partial<Record<Release, Record<string, unknown>>>);
  const kps = RELEASE_NAMES["kube-prometheus-stack"];
  const serviceRefs: ServiceRef[] = [];
  const files: ManifestFile[] = [];
  const add = (path: string, object: KubeObject, notes?: string[]) => files.push({ path, object, ...(notes ? { notes } : {}) });

  const scalable = options.profile === "scalable";
  const overlay = (base: Record<string, unknown>, over: Record<string, unknown>) => (scalable ? (mergeDeep(base, over) as Record<string, unknown>) : base);
  const values: Record<Release, Record<string, unknown>> = {
    "kube-prometheus-stack": withExtra(overlay(kubePrometheusStackValues(options), kubePrometheusStackOverlay(options, services.thanosQuery)), options, "kube-prometheus-stack"),
    loki: withExtra(scalable ? lokiScalableValues(options) : lokiValues(options), options, "loki"),
    alloy: withExtra(overlay(alloyValues(options, input.pipeline), alloyOverlay(input.pipeline.river)), options, "alloy"),
    thanos: scalable ? withExtra(thanosValues(options, services.thanosSidecar, kps), options, "thanos") : {},
  };

  // monitoring/
  add("monitoring/namespace.yaml", { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } } satisfies V1Namespace);
  // Each release's chart source, written in its directory; releases whose charts come from the same repository share
  // the first one's object (two objects of one name would collide in kustomize).
  const sources = new Map<string, string>();
  const sourceFiles = (release: Release, dir: string): string[] => {
    const object = chartSourceObject(release, options);
    const id = `${object.kind}/${object.metadata?.name}`;
    const url = options.charts[release].url;
    if (sources.get(id) === url) return [];
    sources.set(id, url);
    const file = object.kind === "OCIRepository" ? "ocirepository.yaml" : "helmrepository.yaml";
    add(`${dir}/${file}`, object);
    return [file];
  };
  const kpsSource = sourceFiles("kube-prometheus-stack", "monitoring");
  add(
    "monitoring/helmrelease.yaml",
    helmRelease(
      {
        release: "kube-prometheus-stack",
        crds: true,
        // The operator annotates the PrometheusRules it validated; that is not drift.
        driftIgnore: [{ paths: ["/metadata/annotations/prometheus-operator-validated"], target: { kind: "PrometheusRule" } }],
        values: values["kube-prometheus-stack"],
      },
      options,
    ),
  );
  const monitoringResources = ["namespace.yaml", ...kpsSource, "helmrelease.yaml"];
  if (input.secretPresent) monitoringResources.push("secret.enc.yaml");
  add("monitoring/kustomization.yaml", kustomization(monitoringResources));

  // monitoring/configs/
  const monitoringConfigs: string[] = [];
  for (const ui of ["grafana", "prometheus", "alertmanager"] as const) {
    const file = `httproute-${ui}.yaml`;
    add(`monitoring/configs/${file}`, httpRoute(ui, options.hostnames[ui], services[ui], options));
    serviceRefs.push(backendRef(`monitoring/configs/${file}`, ui));
    monitoringConfigs.push(file);
  }
  add("monitoring/configs/prometheusrule-flux.yaml", prometheusRule("flux", fluxRules(), options, kps));
  monitoringConfigs.push("prometheusrule-flux.yaml");
  if (scalable) {
    add("monitoring/configs/prometheusrule-thanos.yaml", prometheusRule("thanos", thanosRules(), options, kps));
    monitoringConfigs.push("prometheusrule-thanos.yaml");
  }
  if (options.certManager.enabled) {
    add("monitoring/configs/prometheusrule-cert-manager.yaml", prometheusRule("cert-manager", certManagerRules(), options, kps));
    add("monitoring/configs/podmonitor-cert-manager.yaml", certManagerPodMonitor(options, kps));
    monitoringConfigs.push("prometheusrule-cert-manager.yaml", "podmonitor-cert-manager.yaml");
  }
  add("monitoring/configs/kustomization.yaml", kustomization(monitoringConfigs));

  // loki/
  const lokiSource = sourceFiles("loki", "loki");
  add("loki/helmrelease.yaml", helmRelease({ release: "loki", dependsOn: [kps], values: values.loki }, options));
  // Grafana queries Loki where the chart serves it: the Service of the single binary, or the gateway.
  const lokiQueryService: ServiceId = scalable ? "lokiGateway" : "loki";
  const lokiUrl = serviceUrl(services[lokiQueryService], ns);
  add("loki/grafana-datasource.yaml", lokiDatasource(options, lokiUrl, values["kube-prometheus-stack"]));
  const lokiResources = [...lokiSource, "helmrelease.yaml", "grafana-datasource.yaml"];
  if (scalable) {
    add(
      "loki/service-loki.yaml",
      lokiPushService(options, services.loki, lokiGatewaySelector(RELEASE_NAMES.loki, options.values.loki as Record<string, unknown> | undefined)),
      [
        "The homelab's push address (Service loki, port 3100) in front of the loki chart's gateway, which sends pushes",
        "to the write replicas: the pipeline's loki.write works unchanged in both profiles.",
      ],
    );
    lokiResources.push("service-loki.yaml");
  }
  add("loki/kustomization.yaml", kustomization(lokiResources));

  // thanos/ (scalable): Query, Store Gateway and Compact over the bucket the Prometheus sidecars upload to.
  if (scalable) {
    const thanosSource = sourceFiles("thanos", "thanos");
    // After kube-prometheus-stack: its ServiceMonitors need the operator's CRDs.
    add("thanos/helmrelease.yaml", helmRelease({ release: "thanos", dependsOn: [kps], values: values.thanos }, options));
    add("thanos/kustomization.yaml", kustomization([...thanosSource, "helmrelease.yaml"]));
  }

  // alloy/
  const alloySource = sourceFiles("alloy", "alloy");
  add("alloy/helmrelease.yaml", helmRelease({ release: "alloy", dependsOn: [RELEASE_NAMES.loki], values: values.alloy }, options));
  add("alloy/kustomization.yaml", kustomization([...alloySource, "helmrelease.yaml"]));
  add("alloy/configs/httproute-alloy.yaml", httpRoute("alloy", options.hostnames.alloy, services.alloy, options));
  serviceRefs.push(backendRef("alloy/configs/httproute-alloy.yaml", "alloy"));
  add("alloy/configs/kustomization.yaml", kustomization(["httproute-alloy.yaml"]));

  // flux-system/
  const alertmanagerApi = `${serviceUrl(services.alertmanager, ns)}/api/v2/alerts/`;
  add("flux-system/provider-alertmanager.yaml", {
    apiVersion: API.notification,
    kind: "Provider",
    metadata: { name: "alertmanager", namespace: "flux-system" },
    spec: { type: "alertmanager", address: alertmanagerApi },
  } satisfies IProvider);
  add("flux-system/alert-flux-errors.yaml", fluxAlert(options));
  add(
    "flux-system/kustomization-monitoring-configs.yaml",
    {
      apiVersion: API.fluxKustomization,
      kind: "Kustomization",
      metadata: { name: "monitoring-configs", namespace: "flux-system" },
      spec: {
        dependsOn: [{ name: options.flux.kustomization }],
        interval: "1h",
        retryInterval: "2m",
        timeout: "5m",
        prune: true,
        wait: true,
        sourceRef: { kind: options.flux.sourceRef.kind, name: options.flux.sourceRef.name },
        path: `${options.flux.path.replace(/\/+$/, "")}/configs`,
      },
    } satisfies IKustomization,
    [
      `Applies configs/ once the Flux Kustomization "${options.flux.kustomization}" (which applies this directory and`,
      "installs the charts and their CRDs) is ready. Give that Kustomization a healthCheck on the HelmRelease",
      `${options.namespace}/kube-prometheus-stack (so it is ready only once the CRDs are installed), and not \`wait: true\`:`,
      "waiting on everything it applies would include this Kustomization, and each would wait for the other.",
    ],
  );
  add("flux-system/kustomization.yaml", kustomization(["provider-alertmanager.yaml", "alert-flux-errors.yaml", "kustomization-monitoring-configs.yaml"]));

  // The roots.
  add("configs/kustomization.yaml", kustomization(["../monitoring/configs", "../alloy/configs"]));
  add("kustomization.yaml", kustomization(scalable ? ["monitoring", "loki", "thanos", "alloy", "flux-system"] : ["monitoring", "loki", "alloy", "flux-system"]));

  if (scalable) {
    serviceRefs.push(
      {
        file: "monitoring/helmrelease.yaml",
        what: "Grafana's Prometheus datasource (grafana.sidecar.datasources.url)",
        service: "thanosQuery",
        form: "url",
        at: ["spec", "values", "grafana", "sidecar", "datasources", "url"],
        suffix: "/",
      },
      {
        file: "thanos/helmrelease.yaml",
        what: "Thanos Query's endpoint for the Prometheus sidecars (additionalEndpoints)",
        service: "thanosSidecar",
        form: "dnssrv",
        at: ["spec", "values", "additionalEndpoints", 0],
      },
    );
  }
  serviceRefs.push(
    {
      file: "loki/grafana-datasource.yaml",
      what: "the Loki datasource URL",
      service: lokiQueryService,
      form: "url",
      at: ["data", "loki-datasource.yaml"],
      inside: ["datasources", 0, "url"],
    },
    { file: "flux-system/provider-alertmanager.yaml", what: "the Provider address", service: "alertmanager", form: "url", at: ["spec", "address"], suffix: "/api/v2/alerts/" },
  );
  const releases = PROFILE_RELEASES[options.profile];
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), values, releases, serviceRefs };
}

function backendRef(file: string, service: ServiceId): ServiceRef {
  return { file, what: "the HTTPRoute backendRef", service, form: "backendRef", at: ["spec", "rules", 0, "backendRefs", 0] };
}

function withExtra(generated: Record<string, unknown>, options: StackOptions, release: Release): Record<string, unknown> {
  const extra = options.values[release];
  return extra === undefined ? generated : (mergeDeep(generated, extra) as Record<string, unknown>);
}

/** The Loki datasource for Grafana's sidecar: labelled as the kps values tell the sidecar to look (label, value). */
function lokiDatasource(options: StackOptions, url: string, kpsValues: Record<string, unknown>): KubeObject {
  const sidecar = ((kpsValues["grafana"] as Record<string, unknown> | undefined)?.["sidecar"] as Record<string, unknown> | undefined)?.["datasources"] as
    | { label?: string; labelValue?: string }
    | undefined;
  const label = sidecar?.label ?? "grafana_datasource";
  const labelValue = sidecar?.labelValue ?? "1";
  const datasource = [
    "apiVersion: 1",
    "datasources:",
    "  - name: Loki",
    "    type: loki",
    "    uid: loki",
    "    access: proxy",
    `    url: ${url}`,
    "    jsonData:",
    "      maxLines: 1000",
    "",
  ].join("\n");
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "loki-datasource", namespace: options.namespace, labels: { [label]: labelValue } },
    data: { "loki-datasource.yaml": datasource },
  } satisfies V1ConfigMap;
}

/**
 * Error events of every Flux object the stack depends on, to Alertmanager: sources and Kustomizations in flux-system,
 * and the stack's own HelmReleases, chart sources and HelmCharts in its namespace (an event source's namespace has no
 * wildcard and defaults to the Alert's own).
 */
function fluxAlert(options: StackOptions): KubeObject {
  const inFlux = ["GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "Kustomization"] as const;
  const inStack = ["HelmRelease", "OCIRepository", "HelmRepository", "HelmChart"] as const;
  return {
    apiVersion: API.notification,
    kind: "Alert",
    metadata: { name: "flux-errors", namespace: "flux-system" },
    spec: {
      providerRef: { name: "alertmanager" },
      eventSeverity: "error",
      eventMetadata: { cluster: options.flux.cluster },
      eventSources: [
        ...inFlux.map((kind) => ({ kind, name: "*" })),
        ...inStack.map((kind) => ({ kind, name: "*", namespace: options.namespace })),
      ],
    },
  } satisfies IAlert;
}
