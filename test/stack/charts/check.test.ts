import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHARTS, checkChartValues, formatValuesPath, type ChartId, type ValuesProblem } from "../../../src/stack/charts/index.ts";

function fixture(chart: ChartId): unknown {
  return parse(readFileSync(new URL(`fixtures/${chart}.yaml`, import.meta.url), "utf8"));
}

/** The problems as "path: code -> suggestion" lines, for compact expectations. */
function summary(problems: ValuesProblem[]): string[] {
  return problems.map((p) => `${formatValuesPath(p.path)}: ${p.code}${p.suggestion !== undefined ? ` -> ${p.suggestion}` : ""}`);
}

describe("chart values checker", () => {
  it("knows the chart versions the stack targets", () => {
    expect(CHARTS["kube-prometheus-stack"]).toMatchObject({ name: "kube-prometheus-stack", version: "88.5.3", appVersion: "v0.93.1" });
    expect(CHARTS["kube-prometheus-stack"].subcharts).toEqual({
      crds: "0.0.0", grafana: "12.11.1", "kube-state-metrics": "8.4.0", "prometheus-node-exporter": "4.56.1",
    });
    expect(CHARTS.loki).toMatchObject({ name: "loki", version: "18.11.0", appVersion: "3.7.6" });
    expect(CHARTS.alloy).toMatchObject({ name: "alloy", version: "1.11.1", appVersion: "v1.18.1" });
  });

  for (const chart of ["kube-prometheus-stack", "loki", "alloy"] as const) {
    it(`accepts the stack's full ${chart} values`, () => {
      expect(checkChartValues(chart, fixture(chart))).toEqual([]);
    });
  }

  it("reports a misspelled key with did you mean", () => {
    const problems = checkChartValues("kube-prometheus-stack", { prometheus: { prometheusSpec: { retension: "7d" } } });
    expect(problems).toEqual([{
      path: ["prometheus", "prometheusSpec", "retension"],
      code: "UNKNOWN_VALUES_KEY",
      message: 'unknown key "retension" under prometheus.prometheusSpec; did you mean "retention"?',
      suggestion: "retention",
    }]);
  });

  it("finds typos in the full values, at the top level and in subcharts, in document order", () => {
    const values = fixture("kube-prometheus-stack") as Record<string, unknown>;
    values["prometheusOperater"] = { enabled: true };
    (values["grafana"] as Record<string, unknown>)["persistance"] = { enabled: true };
    (values["kube-state-metrics"] as Record<string, unknown>)["customResourceStat"] = {};
    values["totallyUnrelated"] = 1;
    const problems = checkChartValues("kube-prometheus-stack", values);
    expect(summary(problems)).toEqual([
      "grafana.persistance: UNKNOWN_VALUES_KEY -> persistence",
      "kube-state-metrics.customResourceStat: UNKNOWN_VALUES_KEY -> customResourceState",
      "prometheusOperater: UNKNOWN_VALUES_KEY -> prometheusOperator",
      "totallyUnrelated: UNKNOWN_VALUES_KEY",
    ]);
    expect(problems[2]?.message).toBe(
      'unknown key "prometheusOperater" at the top level of the values; did you mean "prometheusOperator"?',
    );
    expect(problems[3]).not.toHaveProperty("suggestion");
  });

  it("points a key set at the wrong level to the one place that declares it", () => {
    expect(summary(checkChartValues("kube-prometheus-stack", {
      prometheus: { retention: "7d" },
      grafana: { storageClassName: "nfs-client", enabled: true },
      alertmanager: { enabled: true, nodePort: 30903 },
    }))).toEqual([
      "prometheus.retention: UNKNOWN_VALUES_KEY -> prometheusSpec.retention",
      "grafana.storageClassName: UNKNOWN_VALUES_KEY -> persistence.storageClassName",
      // service.nodePort and servicePerReplica.nodePort: no single answer.
      "alertmanager.nodePort: UNKNOWN_VALUES_KEY",
    ]);
  });

  it("takes a string where Kubernetes takes an int or a string", () => {
    expect(checkChartValues("kube-prometheus-stack", {
      "prometheus-node-exporter": { service: { targetPort: "metrics" } },
      grafana: { service: { targetPort: "grafana" } },
    })).toEqual([]);
  });

  it("reports maps, lists and scalars in each other's place", () => {
    const problems = checkChartValues("kube-prometheus-stack", {
      prometheus: { prometheusSpec: "retention: 7d" },
      alertmanager: { alertmanagerSpec: { secrets: { name: "monitoring-secrets" } } },
      grafana: { persistence: { size: { storage: "1Gi" }, accessModes: ["ReadWriteOnce", { mode: "RWO" }] } },
    });
    expect(problems.map((p) => p.message)).toEqual([
      "prometheus.prometheusSpec must be a map, got a string",
      "alertmanager.alertmanagerSpec.secrets must be a list, got a map",
      "grafana.persistence.size must be a string, a number or a boolean, got a map",
      "grafana.persistence.accessModes[1] must be a string, a number or a boolean, got a map",
    ]);
    expect(problems.every((p) => p.code === "VALUES_TYPE_MISMATCH")).toBe(true);
  });

  it("wants numbers and booleans unquoted, and takes any scalar where the default is a string", () => {
    const problems = checkChartValues("alloy", {
      alloy: { listenPort: "12345", mounts: { varlog: "true" }, stabilityLevel: 1, configMap: { content: true } },
      controller: { replicas: 2 },
    });
    expect(problems.map((p) => p.message)).toEqual([
      "alloy.listenPort must be a number, got a string; write 12345 without quotes (a quoted number breaks the chart's comparisons and arithmetic)",
      'alloy.mounts.varlog must be a boolean, got a string; write true without quotes (the string "false" counts as true in a template)',
    ]);
  });

  it("uses loki's values.schema.json types exactly", () => {
    const problems = checkChartValues("loki", {
      deploymentMode: 1,
      singleBinary: { replicas: 1.5, persistence: { annotations: { "a/b": 1 }, storageClass: "nfs-client" } },
      read: { replicas: "0" },
    });
    expect(summary(problems)).toEqual([
      "deploymentMode: VALUES_TYPE_MISMATCH",
      "singleBinary.replicas: VALUES_TYPE_MISMATCH",
      'singleBinary.persistence.annotations["a/b"]: VALUES_TYPE_MISMATCH',
      "read.replicas: VALUES_TYPE_MISMATCH",
    ]);
    expect(problems[1]?.message).toBe("singleBinary.replicas must be an integer, got 1.5");
    expect(problems[3]?.message).toContain("write 0 without quotes");
  });

  it("checks nothing under free-form maps, null defaults, pass-through configuration and uncopied subcharts", () => {
    expect(checkChartValues("kube-prometheus-stack", {
      prometheus: { prometheusSpec: { storageSpec: { emptyDir: { medium: "Memory" } }, podMetadata: { labels: { a: "b" } } } },
      alertmanager: { config: "global:\n  resolve_timeout: 5m\n" },
      grafana: { "grafana.ini": { server: { root_url: "https://grafana.example" }, anything: { at: "all" } }, securityContext: { runAsUser: 472, sysctls: [] } },
      "prometheus-windows-exporter": { whatever: [1, 2] },
    })).toEqual([]);
    expect(checkChartValues("loki", {
      loki: { limits_config: { retention_period: "168h", max_query_series: 10000 }, storage_config: { tsdb_shipper: { active_index_directory: "/x" } } },
      minio: { persistence: { size: "5Gi" } },
    })).toEqual([]);
  });

  it("accepts null anywhere (it unsets the key) and reports values that are not a map", () => {
    expect(checkChartValues("kube-prometheus-stack", { prometheus: null, grafana: { persistence: { size: null } } })).toEqual([]);
    expect(checkChartValues("alloy", ["controller"])).toEqual([
      { path: [], code: "VALUES_TYPE_MISMATCH", message: "the values must be a map, got a list" },
    ]);
  });

  it("accepts the allowed template-only paths", () => {
    expect(checkChartValues("kube-prometheus-stack", {
      grafana: { persistence: { storageClassName: "nfs-client", existingClaim: "grafana" }, podAnnotations: { a: "b" } },
      prometheusOperator: { logLevel: "debug" },
    })).toEqual([]);
    expect(checkChartValues("alloy", { agent: { mode: "flow" }, ingress: { ingressClassName: "nginx" } })).toEqual([]);
  });

  it("formats paths for messages", () => {
    expect(formatValuesPath(["grafana", "grafana.ini", "server"])).toBe('grafana["grafana.ini"].server');
    expect(formatValuesPath(["alertmanager", "config", "receivers", 0, "name"])).toBe("alertmanager.config.receivers[0].name");
    expect(formatValuesPath(["kube-state-metrics", "rbac"])).toBe("kube-state-metrics.rbac");
  });
});
