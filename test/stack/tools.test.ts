import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { findTool, run } from "../helpers/tools.ts";
import { buildRepo, REPO } from "./repo.ts";

/**
 * The generated stack checked by the real tools (Debian's packages; .ci/run installs them): promtool for the rules,
 * amtool for the Alertmanager configuration and its routes, kubectl kustomize for the trees.
 */
const promtool = findTool("promtool");
const amtool = findTool("amtool");
const kubectl = findTool("kubectl");

let files: Map<string, string>;
beforeAll(async () => {
  const result = await buildRepo();
  expect(result.ok).toBe(true);
  files = result.files;
});

function object<T>(path: string): T {
  const text = files.get(path);
  if (text === undefined) throw new Error(`not generated: ${path}`);
  return parse(text) as T;
}

describe.skipIf(promtool === undefined)("promtool", () => {
  for (const [rule, tests] of [
    ["monitoring/configs/prometheusrule-flux.yaml", "flux.test.yaml"],
    ["monitoring/configs/prometheusrule-cert-manager.yaml", "cert-manager.test.yaml"],
  ] as const) {
    test(`${rule}: check rules and the unit tests in test/stack/promtool/${tests}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "river-promtool-"));
      writeFileSync(join(dir, "rules.yaml"), stringify(object<{ spec: unknown }>(rule).spec));
      cpSync(join(REPO, "test/stack/promtool", tests), join(dir, tests));
      const check = run(promtool as string, ["check", "rules", "rules.yaml"], { cwd: dir });
      expect(check.out + check.err).toContain("SUCCESS");
      expect(check.code).toBe(0);
      const unit = run(promtool as string, ["test", "rules", tests], { cwd: dir });
      expect(unit.out + unit.err).toContain("SUCCESS");
      expect(unit.code).toBe(0);
    });
  }

  test("a broken unit test fails (the harness can fail)", () => {
    const dir = mkdtempSync(join(tmpdir(), "river-promtool-"));
    writeFileSync(join(dir, "rules.yaml"), stringify(object<{ spec: unknown }>("monitoring/configs/prometheusrule-flux.yaml").spec));
    const broken = readFileSync(join(REPO, "test/stack/promtool/flux.test.yaml"), "utf8").replace("name: loki }", "name: tempo }");
    writeFileSync(join(dir, "t.yaml"), broken);
    expect(run(promtool as string, ["test", "rules", "t.yaml"], { cwd: dir }).code).not.toBe(0);
  });
});

describe.skipIf(amtool === undefined)("amtool", () => {
  let configFile: string;
  beforeAll(() => {
    const hr = object<{ spec: { values: { alertmanager: { config: Record<string, unknown> } } } }>("monitoring/helmrelease.yaml");
    // Debian's amtool is 0.25: it predates user_key_file/token_file (0.26), so a copy with inline dummies is checked.
    const config = JSON.parse(JSON.stringify(hr.spec.values.alertmanager.config, (k, v: unknown) => {
      if (k === "pushover_configs" && Array.isArray(v)) {
        return v.map((p: Record<string, unknown>) => {
          const { user_key_file, token_file, ...rest } = p;
          expect(user_key_file).toMatch(/^\/etc\/alertmanager\/secrets\//);
          expect(token_file).toMatch(/^\/etc\/alertmanager\/secrets\//);
          return { ...rest, user_key: "dummy-user-key", token: "dummy-token" };
        });
      }
      return v;
    })) as Record<string, unknown>;
    const dir = mkdtempSync(join(tmpdir(), "river-amtool-"));
    configFile = join(dir, "alertmanager.yaml");
    writeFileSync(configFile, stringify(config));
  });

  test("check-config", () => {
    const r = run(amtool as string, ["check-config", configFile]);
    expect(r.out + r.err).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  // The design's route tree, read from design.md (not from the generator): which receiver each alert reaches.
  const EXPECTED: readonly [string, readonly string[]][] = [
    ["pushover-critical", ["alertname=KubePodCrashLooping", "severity=warning"]],
    ["pushover-critical", ["alertname=NodeFilesystemSpaceFillingUp", "severity=critical"]],
    ["pushover-critical", ["alertname=NodeMemoryHighUtilization", "severity=warning"]],
    ["pushover-critical", ["alertname=KubeNodeNotReady", "severity=warning"]],
    ["pushover-critical", ["alertname=TargetDown", "severity=warning"]],
    ["pushover-warning", ["alertname=KubeDeploymentReplicasMismatch", "severity=warning"]],
    ["pushover-warning", ["alertname=NodeFilesystemSpaceFillingUp", "severity=warning"]],
    ["pushover-warning", ["alertname=CertManagerCertExpirySoon", "severity=warning"]],
    ["pushover-warning", ["alertname=FluxReconciliationFailure", "severity=warning"]],
    ["pushover-warning", ["alertname=KubePersistentVolumeFillingUp", "severity=warning"]],
    ["pushover-warning", ["alertname=KubePersistentVolumeFillingUp", "severity=critical"]],
    ["null", ["alertname=Watchdog"]],
    ["null", ["alertname=InfoInhibitor", "severity=none"]],
    // Flux notification-controller events (Provider type alertmanager): alertname Flux<Kind><Reason>, severity error.
    // They reach the warning priority through a receiver that sends no "resolved" notification (they never resolve).
    ["pushover-events", ["alertname=FluxHelmReleaseUpgradeFailed", "severity=error", "kind=HelmRelease", "name=loki"]],
    ["pushover-events", ["alertname=FluxKustomizationReconciliationFailed", "severity=error"]],
    // Anything else by severity; info goes nowhere.
    ["pushover-critical", ["alertname=KubeAPIDown", "severity=critical"]],
    ["pushover-warning", ["alertname=KubeletTooManyPods", "severity=warning"]],
    ["null", ["alertname=KubeQuotaAlmostFull", "severity=info"]],
  ];
  for (const [receiver, labels] of EXPECTED) {
    test(`routes ${labels.join(" ")} → ${receiver}`, () => {
      const r = run(amtool as string, ["config", "routes", "test", `--config.file=${configFile}`, `--verify.receivers=${receiver}`, ...labels]);
      expect(r.out.trim()).toBe(receiver);
      expect(r.code).toBe(0);
    });
  }
});

describe.skipIf(kubectl === undefined)("kubectl kustomize", () => {
  for (const dir of ["manifests", "manifests/configs"]) {
    test(`${dir} builds (the committed tree)`, () => {
      const r = run(kubectl as string, ["kustomize", join(REPO, dir)]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const kinds = r.out.split("\n").filter((l) => l.startsWith("kind: ")).map((l) => l.slice(6));
      expect(kinds.length).toBeGreaterThan(3);
      if (dir === "manifests") expect(kinds).toEqual(expect.arrayContaining(["Namespace", "HelmRelease", "Secret", "Provider", "Alert"]));
      else expect(kinds).toEqual(expect.arrayContaining(["HTTPRoute", "PrometheusRule", "PodMonitor"]));
    });
  }
});
