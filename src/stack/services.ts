import type { Release } from "./options.ts";

/**
 * The Services each chart creates, as its templates name them (../shared/reference/charts/README.md, "Services created
 * with default values"), so that every URL and backendRef the generator writes is checked against what will exist.
 * Names follow each chart's `fullname` helper: the release name alone when it contains the chart name, otherwise
 * `<release>-<chart>`, truncated to 63 characters (kps truncates its own prefix to 26).
 */
export interface ServicePort {
  readonly service: string;
  readonly port: number;
  readonly portName: string;
  /** The chart template that creates it. */
  readonly template: string;
}

export type ServiceId =
  | "prometheus"
  | "alertmanager"
  | "grafana"
  | "loki"
  | "alloy"
  | "lokiGateway"
  | "thanosQuery"
  | "thanosSidecar";

function fullname(release: string, chart: string, values: Record<string, unknown> | undefined, max = 63): string {
  const override = values?.["fullnameOverride"];
  if (typeof override === "string" && override !== "") return override.slice(0, max).replace(/-+$/, "");
  const nameOverride = values?.["nameOverride"];
  const name = typeof nameOverride === "string" && nameOverride !== "" ? nameOverride : chart;
  const full = release.includes(name) ? release : `${release}-${name}`;
  return full.slice(0, max).replace(/-+$/, "");
}

function at(values: Record<string, unknown> | undefined, ...path: string[]): unknown {
  let v: unknown = values;
  for (const p of path) v = typeof v === "object" && v !== null ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

function port(value: unknown, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

/**
 * The Services of the stack's releases (release name = HelmRelease name: the HelmReleases have no targetNamespace),
 * as the charts' templates derive them from the release name and the final values: the name overrides and the
 * listen ports river's generated URLs depend on.
 */
export function chartServices(
  releases: Readonly<Record<Release, string>>,
  values: Partial<Record<Release, Record<string, unknown>>> = {},
): Readonly<Record<ServiceId, ServicePort>> {
  const kpsValues = values["kube-prometheus-stack"];
  // kube-prometheus-stack.fullname is truncated to 26 characters so that its suffixed names stay short.
  const kps = fullname(releases["kube-prometheus-stack"], "kube-prometheus-stack", kpsValues, 26);
  const grafanaValues = at(kpsValues, "grafana") as Record<string, unknown> | undefined;
  return {
    prometheus: {
      service: `${kps}-prometheus`,
      port: port(at(kpsValues, "prometheus", "service", "port"), 9090),
      portName: "http-web",
      template: "kube-prometheus-stack: templates/prometheus/service.yaml",
    },
    alertmanager: {
      service: `${kps}-alertmanager`,
      port: port(at(kpsValues, "alertmanager", "service", "port"), 9093),
      portName: "http-web",
      template: "kube-prometheus-stack: templates/alertmanager/service.yaml",
    },
    grafana: {
      // The grafana subchart's fullname: <release>-grafana (the release name does not contain "grafana").
      service: fullname(releases["kube-prometheus-stack"], "grafana", grafanaValues),
      port: port(at(grafanaValues, "service", "port"), 80),
      portName: "http-web",
      template: "grafana: templates/service.yaml",
    },
    loki: {
      service: fullname(releases.loki, "loki", values.loki),
      port: port(at(values.loki, "loki", "server", "http_listen_port"), 3100),
      portName: "http-metrics",
      template: "loki: templates/monolithic/service.yaml",
    },
    alloy: {
      service: fullname(releases.alloy, "alloy", values.alloy),
      port: port(at(values.alloy, "alloy", "listenPort"), 12345),
      portName: "http-metrics",
      template: "alloy: templates/service.yaml",
    },
    // The scalable profile's Services (created only when their chart or switch is on).
    lokiGateway: {
      // loki.resourceName of component "gateway": <loki.fullname>-gateway.
      service: `${fullname(releases.loki, "loki", values.loki)}-gateway`,
      port: port(at(values.loki, "gateway", "service", "port"), 80),
      portName: "http",
      template: "loki: templates/gateway/service.yaml",
    },
    thanosQuery: {
      // thanos.query.fullname: <thanos.fullname>-query (stevehipwell/helm-charts charts/thanos).
      service: `${fullname(releases.thanos, "thanos", values.thanos)}-query`,
      port: port(at(values.thanos, "query", "service", "httpPort"), 10902),
      portName: "http",
      template: "thanos: templates/query/service.yaml",
    },
    thanosSidecar: {
      // Headless (clusterIP None by default): one SRV record per Prometheus replica's sidecar.
      service: `${kps}-thanos-discovery`,
      port: port(at(kpsValues, "prometheus", "thanosService", "port"), 10901),
      portName: stringAt(at(kpsValues, "prometheus", "thanosService", "portName"), "grpc"),
      template: "kube-prometheus-stack: templates/prometheus/serviceThanosSidecar.yaml",
    },
  };
}

function stringAt(value: unknown, fallback: string): string {
  return typeof value === "string" && value !== "" ? value : fallback;
}

/**
 * Thanos' DNS service discovery address of a headless Service's named port: one SRV record per ready pod
 * (`dnssrv+_<port name>._tcp.<service>.<namespace>.svc.<cluster domain>`).
 */
export function dnsSrvAddress(s: ServicePort, namespace: string, clusterDomain = "cluster.local"): string {
  return `dnssrv+_${s.portName}._tcp.${s.service}.${namespace}.svc.${clusterDomain}`;
}

/** `http://<service>.<namespace>.svc:<port>` */
export function serviceUrl(s: ServicePort, namespace: string): string {
  return `http://${s.service}.${namespace}.svc:${s.port}`;
}
