import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { alertmanagerConfig, alertRoutes, routingProblems } from "../../src/stack/generate/alertmanager.ts";
import { generateStack, RELEASE_NAMES, type PipelineFacts } from "../../src/stack/generate/index.ts";
import { escapeHelmTpl, lokiValues } from "../../src/stack/generate/values.ts";
import { DEFAULT_OPTIONS, mergeDeep, type StackOptions } from "../../src/stack/options.ts";
import { chartServices } from "../../src/stack/services.ts";

const PIPELINE: PipelineFacts = {
  river: 'loki.write "default" {\n\tendpoint {\n\t\turl = "http://loki.monitoring.svc:3100/loki/api/v1/push"\n\t}\n}\n',
  stabilityLevel: "generally-available",
  mounts: { varlog: true, dockercontainers: false },
};

function withOptions(over: Record<string, unknown>): StackOptions {
  return mergeDeep(DEFAULT_OPTIONS, over) as StackOptions;
}

/**
 * Helm's `tpl` on text, for the only actions the escaping produces: `{{ "literal" }}` prints the literal. Any other
 * `{{` is an action river did not mean to write, so it throws (as a real template would misbehave).
 */
function tpl(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{{", i);
    if (open === -1) return out + text.slice(i);
    out += text.slice(i, open);
    const m = /^\{\{ ("(?:[^"\\]|\\.)*") \}\}/.exec(text.slice(open));
    if (m === null) throw new Error(`template action at ${open}: ${text.slice(open, open + 20)}`);
    out += JSON.parse(m[1] as string) as string;
    i = open + m[0].length;
  }
  return out;
}

describe("Helm tpl escaping of the embedded pipeline", () => {
  test("Go templates in a pipeline survive tpl unchanged", () => {
    const river = 'stage.template {\n\tsource   = "msg"\n\ttemplate = "{{ .Value | ToUpper }} {{{x}}}"\n}\n';
    expect(tpl(escapeHelmTpl(river))).toBe(river);
    expect(escapeHelmTpl(river)).not.toMatch(/\{\{ \.Value/);
  });

  test("any text round-trips through escape + tpl", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("{", "}", "a", " ", '"', "\\", "\n", "-", "$") }), (s) => {
        expect(tpl(escapeHelmTpl(s))).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("Alertmanager route tree", () => {
  test("the design's tree: silenced first, alerts by name, then by severity; root receiver null", () => {
    const config = alertmanagerConfig(DEFAULT_OPTIONS) as { route: { receiver: string; routes: { receiver: string; matchers: string[] }[] } };
    expect(config.route.receiver).toBe("null");
    const routes = config.route.routes;
    expect(routes[0]).toEqual({ receiver: "null", matchers: ['alertname=~"InfoInhibitor|Watchdog"'] });
    expect(routes.slice(-3)).toEqual([
      { receiver: "pushover-events", matchers: ['severity="error"'] },
      { receiver: "pushover-critical", matchers: ['severity="critical"'] },
      { receiver: "pushover-warning", matchers: ['severity="warning"'] },
    ]);
    // The split alert is routed by severity before the plain lists.
    const split = routes.filter((r) => r.matchers.includes('alertname="NodeFilesystemSpaceFillingUp"'));
    expect(split.map((r) => [r.receiver, r.matchers[1]])).toEqual([
      ["pushover-critical", 'severity="critical"'],
      ["pushover-warning", 'severity="warning"'],
    ]);
  });

  test("Pushover receivers read key and token from the mounted Secret, with explicit priorities", () => {
    const config = alertmanagerConfig(DEFAULT_OPTIONS) as { receivers: { name: string; pushover_configs?: Record<string, unknown>[] }[] };
    const critical = config.receivers.find((r) => r.name === "pushover-critical")?.pushover_configs?.[0];
    expect(critical).toMatchObject({
      user_key_file: "/etc/alertmanager/secrets/monitoring-secrets/pushover_user_key",
      token_file: "/etc/alertmanager/secrets/monitoring-secrets/pushover_api_token",
      priority: "1",
    });
    // Flux's events never resolve: their receiver sends no "resolved" notification; the others do.
    const events = config.receivers.find((r) => r.name === "pushover-events")?.pushover_configs?.[0];
    expect([critical?.["send_resolved"], events?.["send_resolved"], events?.["priority"]]).toEqual([true, false, "0"]);
    expect(Object.keys(critical ?? {})).not.toContain("user_key");
    expect(Object.keys(critical ?? {})).not.toContain("token");
    // Every field is a pushover_config field of Alertmanager ≥ 0.26 (kps 88 deploys 0.34).
    const known = ["send_resolved", "user_key", "user_key_file", "token", "token_file", "title", "message", "url", "url_title", "device", "sound", "priority", "retry", "expire", "ttl", "html", "monospace", "http_config"];
    for (const r of config.receivers) for (const p of r.pushover_configs ?? []) for (const k of Object.keys(p)) expect(known).toContain(k);
  });

  test("an alert routed to both priorities without a severity to tell them apart is a problem", () => {
    const options = withOptions({ alerting: { critical: [{ alert: "TargetDown" }], warning: [{ alert: "TargetDown", severity: "warning" }] } });
    expect(routingProblems(options)).toEqual([
      { path: ["alerting", "warning", 0], message: expect.stringContaining('"TargetDown" is already routed to critical') as string },
    ]);
    const silenced = withOptions({ alerting: { silenced: ["TargetDown"] } });
    expect(routingProblems(silenced).map((p) => p.path)).toEqual([["alerting", "silenced", 0]]);
    expect(routingProblems(DEFAULT_OPTIONS)).toEqual([]);
  });

  test("no silenced alerts and no severities: no empty routes", () => {
    const options = withOptions({ alerting: { silenced: [], severities: { critical: [], warning: [] }, events: [] } });
    for (const r of alertRoutes(options) as { matchers: string[] }[]) expect(r.matchers.length).toBeGreaterThan(0);
  });
});

describe("chart Services", () => {
  test("names and ports follow the release names and the values that move them", () => {
    const s = chartServices(RELEASE_NAMES);
    expect([s.prometheus.service, s.alertmanager.service, s.grafana.service, s.loki.service, s.alloy.service]).toEqual([
      "kube-prometheus-stack-prometheus",
      "kube-prometheus-stack-alertmanager",
      "kube-prometheus-stack-grafana",
      "loki",
      "alloy",
    ]);
    const moved = chartServices(RELEASE_NAMES, { loki: { fullnameOverride: "logs", loki: { server: { http_listen_port: 3200 } } }, alloy: { alloy: { listenPort: 9999 } } });
    expect([moved.loki.service, moved.loki.port, moved.alloy.port]).toEqual(["logs", 3200, 9999]);
    expect(chartServices({ ...RELEASE_NAMES, loki: "logs" }).loki.service).toBe("logs-loki");
  });
});

describe("the generated tree", () => {
  const stack = generateStack({ options: DEFAULT_OPTIONS, pipeline: PIPELINE, secretPresent: true });
  const byPath = new Map(stack.files.map((f) => [f.path, f.object]));

  test("the design's layout, one object per file, sorted", () => {
    const paths = stack.files.map((f) => f.path);
    expect(paths).toEqual([...paths].sort());
    for (const p of ["kustomization.yaml", "monitoring/helmrelease.yaml", "loki/helmrelease.yaml", "alloy/helmrelease.yaml", "flux-system/provider-alertmanager.yaml", "flux-system/alert-flux-errors.yaml"]) {
      expect(paths).toContain(p);
    }
    expect(byPath.get("kustomization.yaml")).toMatchObject({ resources: ["monitoring", "loki", "alloy", "flux-system"] });
    expect(byPath.get("monitoring/kustomization.yaml")).toMatchObject({ resources: expect.arrayContaining(["secret.enc.yaml"]) as unknown });
  });

  test("objects that need chart CRDs are only in configs/, applied after the HelmReleases", () => {
    const crdKinds = new Set(["PrometheusRule", "PodMonitor", "HTTPRoute"]);
    for (const f of stack.files) {
      if (crdKinds.has(f.object.kind)) expect(f.path).toMatch(/\/configs\//);
    }
    const configs = byPath.get("flux-system/kustomization-monitoring-configs.yaml") as unknown as { spec: { dependsOn: { name: string }[]; path: string } };
    expect(configs.spec.dependsOn).toEqual([{ name: "infrastructure" }]);
    expect(configs.spec.path).toBe("./kubernetes/infrastructure/configs");
  });

  test("HelmRelease order: loki after kube-prometheus-stack, alloy after loki", () => {
    const dep = (p: string) => (byPath.get(p) as unknown as { spec: { dependsOn?: { name: string }[] } }).spec.dependsOn;
    expect(dep("monitoring/helmrelease.yaml")).toBeUndefined();
    expect(dep("loki/helmrelease.yaml")).toEqual([{ name: "kube-prometheus-stack" }]);
    expect(dep("alloy/helmrelease.yaml")).toEqual([{ name: "loki" }]);
  });

  test("Loki: monolithic, one replica, everything scalable zeroed, extras off", () => {
    const v = lokiValues(DEFAULT_OPTIONS) as Record<string, { replicas?: number; enabled?: boolean }>;
    expect(v["deploymentMode"]).toBe("Monolithic");
    expect([v["singleBinary"]?.replicas, v["read"]?.replicas, v["write"]?.replicas, v["backend"]?.replicas]).toEqual([1, 0, 0, 0]);
    for (const k of ["gateway", "chunksCache", "resultsCache", "lokiCanary", "test"]) expect(v[k]?.enabled).toBe(false);
  });

  test("the Alloy release embeds the escaped pipeline and the mounts it needs", () => {
    const hr = byPath.get("alloy/helmrelease.yaml") as unknown as { spec: { values: { alloy: { configMap: { content: string }; mounts: unknown; stabilityLevel: string }; controller: { type: string } } } };
    expect(hr.spec.values.alloy.configMap.content).toBe(PIPELINE.river);
    expect(hr.spec.values.alloy.mounts).toEqual({ varlog: true, dockercontainers: false });
    expect(hr.spec.values.controller.type).toBe("daemonset");
  });

  test("extra values merge over the generated ones (maps merge, lists replace)", () => {
    const options = withOptions({ values: { loki: { singleBinary: { persistence: { size: "20Gi" } }, loki: { schemaConfig: { configs: [] } } } } });
    const v = generateStack({ options, pipeline: PIPELINE, secretPresent: false }).values.loki as { singleBinary: { persistence: Record<string, unknown> }; loki: { schemaConfig: { configs: unknown[] } } };
    expect(v.singleBinary.persistence).toEqual({ enabled: true, storageClass: "nfs-client", size: "20Gi" });
    expect(v.loki.schemaConfig.configs).toEqual([]);
  });

  test("without the Secret file, monitoring/kustomization.yaml does not list it", () => {
    const without = generateStack({ options: DEFAULT_OPTIONS, pipeline: PIPELINE, secretPresent: false });
    const k = without.files.find((f) => f.path === "monitoring/kustomization.yaml")?.object as unknown as { resources: string[] };
    expect(k.resources).not.toContain("secret.enc.yaml");
  });

  test("cert-manager off: neither its rule nor its PodMonitor", () => {
    const off = generateStack({ options: withOptions({ certManager: { enabled: false } }), pipeline: PIPELINE, secretPresent: true });
    expect(off.files.map((f) => f.path).filter((p) => p.includes("cert-manager"))).toEqual([]);
  });
});
