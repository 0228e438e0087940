import type { IHelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease";
import type { IHelmRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository";
import type { IOCIRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository";
import type { IHTTPRoute } from "@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute";
import type { ChartSource, Release, StackOptions } from "../options.ts";
import type { ServicePort } from "../services.ts";

/**
 * One generated file: a Kubernetes object (or a kustomize Kustomization) at a path relative to the output directory.
 * Objects are plain data built in a fixed key order, so that YAML output is stable; their shapes are the typed models'
 * (checked by validate.ts against @kubernetes-models schemas before anything is written).
 */
export interface ManifestFile {
  readonly path: string;
  readonly object: KubeObject;
  /** Lines of explanation written under the generated-file header (without `# `). */
  readonly notes?: readonly string[];
}

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [key: string]: unknown;
}

export const API = {
  helmRelease: "helm.toolkit.fluxcd.io/v2",
  source: "source.toolkit.fluxcd.io/v1",
  notification: "notification.toolkit.fluxcd.io/v1beta3",
  fluxKustomization: "kustomize.toolkit.fluxcd.io/v1",
  kustomize: "kustomize.config.k8s.io/v1beta1",
  monitoring: "monitoring.coreos.com/v1",
  gateway: "gateway.networking.k8s.io/v1",
} as const;

export function isOci(source: ChartSource): boolean {
  return source.url.startsWith("oci://");
}

/** Name of the source object of a release: the chart for an OCIRepository, the repository's host-derived name otherwise. */
export function sourceName(release: Release, source: ChartSource): string {
  if (isOci(source)) return release;
  const host = new URL(source.url).hostname.split(".")[0] ?? "charts";
  return host.replace(/[^a-z0-9-]/g, "-");
}

/** The OCIRepository or HelmRepository a release's chart comes from, in the stack's namespace. */
export function chartSourceObject(release: Release, options: StackOptions): KubeObject {
  const source = options.charts[release];
  const metadata = { name: sourceName(release, source), namespace: options.namespace };
  if (isOci(source)) {
    return {
      apiVersion: API.source,
      kind: "OCIRepository",
      metadata,
      spec: {
        interval: "12h",
        url: source.url,
        ref: { semver: source.version },
        // Only the chart tarball layer: Flux's recommended setting for Helm charts in OCI registries.
        layerSelector: { mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", operation: "copy" },
      },
    } satisfies IOCIRepository;
  }
  return { apiVersion: API.source, kind: "HelmRepository", metadata, spec: { interval: "12h", url: source.url } } satisfies IHelmRepository;
}

export interface HelmReleaseSpec {
  readonly release: Release;
  readonly dependsOn?: readonly string[];
  readonly values: Record<string, unknown>;
  readonly crds?: boolean;
  readonly driftIgnore?: readonly { readonly paths: readonly string[]; readonly target: { readonly kind: string } }[];
}

/** A HelmRelease in the stack's namespace, without targetNamespace, so the Helm release name is the object's name. */
export function helmRelease(spec: HelmReleaseSpec, options: StackOptions): KubeObject {
  const source = options.charts[spec.release];
  const strategy = { name: "RetryOnFailure" as const, retryInterval: "5m" };
  const chart = isOci(source)
    ? { chartRef: { kind: "OCIRepository" as const, name: sourceName(spec.release, source) } }
    : {
        chart: {
          spec: {
            // Each release is named after its chart.
            chart: spec.release,
            version: source.version,
            sourceRef: { kind: "HelmRepository" as const, name: sourceName(spec.release, source) },
            interval: "12h",
          },
        },
      };
  return {
    apiVersion: API.helmRelease,
    kind: "HelmRelease",
    metadata: { name: spec.release, namespace: options.namespace },
    spec: {
      interval: "30m",
      ...chart,
      ...(spec.dependsOn && spec.dependsOn.length > 0 ? { dependsOn: spec.dependsOn.map((name) => ({ name })) } : {}),
      // CRDs are created and, unlike Helm's default, upgraded with the chart (kps ships the operator's CRDs).
      install: { ...(spec.crds ? { crds: "CreateReplace" as const } : {}), strategy },
      upgrade: { ...(spec.crds ? { crds: "CreateReplace" as const } : {}), strategy },
      driftDetection: { mode: "enabled" as const, ...(spec.driftIgnore ? { ignore: spec.driftIgnore.map((d) => ({ paths: [...d.paths], target: { ...d.target } })) } : {}) },
      values: spec.values,
    },
  } satisfies IHelmRelease;
}

/** An HTTPRoute for one UI: https://<hostname>/ to a chart's Service, attached to the configured Gateway. */
export function httpRoute(name: string, hostname: string, backend: ServicePort, options: StackOptions): KubeObject {
  const g = options.gateway;
  return {
    apiVersion: API.gateway,
    kind: "HTTPRoute",
    metadata: { name, namespace: options.namespace },
    spec: {
      parentRefs: [{ name: g.name, namespace: g.namespace, ...(g.sectionName ? { sectionName: g.sectionName } : {}) }],
      hostnames: [hostname],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: "/" } }], backendRefs: [{ name: backend.service, port: backend.port }] }],
    },
  } satisfies IHTTPRoute;
}

/** A kustomize kustomization.yaml listing `resources` (files and directories, in the order given). */
export function kustomization(resources: readonly string[], namespace?: string): KubeObject {
  return {
    apiVersion: API.kustomize,
    kind: "Kustomization",
    ...(namespace ? { namespace } : {}),
    resources: [...resources],
  };
}

/** Memory/CPU requests and limits as Kubernetes writes them (only the keys that are set). */
export function resourceValues(r: { requests?: object; limits?: object }): Record<string, unknown> {
  return { ...(r.requests ? { requests: { ...r.requests } } : {}), ...(r.limits ? { limits: { ...r.limits } } : {}) };
}
