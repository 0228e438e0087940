import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { CHARTS, checkChartValues, formatValuesPath, type ChartId } from "../../../src/stack/charts/index.ts";

function fixture(chart: ChartId): unknown {
  return parse(readFileSync(new URL(`fixtures/${chart}.yaml`, import.meta.url), "utf8"));
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
      message: 'unknown key "retension" under prometheus.prometheusSpec of chart kube-prometheus-stack 88.5.3\'s values; did you mean "retention"?',
      suggestion: "retention",
    }]);
  });
});
