import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { plaintextSecrets } from "../../src/stack/lint.ts";
import { runCli } from "../helpers/cli.ts";
import { REPO } from "./repo.ts";

const SECRET = join(REPO, "manifests/monitoring/secret.enc.yaml");

/** pipelines/ and a fresh build of it, with the repo's example Secret. */
async function built(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "river-lint-"));
  cpSync(join(REPO, "pipelines"), join(dir, "pipelines"), { recursive: true });
  mkdirSync(join(dir, "manifests/monitoring"), { recursive: true });
  cpSync(SECRET, join(dir, "manifests/monitoring/secret.enc.yaml"));
  const r = await runCli(["build"], { cwd: dir });
  expect(r.code).toBe(0);
  return dir;
}

describe.skipIf(!existsSync(SECRET))("river lint", () => {
  test("a fresh build passes", async () => {
    const dir = await built();
    const r = await runCli(["lint"], { cwd: dir });
    expect(r.out).toContain("river lint: ok");
    expect(r.code).toBe(0);
  });

  test("a hand edit of a generated file is drift, shown as a unified diff", async () => {
    const dir = await built();
    const path = join(dir, "manifests/loki/helmrelease.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace("retention_period: 168h", "retention_period: 720h"));
    const r = await runCli(["lint"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/manifests\/loki\/helmrelease\.yaml:\d+:1: manifests\/loki\/helmrelease\.yaml differs from what river build makes of pipelines\//);
    expect(r.out).toContain("--- a/manifests/loki/helmrelease.yaml");
    expect(r.out).toMatch(/^-\s+retention_period: 720h$/m);
    expect(r.out).toMatch(/^\+\s+retention_period: 168h$/m);
  });

  test("a changed pipeline without a rebuild is drift; a missing generated file too", async () => {
    const dir = await built();
    writeFileSync(join(dir, "pipelines/stack.yaml"), readFileSync(join(dir, "pipelines/stack.yaml"), "utf8").replace("loki: 10Gi", "loki: 20Gi"));
    rmSync(join(dir, "manifests/alloy/configs/httproute-alloy.yaml"));
    const r = await runCli(["lint", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const codes = (JSON.parse(r.out) as { diagnostics: { code: string; filename: string; message: string }[] }).diagnostics.filter((d) => d.code === "LINT_DRIFT");
    expect(codes.map((d) => d.filename).sort()).toEqual(["manifests/alloy/configs/httproute-alloy.yaml", "manifests/loki/helmrelease.yaml"]);
    expect(codes.find((d) => d.filename.includes("httproute"))?.message).toContain("is missing");
  });

  test("an unformatted pipeline is reported with the fix", async () => {
    const dir = await built();
    const path = join(dir, "pipelines/logs.alloy");
    writeFileSync(path, readFileSync(path, "utf8").replace('\trole = "pod"', '\trole    =    "pod"'));
    const r = await runCli(["lint", "--format", "github"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/::error file=pipelines\/logs\.alloy,line=\d+,col=1.*title=LINT_UNFORMATTED::.*river fmt -w/);
  });

  test("a missing Secret, a plaintext Secret and an inline credential each fail", async () => {
    const dir = await built();
    rmSync(join(dir, "manifests/monitoring/secret.enc.yaml"));
    writeFileSync(join(dir, "manifests/monitoring/leak.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  password: hunter2\n");
    const r = await runCli(["lint", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const ds = (JSON.parse(r.out) as { diagnostics: { code: string; filename: string; line: number }[] }).diagnostics;
    expect(ds.some((d) => d.code === "STACK_NO_SECRET")).toBe(true);
    expect(ds.filter((d) => d.code === "LINT_PLAINTEXT_SECRET").map((d) => [d.filename, d.line])).toEqual([["manifests/monitoring/leak.yaml", 1]]);
  });

  test("a plaintext credential is reported without printing it", async () => {
    const dir = await built();
    writeFileSync(join(dir, "manifests/monitoring/extra.yaml"), "grafana:\n  adminPassword: s3cr3t-value\n");
    const r = await runCli(["lint"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toContain("manifests/monitoring/extra.yaml:2:18:");
    expect(r.out).not.toContain("s3cr3t-value");
  });

  test("an age private key in any file of manifests/ fails lint", async () => {
    const dir = await built();
    writeFileSync(join(dir, "manifests/keys.txt"), "# created: today\nAGE-SECRET-KEY-1QQQQQQQQ\n");
    const r = await runCli(["lint", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const ds = (JSON.parse(r.out) as { diagnostics: { code: string; filename: string; line: number }[] }).diagnostics;
    expect(ds.filter((d) => d.code === "LINT_PLAINTEXT_SECRET").map((d) => [d.filename, d.line])).toEqual([["manifests/keys.txt", 2]]);
  });

  test("usage errors exit 2", async () => {
    const dir = await built();
    expect((await runCli(["lint", "--format", "xml"], { cwd: dir })).code).toBe(2);
    expect((await runCli(["lint", "missing-dir"], { cwd: dir })).code).toBe(2);
  });
});

describe("plaintext credential scan", () => {
  const refs = new Set(["monitoring-secrets", "grafana_admin_user", "grafana_admin_password"]);
  test("literal credentials under credential-named keys are found, with their position", () => {
    const yaml = [
      "values:",
      "  grafana:",
      "    adminPassword: prom-operator",
      "  receivers:",
      "    - pushover_configs:",
      "        - user_key: uQiRzpo4DXghDmr9QzzfQu27cmVRsG",
      "          token_file: /etc/alertmanager/secrets/x/token",
      "          token: azGDORePK8gMaC0QOYAMyEEuzJnyUi",
      "",
    ].join("\n");
    const ds = plaintextSecrets(yaml, "hr.yaml", refs);
    expect(ds.map((d) => [d.line, d.column])).toEqual([
      [3, 20],
      [6, 21],
      [8, 18],
    ]);
  });

  test("references, file paths, empty values and ciphertext are not credentials", () => {
    const yaml = [
      "admin:",
      "  existingSecret: monitoring-secrets",
      "  userKey: grafana_admin_user",
      "  passwordKey: grafana_admin_password",
      "user_key_file: /etc/alertmanager/secrets/monitoring-secrets/pushover_user_key",
      'password: ""',
      "secretAccessKey: ${S3_SECRET_ACCESS_KEY}",
      "",
    ].join("\n");
    expect(plaintextSecrets(yaml, "ok.yaml", refs)).toEqual([]);
    const sops = "token: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\nsops:\n  mac: x\n";
    expect(plaintextSecrets(sops, "sops.yaml", refs)).toEqual([]);
  });

  test("ciphertext outside a SOPS file, numbers, S3 keys, and a Secret with a fake sops block are found", () => {
    const lines = (yaml: string) => plaintextSecrets(yaml, "x.yaml", refs).map((d) => d.line);
    expect(lines("token: ENC[AES256_GCM,data:abc,iv:def,tag:ghi,type:str]\n")).toEqual([1]);
    expect(lines("adminPassword: 12345678\nsecretAccessKey: wJalrXUtnFEMI/K7MDENG\nAWS_SECRET_ACCESS_KEY: abc\n")).toEqual([1, 2, 3]);
    expect(lines("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  a: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]\n  b: plain\nsops:\n  mac: x\n")).toEqual([7]);
  });

  test("an age private key anywhere is found", () => {
    const ds = plaintextSecrets("# AGE-SECRET-KEY-1QQQQ\nfoo: bar\n", "k.yaml", refs);
    expect(ds.map((d) => d.code)).toEqual(["LINT_PLAINTEXT_SECRET"]);
  });
});

describe.skipIf(!existsSync(SECRET))("river lint runs the pipeline's unit tests", () => {
  test("the repo's pipelines/*.test.yaml pass; a pipeline change that breaks one fails lint at the test", async () => {
    const dir = await built();
    expect((await runCli(["lint"], { cwd: dir })).code).toBe(0);
    // Stop dropping kube-system health checks: the tests that expect the drop fail (and manifests/ drifts).
    const path = join(dir, "pipelines/logs.alloy");
    writeFileSync(path, readFileSync(path, "utf8").replace('action              = "drop"', 'action              = "keep"'));
    const r = await runCli(["lint", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const tests = (JSON.parse(r.out) as { diagnostics: { code: string; filename: string; message: string }[] }).diagnostics.filter((d) => d.code === "LINT_PIPELINE_TEST");
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.every((d) => d.filename === "pipelines/logs.test.yaml" && d.message.includes("npx river test pipelines/logs.test.yaml"))).toBe(true);
  });
});
