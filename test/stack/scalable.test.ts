/**
 * The scalable profile: the repo's pipelines/ built with `--profile scalable` (and the object storage options of
 * test/stack/scalable/stack.scalable.yaml) is the golden tree test/golden/stack/scalable/ file for file; it passes
 * the same real tools as the homelab (promtool, amtool, kubectl kustomize) and `river lint`; and every check the
 * profile adds fails on a stack that breaks it. `UPDATE_GOLDEN=1 npx vitest run test/stack/scalable.test.ts` rewrites
 * the golden tree (review the diff: it is what users get).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parse, stringify } from "yaml";
import { readBuildInput } from "../../src/cli/stack-io.ts";
import { buildStack, type BuildInput, type BuildResult } from "../../src/stack/build.ts";
import { alloyOverlay, clusteredComponents } from "../../src/stack/generate/scalable.ts";
import { generateStack, type KubeObject } from "../../src/stack/generate/index.ts";
import { renderManifest } from "../../src/stack/emit.ts";
import { DEFAULT_OPTIONS, mergeDeep, type StackOptions } from "../../src/stack/options.ts";
import { validateStack } from "../../src/stack/validate.ts";
import { sopsConfigYaml } from "../../src/secret/config.ts";
import { main } from "../../src/cli/main.ts";
import { fakeIO, runCli } from "../helpers/cli.ts";
import { findTool, run } from "../helpers/tools.ts";
import { REPO } from "./repo.ts";

const GOLDEN = join(REPO, "test/golden/stack/scalable");
const EXTRA_OPTIONS = readFileSync(join(REPO, "test/stack/scalable/stack.scalable.yaml"), "utf8");
const update = process.env["UPDATE_GOLDEN"] === "1";

/** pipelines/ as river build reads it, with the scalable options appended to stack.yaml and an empty output tree. */
async function scalableInput(extra = "", profile: BuildInput["profile"] = "scalable"): Promise<BuildInput> {
  const input = await readBuildInput("pipelines", "manifests", REPO);
  const stack = input.stack as { filename: string; text: string };
  return { ...input, stack: { ...stack, text: stack.text + EXTRA_OPTIONS + extra }, existing: new Map(), ...(profile ? { profile } : {}) };
}

function errors(result: BuildResult): string[] {
  return result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.filename}:${d.line}:${d.column}: [${d.code}] ${d.message}`);
}

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

let built: BuildResult;
beforeAll(async () => {
  built = await buildStack(await scalableInput());
  if (update && built.ok) {
    rmSync(GOLDEN, { recursive: true, force: true });
    for (const [path, text] of built.files) {
      mkdirSync(dirname(join(GOLDEN, path)), { recursive: true });
      writeFileSync(join(GOLDEN, path), text);
    }
  }
});

describe("river build --profile scalable", () => {
  test("builds with no error (only the warning that the Secret is not there yet, naming the S3 keys)", () => {
    expect(errors(built)).toEqual([]);
    expect(built.ok).toBe(true);
    const warnings = built.diagnostics.map((d) => d.code);
    expect(warnings).toEqual(["STACK_NO_SECRET"]);
    expect(built.diagnostics[0]?.message).toContain("s3_access_key_id, s3_secret_access_key");
  });

  test("is the golden tree test/golden/stack/scalable/, file for file", () => {
    expect([...built.files.keys()].sort()).toEqual(listTree(GOLDEN));
    for (const [path, text] of built.files) expect(text, path).toBe(readFileSync(join(GOLDEN, path), "utf8"));
  });

  test("is deterministic", async () => {
    const again = await buildStack(await scalableInput());
    expect(again.files).toEqual(built.files);
  });

  test("profile: scalable in stack.yaml is the same as --profile scalable", async () => {
    const fromYaml = await buildStack(await scalableInput("profile: scalable\n", undefined));
    expect(fromYaml.files).toEqual(built.files);
  });

  test("adds thanos/ and the loki push Service; the homelab's tree has neither", async () => {
    const homelab = await buildStack(await scalableInput("", "homelab"));
    expect(homelab.ok).toBe(true);
    const added = [...built.files.keys()].filter((p) => !homelab.files.has(p)).sort();
    expect(added).toEqual(["loki/service-loki.yaml", "monitoring/configs/prometheusrule-thanos.yaml", "thanos/helmrelease.yaml", "thanos/kustomization.yaml", "thanos/ocirepository.yaml"]);
    expect([...homelab.files.keys()].filter((p) => !built.files.has(p))).toEqual([]);
  });

  test("no plaintext credential: the S3 keys are secretKeyRefs to the SOPS Secret and ${VAR} references", () => {
    const all = [...built.files.values()].join("\n");
    expect(all).not.toMatch(/access_key:|secret_key:/);
    const loki = parse(built.files.get("loki/helmrelease.yaml") as string) as { spec: { values: { loki: { storage: { s3: Record<string, unknown> } } } } };
    expect(loki.spec.values.loki.storage.s3["secretAccessKey"]).toBe("${S3_SECRET_ACCESS_KEY}");
    expect(all.match(/key: s3_secret_access_key/g)?.length).toBe(4); // Loki, the sidecar, Store Gateway, Compact
  });

  test("Grafana's Prometheus datasource is Thanos Query; Loki's is the gateway; the sidecars are found by DNS SRV", () => {
    const kps = parse(built.files.get("monitoring/helmrelease.yaml") as string) as { spec: { values: Record<string, any> } };
    expect(kps.spec.values["grafana"].sidecar.datasources.url).toBe("http://thanos-query.monitoring.svc:10902/");
    expect(built.files.get("loki/grafana-datasource.yaml")).toContain("url: http://loki-gateway.monitoring.svc:80");
    expect(built.files.get("thanos/helmrelease.yaml")).toContain("dnssrv+_grpc._tcp.kube-prometheus-stack-thanos-discovery.monitoring.svc.cluster.local");
  });
});

describe("the scalable profile follows renamed Services", () => {
  test("Thanos Query renamed, the sidecar port renamed: Grafana's datasource and Query's DNS SRV address follow", async () => {
    const extra = "values:\n  thanos:\n    fullnameOverride: metrics\n  kube-prometheus-stack:\n    prometheus:\n      thanosService:\n        portName: thanos-grpc\n";
    const result = await buildStack(await scalableInput(extra));
    expect(errors(result)).toEqual([]);
    const kps = parse(result.files.get("monitoring/helmrelease.yaml") as string) as { spec: { values: Record<string, any> } };
    expect(kps.spec.values["grafana"].sidecar.datasources.url).toBe("http://metrics-query.monitoring.svc:10902/");
    expect(result.files.get("thanos/helmrelease.yaml")).toContain("dnssrv+_thanos-grpc._tcp.");
  });
});

describe("the scalable profile's checks fail on a broken stack", () => {
  test.each([
    [
      "a misspelt thanos value, at its place in stack.yaml",
      "values:\n  thanos:\n    query:\n      replica: 3\n",
      /pipelines\/stack\.yaml:\d+:7: \[UNKNOWN_VALUES_KEY\] values for thanos 1\.24\.1: unknown key "replica" under query; did you mean "replicas"\?/,
    ],
    [
      "the loki gateway switched off: the push Service would select no pod",
      "values:\n  loki:\n    gateway:\n      enabled: false\n",
      /pipelines\/stack\.yaml:\d+:7: \[STACK_SERVICE_REF\] the scalable profile sends pushes and Grafana's queries through the loki chart's gateway/,
    ],
    [
      "the thanos chart's ServiceMonitors off: nothing scrapes what ThanosCompactHalted reads",
      "values:\n  thanos:\n    serviceMonitor:\n      enabled: false\n",
      /prometheusrule-thanos\.yaml:\d+:\d+: \[STACK_METRIC_SOURCE\] ThanosCompactHalted: nothing the stack scrapes exports the metric "thanos_compact_halted"/,
    ],
    [
      "a secretKeyRef to a key the Secret is not required to hold",
      "values:\n  thanos:\n    query:\n      extraEnv:\n        - name: TOKEN\n          valueFrom:\n            secretKeyRef: { name: monitoring-secrets, key: query_token }\n",
      /thanos\/helmrelease\.yaml:\d+:\d+: \[STACK_SECRET_REF\] a secretKeyRef to monitoring-secrets\/query_token, which is not a key the stack's Secret monitoring-secrets must hold/,
    ],
  ])("%s", async (_what, extra, expected) => {
    const result = await buildStack(await scalableInput(extra));
    expect(result.ok).toBe(false);
    expect(errors(result).join("\n")).toMatch(expected);
  });

  test("options checked against the profile: endpoint required, separate buckets, block storage", async () => {
    const input = await readBuildInput("pipelines", "manifests", REPO);
    const stack = input.stack as { filename: string; text: string };
    const with_ = async (text: string) => errors(await buildStack({ ...input, existing: new Map(), profile: "scalable", stack: { ...stack, text: stack.text + text } })).join("\n");
    expect(await with_("")).toMatch(/pipelines\/stack\.yaml:\d+:1: \[STACK_OBJECT_STORAGE\] .*set scalable\.objectStorage\.endpoint/);
    expect(await with_("scalable:\n  storageClass: ceph-rbd\n  objectStorage:\n    endpoint: s3.example.org\n    buckets: { thanos: loki-chunks }\n")).toMatch(
      /stack\.yaml:\d+:\d+: \[STACK_OBJECT_STORAGE\] the Thanos bucket "loki-chunks" is also one of Loki's/,
    );
    expect(await with_("scalable:\n  storageClass: nfs-client\n  objectStorage:\n    endpoint: s3.example.org\n")).toMatch(/\[STACK_BLOCK_STORAGE\] scalable\.storageClass is "nfs-client", the homelab's storageClass: Prometheus' TSDB is not supported on NFS/);
    expect(await with_("scalable:\n  storageClass: ceph-rbd\n  objectStorage:\n    endpoint: https://s3.example.org\n")).toMatch(/an S3 endpoint host\[:port\] without a scheme/);
    expect(await with_("scalable:\n  storageClass: ceph-rbd\n  objectStorage:\n    endpoint: s3.example.org\n  replicas:\n    lokiWrite: 2\n")).toMatch(/stack\.yaml:\d+:16: \[\w+\] "scalable\.replicas\.lokiWrite" must be between 3 and 100, not 2/);
  });

  test("values.thanos with the homelab profile is refused at its place", async () => {
    const result = await buildStack(await scalableInput("values:\n  thanos:\n    query:\n      replicas: 3\n", "homelab"));
    expect(errors(result).join("\n")).toMatch(/pipelines\/stack\.yaml:\d+:\d+: \[STACK_PROFILE\] values\.thanos is for the thanos release, which only the scalable profile installs/);
  });

  test("river build --profile scalable writes the scalable tree; without the flag the same directory builds the homelab", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-profile-"));
    cpSync(join(REPO, "pipelines"), join(dir, "pipelines"), { recursive: true });
    writeFileSync(join(dir, "pipelines/stack.yaml"), readFileSync(join(dir, "pipelines/stack.yaml"), "utf8") + EXTRA_OPTIONS);
    let r = await runCli(["build", "--profile", "scalable"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain("created   manifests/thanos/helmrelease.yaml");
    for (const [path, text] of built.files) expect(readFileSync(join(dir, "manifests", path), "utf8"), path).toBe(text);
    r = await runCli(["build"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.out).toContain("removed   manifests/thanos/helmrelease.yaml");
    expect(existsSync(join(dir, "manifests/thanos"))).toBe(false);
  }, 30_000);

  test("an unknown profile in stack.yaml or on the command line", async () => {
    const result = await buildStack(await scalableInput("profile: scaleable\n", undefined));
    expect(errors(result).join("\n")).toMatch(/stack\.yaml:\d+:\d+: .*"profile" must be one of "homelab", "scalable", not "scaleable"; did you mean "scalable"\?/);
    const dir = mkdtempSync(join(tmpdir(), "river-profile-"));
    const r = await runCli(["build", "--profile", "huge"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toContain('--profile must be one of homelab, scalable, not "huge"');
  });
});

describe("the push Service is checked against the loki chart's gateway", () => {
  const options = mergeDeep(DEFAULT_OPTIONS, { profile: "scalable", scalable: { storageClass: "longhorn", objectStorage: { endpoint: "s3.example.org" } } }) as StackOptions;
  const pipeline = { river: "", stabilityLevel: "generally-available" as const, mounts: { varlog: true, dockercontainers: false } };

  async function problems(edit: (service: { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } }) => void): Promise<string[]> {
    const stack = generateStack({ options, pipeline, secretPresent: false });
    const file = stack.files.find((f) => f.path === "loki/service-loki.yaml") as { object: KubeObject };
    edit(file.object as unknown as { spec: { selector: Record<string, string>; ports: { targetPort: string }[] } });
    const rendered = new Map(stack.files.map((f) => [f.path, renderManifest(f, "pipelines/")]));
    const ds = await validateStack(stack, { options, outLabel: "manifests/", rendered, userFiles: new Set() });
    return ds.map((d) => `${d.filename}:${d.line}: [${d.code}] ${d.message}`);
  }

  test("as generated: no problem", async () => {
    expect(await problems(() => {})).toEqual([]);
  });

  test("a selector that is not the gateway's pod labels, or another target port, is an error at the field", async () => {
    expect(await problems((s) => (s.spec.selector["app.kubernetes.io/component"] = "write"))).toEqual([
      expect.stringMatching(/^manifests\/loki\/service-loki\.yaml:\d+: \[STACK_SERVICE_REF\] the push Service selects .*"write".*, but the loki chart's gateway pods are labelled .*"gateway"/),
    ]);
    expect(await problems((s) => ((s.spec.ports[0] as { targetPort: string }).targetPort = "http-metrics"))).toEqual([
      expect.stringMatching(/\[STACK_SERVICE_REF\] the push Service targets port http-metrics, but the gateway container's port is named "http"/),
    ]);
  });
});

describe("Alloy clustering follows the pipeline", () => {
  test("on only when a component can share its targets", () => {
    const local = 'loki.source.file "pods" {\n\ttargets    = []\n\tforward_to = []\n}\n';
    const scrape = 'prometheus.scrape "pods" {\n\ttargets    = []\n\tforward_to = []\n\tclustering {\n\t\tenabled = true\n\t}\n}\n';
    expect(clusteredComponents(local)).toEqual([]);
    expect(alloyOverlay(local)).toEqual({});
    expect(clusteredComponents(local + scrape)).toEqual(["prometheus.scrape"]);
    expect(alloyOverlay(scrape)).toEqual({ alloy: { clustering: { enabled: true } } });
  });
});

// The real tools, on the golden tree.
const promtool = findTool("promtool");
const amtool = findTool("amtool");
const kubectl = findTool("kubectl");

describe.skipIf(promtool === undefined)("promtool on the scalable tree", () => {
  const rulesDir = (rule: string) => {
    const dir = mkdtempSync(join(tmpdir(), "river-promtool-"));
    writeFileSync(join(dir, "rules.yaml"), stringify((parse(readFileSync(join(GOLDEN, rule), "utf8")) as { spec: unknown }).spec));
    return dir;
  };
  for (const rule of ["monitoring/configs/prometheusrule-flux.yaml", "monitoring/configs/prometheusrule-cert-manager.yaml", "monitoring/configs/prometheusrule-thanos.yaml"]) {
    test(`${rule}: check rules`, () => {
      const r = run(promtool as string, ["check", "rules", "rules.yaml"], { cwd: rulesDir(rule) });
      expect(r.out + r.err).toContain("SUCCESS");
      expect(r.code).toBe(0);
    });
  }

  test("the Thanos rules pass their unit tests (test/stack/promtool/thanos.test.yaml), and a broken test fails", () => {
    const dir = rulesDir("monitoring/configs/prometheusrule-thanos.yaml");
    const tests = readFileSync(join(REPO, "test/stack/promtool/thanos.test.yaml"), "utf8");
    writeFileSync(join(dir, "thanos.test.yaml"), tests);
    const r = run(promtool as string, ["test", "rules", "thanos.test.yaml"], { cwd: dir });
    expect(r.out + r.err).toContain("SUCCESS");
    expect(r.code).toBe(0);
    writeFileSync(join(dir, "broken.test.yaml"), tests.replace("pod: thanos-compact-0 }", "pod: thanos-compact-1 }"));
    expect(run(promtool as string, ["test", "rules", "broken.test.yaml"], { cwd: dir }).code).not.toBe(0);
  });
});

describe.skipIf(amtool === undefined)("amtool on the scalable tree", () => {
  test("check-config (the clustered Alertmanager's configuration)", () => {
    const hr = parse(readFileSync(join(GOLDEN, "monitoring/helmrelease.yaml"), "utf8")) as { spec: { values: { alertmanager: { config: unknown; alertmanagerSpec: { replicas: number } } } } };
    expect(hr.spec.values.alertmanager.alertmanagerSpec.replicas).toBeGreaterThanOrEqual(2);
    // Debian's amtool 0.25 predates user_key_file/token_file (as in tools.test.ts): dummies replace them.
    const config = JSON.parse(JSON.stringify(hr.spec.values.alertmanager.config, (k, v: unknown) => {
      if (k !== "pushover_configs" || !Array.isArray(v)) return v;
      return v.map((p: Record<string, unknown>) => {
        const { user_key_file: _u, token_file: _t, ...rest } = p;
        return { ...rest, user_key: "dummy", token: "dummy" };
      });
    })) as unknown;
    const dir = mkdtempSync(join(tmpdir(), "river-amtool-"));
    writeFileSync(join(dir, "alertmanager.yaml"), stringify(config));
    const r = run(amtool as string, ["check-config", join(dir, "alertmanager.yaml")]);
    expect(r.out + r.err).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });
});

describe.skipIf(kubectl === undefined)("kubectl kustomize on the scalable tree", () => {
  for (const sub of ["", "configs"]) {
    test(`${sub || "."} builds`, () => {
      const r = run(kubectl as string, ["kustomize", join(GOLDEN, sub)]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      const kinds = r.out.split("\n").filter((l) => l.startsWith("kind: ")).map((l) => l.slice(6));
      if (sub === "") {
        expect(kinds.filter((k) => k === "HelmRelease").length).toBe(4);
        expect(kinds).toEqual(expect.arrayContaining(["Service", "OCIRepository", "HelmRepository", "Namespace"]));
      } else expect(kinds).toEqual(expect.arrayContaining(["HTTPRoute", "PrometheusRule", "PodMonitor"]));
    });
  }
});

// river lint on a repository built with the scalable profile, with a Secret that holds the S3 keys too.
const SECRET = join(REPO, "manifests/monitoring/secret.enc.yaml");
const KEY_FILE = join(REPO, "test/fixtures/sops/example.agekey");

describe.skipIf(!existsSync(SECRET))("river lint on a scalable repository", () => {
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "river-scalable-lint-"));
    cpSync(join(REPO, "pipelines"), join(dir, "pipelines"), { recursive: true });
    writeFileSync(join(dir, "pipelines/stack.yaml"), readFileSync(join(dir, "pipelines/stack.yaml"), "utf8") + EXTRA_OPTIONS + "profile: scalable\n");
    mkdirSync(join(dir, "manifests/monitoring"), { recursive: true });
    cpSync(SECRET, join(dir, "manifests/monitoring/secret.enc.yaml"));
    const recipient = /public key: (age1\w+)/.exec(readFileSync(KEY_FILE, "utf8"))?.[1] as string;
    writeFileSync(join(dir, "manifests/.sops.yaml"), sopsConfigYaml([recipient]));
    // `river secret set` takes the S3 keys once stack.yaml says profile: scalable (it reads the stack's keys).
    for (const [key, value] of [["s3_access_key_id", "AKIAEXAMPLE"], ["s3_secret_access_key", "example-secret-value"]] as const) {
      const io = Object.assign(fakeIO(dir), { env: { SOPS_AGE_KEY_FILE: KEY_FILE, VALUE: value } });
      const code = await main(["node", "river", "secret", "set", key, "--from-env", "VALUE"], io);
      expect(io.err).not.toMatch(/error|unknown key/i);
      expect(code).toBe(0);
    }
    const r = await runCli(["build"], { cwd: dir });
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
  }, 30_000);

  test("a fresh build lints clean, and holds no plaintext S3 credential", async () => {
    const r = await runCli(["lint"], { cwd: dir });
    expect(r.out).toContain("river lint: ok");
    expect(r.code).toBe(0);
    const tree = listTree(join(dir, "manifests")).map((p) => readFileSync(join(dir, "manifests", p), "utf8")).join("\n");
    expect(tree).not.toContain("example-secret-value");
    expect(tree).not.toContain("AKIAEXAMPLE");
  });

  test("linted as the homelab it is drift (the profile is part of what is checked)", async () => {
    const r = await runCli(["lint", "--profile", "homelab", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const drift = (JSON.parse(r.out) as { diagnostics: { code: string; filename: string }[] }).diagnostics.filter((d) => d.code === "LINT_DRIFT").map((d) => d.filename);
    expect(drift).toEqual(expect.arrayContaining(["manifests/thanos/helmrelease.yaml", "manifests/loki/service-loki.yaml", "manifests/loki/helmrelease.yaml"]));
  });

  test("a Secret without the S3 keys is an error naming them", async () => {
    const other = mkdtempSync(join(tmpdir(), "river-scalable-lint-"));
    cpSync(dir, other, { recursive: true });
    cpSync(SECRET, join(other, "manifests/monitoring/secret.enc.yaml"));
    const r = await runCli(["lint"], { cwd: other });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/s3_access_key_id/);
  });
});
