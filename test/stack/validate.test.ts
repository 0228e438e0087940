import { describe, expect, test } from "vitest";
import { renderManifest } from "../../src/stack/emit.ts";
import { generateStack, type GeneratedStack, type KubeObject, type PipelineFacts } from "../../src/stack/generate/index.ts";
import { DEFAULT_OPTIONS } from "../../src/stack/options.ts";
import { validateStack } from "../../src/stack/validate.ts";

const PIPELINE: PipelineFacts = { river: "", stabilityLevel: "generally-available", mounts: { varlog: true, dockercontainers: false } };

/** The default stack with one file's object replaced (or removed), validated. */
async function validateWith(edit: (files: Map<string, KubeObject>) => void): Promise<{ code: string; filename: string; message: string }[]> {
  const stack = generateStack({ options: DEFAULT_OPTIONS, pipeline: PIPELINE, secretPresent: false });
  const objects = new Map(stack.files.map((f) => [f.path, structuredClone(f.object) as KubeObject]));
  edit(objects);
  const edited: GeneratedStack = { ...stack, files: [...objects].map(([path, object]) => ({ path, object })) };
  const rendered = new Map(edited.files.map((f) => [f.path, renderManifest(f, "pipelines/")]));
  const ds = await validateStack(edited, { options: DEFAULT_OPTIONS, outLabel: "manifests/", rendered, userFiles: new Set() });
  return ds.map((d) => ({ code: d.code, filename: d.filename, message: d.message }));
}

function spec(o: KubeObject | undefined): Record<string, unknown> {
  return (o as unknown as { spec: Record<string, unknown> }).spec;
}

describe("validateStack", () => {
  test("the generated stack is clean", async () => {
    expect(await validateWith(() => {})).toEqual([]);
  });

  test("an object that breaks its kind's schema (ajv, with allowed values)", async () => {
    const ds = await validateWith((f) => {
      (spec(f.get("loki/helmrelease.yaml"))["install"] as Record<string, unknown>)["crds"] = "Sometimes";
    });
    expect(ds).toEqual([
      { code: "STACK_SCHEMA", filename: "manifests/loki/helmrelease.yaml", message: expect.stringContaining("/spec/install/crds must be equal to one of the allowed values (Skip, Create, CreateReplace)") as string },
    ]);
  });

  test("a HelmRelease whose chart source is not generated", async () => {
    const ds = await validateWith((f) => f.delete("loki/ocirepository.yaml"));
    expect(ds.map((d) => d.code).sort()).toEqual(["STACK_KUSTOMIZE_RESOURCE", "STACK_SOURCE_REF"]);
  });

  test("a PromQL syntax error and a metric nothing scrapes", async () => {
    const ds = await validateWith((f) => {
      const rule = spec(f.get("monitoring/configs/prometheusrule-flux.yaml"));
      const rules = (rule["groups"] as { rules: { expr: string }[] }[])[0]?.rules as { expr: string }[];
      (rules[0] as { expr: string }).expr = "rate(gotk_resource_info[5m) > 0";
      const cert = spec(f.get("monitoring/configs/prometheusrule-cert-manager.yaml"));
      const certRules = (cert["groups"] as { rules: { expr: string }[] }[])[0]?.rules as { expr: string }[];
      (certRules[0] as { expr: string }).expr = "cert_expiry_seconds < 3600";
    });
    expect(ds.map((d) => [d.code, d.message.split(":")[0]])).toEqual([
      ["STACK_METRIC_SOURCE", "CertManagerCertExpirySoon"],
      ["STACK_PROMQL", "FluxReconciliationFailure"],
    ]);
    expect(ds[0]?.message).toContain('"cert_expiry_seconds"');
  });

  test("without cert-manager's PodMonitor, its metric has no source", async () => {
    const ds = await validateWith((f) => {
      f.delete("monitoring/configs/podmonitor-cert-manager.yaml");
      (f.get("monitoring/configs/kustomization.yaml") as unknown as { resources: string[] }).resources.pop();
    });
    expect(ds.map((d) => d.code)).toEqual(["STACK_METRIC_SOURCE"]);
  });

  test("Service references are read from the objects: a wrong backend, Provider address or datasource URL", async () => {
    const ds = await validateWith((f) => {
      const route = spec(f.get("monitoring/configs/httproute-grafana.yaml")) as { rules: { backendRefs: { name: string; port: number }[] }[] };
      (route.rules[0]?.backendRefs[0] as { port: number }).port = 3000;
      spec(f.get("flux-system/provider-alertmanager.yaml"))["address"] = "http://alertmanager.nowhere:1/";
      const cm = f.get("loki/grafana-datasource.yaml") as unknown as { data: Record<string, string> };
      cm.data["loki-datasource.yaml"] = (cm.data["loki-datasource.yaml"] as string).replace("loki.monitoring.svc:3100", "wrong:1");
    });
    expect(ds.map((d) => [d.filename, d.message.split(", but")[0]]).sort()).toEqual([
      ["manifests/flux-system/provider-alertmanager.yaml", "the Provider address is http://alertmanager.nowhere:1/"],
      ["manifests/loki/grafana-datasource.yaml", "the Loki datasource URL is http://wrong:1"],
      ["manifests/monitoring/configs/httproute-grafana.yaml", "the HTTPRoute backendRef is kube-prometheus-stack-grafana:3000"],
    ]);
  });
});
