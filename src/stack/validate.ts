import { parser as promqlParser } from "@prometheus-io/lezer-promql";
import satisfies from "semver/functions/satisfies.js";
import validRange from "semver/ranges/valid.js";
import semverMajor from "semver/functions/major.js";
import semverMinor from "semver/functions/minor.js";
import { parse as parseYaml, parseDocument } from "yaml";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import { CHARTS, checkChartValues, type ChartId } from "./charts/index.ts";
import type { GeneratedStack, KubeObject, ManifestFile } from "./generate/index.ts";
import { RELEASE_NAMES } from "./generate/index.ts";
import { pathString, rangeAt, type PathSegment, type YamlInput } from "./yaml-spec.ts";
import { posix } from "node:path";
import { RELEASES, requiredSecretKeys, type StackOptions } from "./options.ts";
import { chartServices, dnsSrvAddress, serviceUrl } from "./services.ts";
import { LOKI_GATEWAY_TARGET_PORT, lokiGatewaySelector } from "./generate/scalable.ts";
import { routingProblems } from "./generate/alertmanager.ts";

/**
 * The correctness checks `river build` runs on the generated stack before writing anything (and `river lint` runs on
 * an in-memory build): every object against its kind's schema, every HelmRelease's values against its chart version,
 * every Service reference against the Services the charts create, every rule's PromQL, every kustomization's
 * resources, the routing options. Problems caused by an option point into stack.yaml; problems in generated text
 * point into the file that would have been written.
 */
export interface ValidateContext {
  readonly options: StackOptions;
  /** stack.yaml, when there is one: the source of options' positions. */
  readonly input?: YamlInput;
  /** stack.yaml's name for diagnostics about defaults when there is no stack.yaml (e.g. `pipelines/stack.yaml`). */
  readonly stackFilename?: string;
  /** How output paths are shown in diagnostics (e.g. `manifests/`). */
  readonly outLabel: string;
  /** The rendered text of each generated file, by path. */
  readonly rendered: ReadonlyMap<string, string>;
  /** Paths under the output directory that exist without being generated (secret.enc.yaml). */
  readonly userFiles: ReadonlySet<string>;
}

export async function validateStack(stack: GeneratedStack, ctx: ValidateContext): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  out.push(...optionProblems(ctx));
  out.push(...profileProblems(ctx));
  for (const release of stack.releases) out.push(...valuesProblems(release, stack.values[release], ctx));
  out.push(...serviceProblems(stack, ctx));
  out.push(...pushServiceProblems(stack, ctx));
  out.push(...secretRefProblems(stack, ctx));
  out.push(...kustomizationProblems(stack.files, ctx));
  out.push(...sourceProblems(stack.files, ctx));
  out.push(...duplicateProblems(stack.files, ctx));
  out.push(...ruleProblems(stack, ctx));
  out.push(...(await schemaProblems(stack.files, ctx)));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Positions

/** A diagnostic at an option of stack.yaml (or, without a stack.yaml, naming the default it is about). */
export function atOption(ctx: ValidateContext, path: readonly PathSegment[], code: string, message: string): Diagnostic {
  if (ctx.input === undefined) {
    return { severity: "error", code, message: `${message} (the default of "${pathString(path)}")`, filename: ctx.stackFilename ?? "stack.yaml", line: 1, column: 1 };
  }
  const p = ctx.input.locate(path);
  return diagnosticAt(ctx.input.file, "error", code, message, p.start, p.end);
}

/** A diagnostic at a path inside a generated file's YAML. */
function atGenerated(ctx: ValidateContext, file: string, path: readonly PathSegment[], code: string, message: string): Diagnostic {
  const text = ctx.rendered.get(file) ?? "";
  const source = new SourceFile(ctx.outLabel + file, text);
  const [start, end] = rangeAt(parseDocument(text), path);
  return diagnosticAt(source, "error", code, message, start, end);
}


/** True when the user's stack.yaml sets `path` (so a problem there is theirs to fix). */
function userSets(ctx: ValidateContext, path: readonly PathSegment[]): boolean {
  let v: unknown = ctx.input?.data;
  for (const seg of path) {
    if (typeof v !== "object" || v === null || !Object.hasOwn(v, seg)) return false;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------------
// The checks

function optionProblems(ctx: ValidateContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const p of routingProblems(ctx.options)) out.push(atOption(ctx, p.path, "STACK_ROUTING", p.message));
  for (const release of RELEASES) {
    const range = ctx.options.charts[release].version;
    const checked = CHARTS[release as ChartId].version;
    if (validRange(range) === null) {
      out.push(atOption(ctx, ["charts", release, "version"], "STACK_CHART_VERSION", `"${range}" is not a semver range; use e.g. "${semverMajor(checked)}.${semverMinor(checked)}.x"`));
    } else if (!satisfies(checked, range)) {
      out.push(
        atOption(
          ctx,
          ["charts", release, "version"],
          "STACK_CHART_VERSION",
          `the range "${range}" does not include ${release} ${checked}, the version river checks the values against; use a range that contains it, e.g. "${semverMajor(checked)}.${semverMinor(checked)}.x"`,
        ),
      );
    }
  }
  return out;
}

/** The options that only make sense, or are only required, with one profile. */
function profileProblems(ctx: ValidateContext): Diagnostic[] {
  const o = ctx.options;
  const out: Diagnostic[] = [];
  if (o.profile !== "scalable") {
    if (o.values.thanos !== undefined) {
      out.push(atOption(ctx, ["values", "thanos"], "STACK_PROFILE", `values.thanos is for the thanos release, which only the scalable profile installs (profile is "${o.profile}"); remove it or set profile: scalable`));
    }
    return out;
  }
  const storage = o.scalable.objectStorage;
  if (storage.endpoint === "") {
    out.push(
      atOption(
        ctx,
        userSets(ctx, ["scalable", "objectStorage"]) ? ["scalable", "objectStorage"] : userSets(ctx, ["scalable"]) ? ["scalable"] : ["profile"],
        "STACK_OBJECT_STORAGE",
        "the scalable profile stores logs and metrics in an S3 bucket: set scalable.objectStorage.endpoint (host[:port], e.g. minio.storage.svc:9000) and the buckets",
      ),
    );
  }
  // Thanos Compact owns its bucket: it reads every object there as a block, and deletes what it does not know.
  const buckets = storage.buckets;
  if (buckets.thanos === buckets.lokiChunks || buckets.thanos === buckets.lokiRuler) {
    out.push(atOption(ctx, ["scalable", "objectStorage", "buckets", "thanos"], "STACK_OBJECT_STORAGE", `the Thanos bucket "${buckets.thanos}" is also one of Loki's: Thanos Compact treats every object of its bucket as a block, so give Thanos a bucket of its own`));
  }
  if (buckets.lokiChunks === buckets.lokiRuler) {
    out.push(atOption(ctx, ["scalable", "objectStorage", "buckets", "lokiRuler"], "STACK_OBJECT_STORAGE", `Loki's chunks and ruler buckets are both "${buckets.lokiChunks}": Loki's docs ask for separate buckets; name another one`));
  }
  if (o.scalable.storageClass === o.storageClass) {
    out.push(atOption(ctx, userSets(ctx, ["scalable", "storageClass"]) ? ["scalable", "storageClass"] : ["storageClass"], "STACK_BLOCK_STORAGE", `scalable.storageClass is "${o.storageClass}", the homelab's storageClass: Prometheus' TSDB is not supported on NFS; name a block-storage StorageClass (local-path, Longhorn, Ceph RBD, a cloud disk)`));
  }
  return out;
}

function valuesProblems(release: (typeof RELEASES)[number], values: Record<string, unknown>, ctx: ValidateContext): Diagnostic[] {
  return checkChartValues(release as ChartId, values).map((p) => {
    const chart = CHARTS[release as ChartId];
    const message = `${p.message}${p.suggestion !== undefined && !p.message.includes("did you mean") ? `; did you mean "${p.suggestion}"?` : ""}`;
    const userPath = ["values", release, ...p.path];
    if (userSets(ctx, userPath)) return atOption(ctx, userPath, p.code, `values for ${chart.name} ${chart.version}: ${message}`);
    return atGenerated(ctx, helmReleaseFile(release), ["spec", "values", ...p.path], p.code, `generated values for ${chart.name} ${chart.version}: ${message}`);
  });
}

function helmReleaseFile(release: string): string {
  return `${release === "kube-prometheus-stack" ? "monitoring" : release}/helmrelease.yaml`;
}

/**
 * The scalable profile's push Service (loki/service-loki.yaml) must reach the loki chart's gateway pods: its selector
 * is the gateway's selector labels and its target port the gateway container's named port, and the gateway is on.
 */
function pushServiceProblems(stack: GeneratedStack, ctx: ValidateContext): Diagnostic[] {
  const file = stack.files.find((f) => f.path === "loki/service-loki.yaml");
  if (file === undefined) return [];
  const out: Diagnostic[] = [];
  const loki = stack.values.loki;
  const spec = file.object["spec"] as { selector: Record<string, string>; ports: { port: number; targetPort: string | number }[] };
  const expected = lokiGatewaySelector(RELEASE_NAMES.loki, loki);
  if (JSON.stringify(spec.selector) !== JSON.stringify(expected)) {
    out.push(atGenerated(ctx, file.path, ["spec", "selector"], "STACK_SERVICE_REF", `the push Service selects ${JSON.stringify(spec.selector)}, but the loki chart's gateway pods are labelled ${JSON.stringify(expected)} (loki: templates/gateway/_helpers.tpl)`));
  }
  spec.ports.forEach((p, i) => {
    if (p.targetPort !== LOKI_GATEWAY_TARGET_PORT) {
      out.push(atGenerated(ctx, file.path, ["spec", "ports", i, "targetPort"], "STACK_SERVICE_REF", `the push Service targets port ${p.targetPort}, but the gateway container's port is named "${LOKI_GATEWAY_TARGET_PORT}" (loki: templates/gateway/deployment.yaml)`));
    }
  });
  if ((loki["gateway"] as { enabled?: unknown } | undefined)?.enabled === false) {
    const userPath = ["values", "loki", "gateway", "enabled"];
    const message = "the scalable profile sends pushes and Grafana's queries through the loki chart's gateway: keep gateway.enabled";
    out.push(userSets(ctx, userPath) ? atOption(ctx, userPath, "STACK_SERVICE_REF", message) : atGenerated(ctx, "loki/helmrelease.yaml", ["spec", "values", "gateway", "enabled"], "STACK_SERVICE_REF", message));
  }
  return out;
}

/**
 * Every secretKeyRef in the HelmReleases' values names the stack's Secret and one of the keys it must hold (which
 * build checks the encrypted Secret for): a reference to a key nobody sets would leave the pod pending.
 */
function secretRefProblems(stack: GeneratedStack, ctx: ValidateContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const keys = new Set(requiredSecretKeys(ctx.options));
  for (const release of stack.releases) {
    const walkRefs = (v: unknown, path: (string | number)[]) => {
      if (Array.isArray(v)) v.forEach((x, i) => walkRefs(x, [...path, i]));
      else if (typeof v === "object" && v !== null) {
        for (const [k, x] of Object.entries(v)) {
          if (k === "secretKeyRef" && typeof x === "object" && x !== null) {
            const ref = x as { name?: unknown; key?: unknown };
            if (ref.name !== ctx.options.secret.name || typeof ref.key !== "string" || !keys.has(ref.key)) {
              out.push(atGenerated(ctx, helmReleaseFile(release), ["spec", "values", ...path, k], "STACK_SECRET_REF", `a secretKeyRef to ${String(ref.name)}/${String(ref.key)}, which is not a key the stack's Secret ${ctx.options.secret.name} must hold (${[...keys].join(", ")})`));
            }
          } else walkRefs(x, [...path, k]);
        }
      }
    };
    walkRefs(stack.values[release], []);
  }
  return out;
}

/**
 * Every Service a generated object names (read from the object as it will be written) is one the chart creates from
 * the final values: a hand-made URL, a renamed Service or a moved port in the extra values is caught here.
 */
function serviceProblems(stack: GeneratedStack, ctx: ValidateContext): Diagnostic[] {
  const services = chartServices(RELEASE_NAMES, stack.values);
  const objects = new Map(stack.files.map((f) => [f.path, f.object]));
  const out: Diagnostic[] = [];
  for (const ref of stack.serviceRefs) {
    const s = services[ref.service];
    const ns = ctx.options.namespace;
    const expected = ref.form === "url" ? serviceUrl(s, ns) + (ref.suffix ?? "") : ref.form === "dnssrv" ? dnsSrvAddress(s, ns) : `${s.service}:${s.port}`;
    let value = valueAt(objects.get(ref.file), ref.at);
    if (ref.inside !== undefined && typeof value === "string") value = valueAt(parseYaml(value) as unknown, ref.inside);
    const actual =
      ref.form === "backendRef" && typeof value === "object" && value !== null
        ? `${String((value as { name?: unknown }).name)}:${String((value as { port?: unknown }).port)}`
        : String(value);
    if (actual !== expected) {
      out.push(
        atGenerated(
          ctx,
          ref.file,
          ref.at,
          "STACK_SERVICE_REF",
          `${ref.what} is ${actual}, but the chart creates ${expected} (${s.template}); check the extra values that rename the Service or move its port`,
        ),
      );
    }
  }
  return out;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) v = typeof v === "object" && v !== null ? (v as Record<string | number, unknown>)[seg] : undefined;
  return v;
}

/** Every entry of every kustomization.yaml names a generated file, a directory with a kustomization, or a user file. */
function kustomizationProblems(files: readonly ManifestFile[], ctx: ValidateContext): Diagnostic[] {
  const paths = new Set(files.map((f) => f.path));
  const out: Diagnostic[] = [];
  for (const f of files) {
    if (f.object.kind !== "Kustomization" || !f.object.apiVersion.startsWith("kustomize.config.k8s.io/")) continue;
    const dir = f.path.includes("/") ? f.path.slice(0, f.path.lastIndexOf("/") + 1) : "";
    ((f.object["resources"] as string[]) ?? []).forEach((r, i) => {
      const target = posix.normalize(dir + r).replace(/\/$/, "");
      if (paths.has(target) || paths.has(`${target}/kustomization.yaml`) || ctx.userFiles.has(target)) return;
      out.push(atGenerated(ctx, f.path, ["resources", i], "STACK_KUSTOMIZE_RESOURCE", `resource "${r}" of ${f.path} does not exist`));
    });
  }
  return out;
}

/** No two objects share kind, namespace and name (kustomize refuses such a tree). */
function duplicateProblems(files: readonly ManifestFile[], ctx: ValidateContext): Diagnostic[] {
  const seen = new Map<string, string>();
  const out: Diagnostic[] = [];
  for (const f of files) {
    if (f.object.apiVersion.startsWith("kustomize.config.k8s.io/") || f.object.metadata === undefined) continue;
    const id = `${f.object.kind} ${f.object.metadata.namespace ?? ""}/${f.object.metadata.name}`;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, f.path);
    else out.push(atGenerated(ctx, f.path, ["metadata", "name"], "STACK_DUPLICATE_OBJECT", `${id} is also generated in ${first}: two charts from different repositories whose source objects get the same name; change one chart's url`));
  }
  return out;
}

/** Every HelmRelease's chart source (chartRef or chart.spec.sourceRef) is one of the generated source objects. */
function sourceProblems(files: readonly ManifestFile[], ctx: ValidateContext): Diagnostic[] {
  const key = (kind: string, name: string, namespace: string | undefined) => `${kind}/${namespace ?? ""}/${name}`;
  const sources = new Set(
    files
      .filter((f) => f.object.kind === "OCIRepository" || f.object.kind === "HelmRepository")
      .map((f) => key(f.object.kind, f.object.metadata?.name ?? "", f.object.metadata?.namespace)),
  );
  const out: Diagnostic[] = [];
  for (const f of files) {
    if (f.object.kind !== "HelmRelease") continue;
    const spec = f.object["spec"] as { chartRef?: { kind: string; name: string; namespace?: string }; chart?: { spec: { sourceRef: { kind: string; name: string; namespace?: string } } } };
    const [ref, path] = spec.chartRef ? [spec.chartRef, ["spec", "chartRef"]] : [spec.chart?.spec.sourceRef, ["spec", "chart", "spec", "sourceRef"]];
    if (ref === undefined) continue;
    // A reference without a namespace means the HelmRelease's own.
    if (!sources.has(key(ref.kind, ref.name, ref.namespace ?? f.object.metadata?.namespace))) {
      out.push(atGenerated(ctx, f.path, path, "STACK_SOURCE_REF", `the chart source ${ref.kind} ${ref.name} of HelmRelease ${f.object.metadata?.name} is not generated`));
    }
  }
  return out;
}


/** Metrics that something the stack scrapes produces, by exact name or prefix. */
function metricSources(stack: GeneratedStack): { names: Set<string>; prefixes: Map<string, string> } {
  const kps = stack.values["kube-prometheus-stack"];
  const names = new Set(["up", "ALERTS", "ALERTS_FOR_STATE", "scrape_duration_seconds", "scrape_samples_scraped"]);
  const prefixes = new Map<string, string>([["prometheus_", "Prometheus itself"], ["alertmanager_", "Alertmanager"]]);
  const enabled = (key: string) => (kps[key] as { enabled?: unknown } | undefined)?.enabled !== false;
  if (enabled("kubeStateMetrics")) {
    prefixes.set("kube_", "kube-state-metrics");
    const crs = (kps["kube-state-metrics"] as Record<string, unknown> | undefined)?.["customResourceState"] as
      | { enabled?: boolean; config?: { spec?: { resources?: { metricNamePrefix?: string; metrics?: { name: string }[] }[] } } }
      | undefined;
    if (crs?.enabled === true) {
      const resources = crs.config?.spec?.resources;
      for (const r of Array.isArray(resources) ? resources : []) {
        for (const m of Array.isArray(r?.metrics) ? r.metrics : []) names.add(`${r.metricNamePrefix ?? "kube_customresource"}_${m?.name}`);
      }
    }
  }
  if (enabled("nodeExporter")) prefixes.set("node_", "node-exporter");
  // The scalable profile's Thanos: the sidecars through kps' thanosServiceMonitor, the rest through the thanos chart's.
  const kpsPrometheus = kps["prometheus"] as { thanosServiceMonitor?: { enabled?: unknown } } | undefined;
  if (stack.releases.includes("kube-prometheus-stack") && kpsPrometheus?.thanosServiceMonitor?.enabled === true) {
    prefixes.set("thanos_sidecar_", "the Thanos sidecars (prometheus.thanosServiceMonitor)");
    prefixes.set("thanos_shipper_", "the Thanos sidecars (prometheus.thanosServiceMonitor)");
  }
  const thanosMonitor = (stack.values.thanos["serviceMonitor"] as { enabled?: unknown } | undefined)?.enabled === true;
  if (stack.releases.includes("thanos") && thanosMonitor) {
    for (const c of ["compact", "query", "store", "bucket_store"]) prefixes.set(`thanos_${c}_`, "Thanos (the thanos chart's ServiceMonitors)");
  }
  if (stack.files.some((f) => f.object.kind === "PodMonitor" && f.object.metadata?.name === "cert-manager")) {
    prefixes.set("certmanager_", "cert-manager (PodMonitor cert-manager)");
  }
  return { names, prefixes };
}

function ruleProblems(stack: GeneratedStack, ctx: ValidateContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const sources = metricSources(stack);
  for (const f of stack.files) {
    if (f.object.kind !== "PrometheusRule") continue;
    const groups = (f.object["spec"] as { groups: { rules: { alert?: string; expr: string }[] }[] }).groups;
    groups.forEach((g, gi) =>
      g.rules.forEach((rule, ri) => {
        const at = ["spec", "groups", gi, "rules", ri, "expr"];
        const tree = promqlParser.parse(rule.expr);
        const metrics: string[] = [];
        let error: number | undefined;
        tree.iterate({
          enter: (n) => {
            if (n.type.isError && error === undefined) error = n.from;
            if (n.name === "Identifier" && n.node.parent?.name === "VectorSelector") metrics.push(rule.expr.slice(n.from, n.to));
          },
        });
        if (error !== undefined) {
          out.push(atGenerated(ctx, f.path, at, "STACK_PROMQL", `${rule.alert ?? "rule"}: PromQL syntax error at offset ${error} of ${JSON.stringify(rule.expr)}`));
          return;
        }
        for (const m of metrics) {
          if (sources.names.has(m) || [...sources.prefixes.keys()].some((p) => m.startsWith(p))) continue;
          out.push(atGenerated(ctx, f.path, at, "STACK_METRIC_SOURCE", `${rule.alert ?? "rule"}: nothing the stack scrapes exports the metric "${m}"`));
        }
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// Typed models: each kind's JSON schema (ajv), loaded on first use so that start-up stays short.

type ModelClass = new (data: object) => { validate(): void };
const MODELS: Record<string, () => Promise<ModelClass>> = {
  "v1/Namespace": async () => (await import("kubernetes-models/v1/Namespace")).Namespace as unknown as ModelClass,
  "v1/ConfigMap": async () => (await import("kubernetes-models/v1/ConfigMap")).ConfigMap as unknown as ModelClass,
  "v1/Service": async () => (await import("kubernetes-models/v1/Service")).Service as unknown as ModelClass,
  "helm.toolkit.fluxcd.io/v2/HelmRelease": async () => (await import("@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease")).HelmRelease as unknown as ModelClass,
  "source.toolkit.fluxcd.io/v1/OCIRepository": async () => (await import("@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/OCIRepository")).OCIRepository as unknown as ModelClass,
  "source.toolkit.fluxcd.io/v1/HelmRepository": async () => (await import("@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository")).HelmRepository as unknown as ModelClass,
  "notification.toolkit.fluxcd.io/v1beta3/Provider": async () => (await import("@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Provider")).Provider as unknown as ModelClass,
  "notification.toolkit.fluxcd.io/v1beta3/Alert": async () => (await import("@kubernetes-models/flux-cd/notification.toolkit.fluxcd.io/v1beta3/Alert")).Alert as unknown as ModelClass,
  "kustomize.toolkit.fluxcd.io/v1/Kustomization": async () => (await import("@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization")).Kustomization as unknown as ModelClass,
  "monitoring.coreos.com/v1/PrometheusRule": async () => (await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule")).PrometheusRule as unknown as ModelClass,
  "monitoring.coreos.com/v1/PodMonitor": async () => (await import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor")).PodMonitor as unknown as ModelClass,
  "gateway.networking.k8s.io/v1/HTTPRoute": async () => (await import("@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute")).HTTPRoute as unknown as ModelClass,
};

interface AjvError {
  readonly instancePath: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

async function schemaProblems(files: readonly ManifestFile[], ctx: ValidateContext): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const checks = files.map(async (f) => {
    const key = `${f.object.apiVersion}/${f.object.kind}`;
    if (f.object.apiVersion.startsWith("kustomize.config.k8s.io/")) return; // no schema: checked by kustomizationProblems
    const load = MODELS[key];
    if (load === undefined) {
      out.push(atGenerated(ctx, f.path, ["kind"], "STACK_SCHEMA", `no typed model for ${key}`));
      return;
    }
    const Model = await load();
    try {
      new Model(plain(f.object)).validate();
    } catch (err) {
      const errors = ((err as { errors?: AjvError[] }).errors ?? []) as AjvError[];
      if (errors.length === 0) throw err;
      for (const e of errors) {
        const path = e.instancePath.split("/").slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, "/").replace(/~0/g, "~")));
        const extra = e.params?.["allowedValues"] ? ` (${(e.params["allowedValues"] as unknown[]).join(", ")})` : "";
        out.push(atGenerated(ctx, f.path, path, "STACK_SCHEMA", `${key} ${f.object.metadata?.name ?? ""}: ${e.instancePath || "/"} ${e.message ?? "is invalid"}${extra}`));
      }
    }
  });
  await Promise.all(checks);
  return out.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : a.line - b.line));
}

/** A deep copy with ordinary prototypes (the models' constructors and ajv expect plain JSON data). */
function plain(o: KubeObject): object {
  return JSON.parse(JSON.stringify(o)) as object;
}
