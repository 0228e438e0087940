/**
 * `river test` and `river process` from the command line: output, exit codes, JUnit XML, positioned errors.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "river-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("river test", () => {
  it("passes the repository's pipeline tests", async () => {
    const r = await runCli(["test", "pipelines/"]);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^ok {3}pipelines\/logs\.test\.yaml › kube-system probe requests are dropped \(/m);
    expect(r.out).toMatch(/^7 passed, 0 failed\n$/m);
    expect(r.code).toBe(0);
  });

  it("prints one line per test, a diff for a failure and the summary, and exits 1", async () => {
    const r = await runCli(["test", "chain-tests.yaml"], { cwd: fixtures });
    expect(r.code).toBe(1);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^ok {3}chain-tests\.yaml › keeps info lines, labelled by level \(\d+\.\d ms\)$/);
    expect(lines[1]).toMatch(/^FAIL chain-tests\.yaml › a wrong expectation \(/);
    expect(lines[2]).toBe('  chain-tests.yaml:27:11: no output entry matches {"line":"level=warn msg=\\"careful\\"","labels":{"level":"error"}}');
    expect(r.out).toContain('    -{"line":"level=warn msg=\\"careful\\"","labels":{"level":"error"}}\n');
    expect(r.out).toContain('    +{"line":"level=warn msg=\\"careful\\"","labels":{"app":"web","level":"warn"}}\n');
    expect(lines.at(-2)).toBe("1 passed, 1 failed");
  });

  it("writes JUnit XML with --junit", async () => {
    const out = join(scratch, "junit.xml");
    const r = await runCli(["test", "--junit", out, "chain-tests.yaml"], { cwd: fixtures });
    expect(r.code).toBe(1);
    const xml = readFileSync(out, "utf8");
    expect(xml).toContain('<testsuite name="chain-tests.yaml" tests="2" failures="1"');
    expect(xml).toContain('<testcase name="keeps info lines, labelled by level" classname="chain-tests.yaml"');
    expect(xml).toMatch(/<failure message="chain-tests\.yaml:27:11: no output entry matches \{&quot;line&quot;/);
  });

  it("reports a broken test file at the YAML node at fault, and runs none of its tests", async () => {
    const r = await runCli(["test", "broken-tests.yaml"], { cwd: fixtures });
    expect(r.code).toBe(1);
    expect(r.err).toBe('broken-tests.yaml:11:17: unknown assertion type "cuont" (expected count, contains, equals or dropped)\n');
    expect(r.out).toBe("0 passed, 0 failed, 1 file with problems\n");
  });

  it("exits 1 when it finds no test files, and names a missing path", async () => {
    const none = await runCli(["test", "src/process"]);
    expect(none.code).toBe(1);
    expect(none.err).toBe("river test: no *.test.yaml files found in src/process\n");
    const missing = await runCli(["test", "nope/", "pipelines/"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe("river test: nope/: no such file or directory\n");
  });

  it("walks directories as the other commands do: a symbolic link loop or a device is reported, not an internal error", async () => {
    const dir = mkdtempSync(join(scratch, "walk-"));
    mkdirSync(join(dir, "sub"));
    symlinkSync("..", join(dir, "sub", "loop"));
    symlinkSync("/dev/null", join(dir, "null.test.yaml"));
    copyFileSync(join(fixtures, "chain-tests.yaml"), join(dir, "sub", "chain-tests.yaml"));
    copyFileSync(join(fixtures, "chain.alloy"), join(dir, "sub", "chain.alloy"));
    writeFileSync(join(dir, "sub", "a.test.yaml"), readFileSync(join(fixtures, "chain-tests.yaml"), "utf8"));
    const r = await runCli(["test", "."], { cwd: dir });
    expect(r.err).toBe("river test: null.test.yaml: not a regular file, skipped\nriver test: sub/loop: symbolic link loop (leads back to .), skipped\n");
    expect(r.out).toMatch(/^ok {3}sub\/a\.test\.yaml › keeps info lines/m);
    expect(r.out).toMatch(/^1 passed, 1 failed\n$/m);
    expect(r.code).toBe(1);
    const device = await runCli(["test", "/dev/null"], { cwd: dir });
    expect(device.err).toContain("river test: /dev/null: not a regular file, a pipe or a directory\n");
    expect(device.code).toBe(1);
  });
});

describe("river process", () => {
  it("runs entries through a chain and says what was dropped where", async () => {
    const r = await runCli(["process", "chain.alloy", "--now", "2025-01-01T00:00:00Z", "-l", "level=info msg=hi", "-l", "level=debug msg=x", "--labels", '{"filename":"/a.log","app":"web"}'], { cwd: fixtures });
    expect(r.err).toBe("");
    expect(r.out).toBe(
      [
        '2025-01-01T00:00:00Z {app="web", level="info"} "level=info msg=hi"',
        "entry 2 dropped by loki.process.parse > stage.drop[3]: debug_noise (source equals \"debug\")",
        "1 entry out, 1 dropped",
        "",
      ].join("\n"),
    );
    expect(r.code).toBe(0);
  });

  it("shows each stage's effect with --trace", async () => {
    const r = await runCli(["process", "chain.alloy", "--now", "2025-01-01T00:00:00Z", "-e", '{"line":"level=info msg=hi","labels":{"filename":"/a.log"}}', "--trace"], { cwd: fixtures });
    expect(r.code).toBe(0);
    expect(r.out.split("\n").slice(0, 5)).toEqual([
      'entry 1: {filename="/a.log"} "level=info msg=hi"',
      '  loki.process.parse > stage.logfmt[1]  +extracted level="info", +extracted msg="hi"',
      '  loki.process.parse > stage.labels[2]  +label level="info"',
      "  loki.process.parse > stage.drop[3]    unchanged",
      "  loki.relabel.tidy                     -label filename",
    ]);
  });

  it("starts from discovered targets: each entry enters once per target, and the trace says so", async () => {
    const target = (ns: string) => JSON.stringify({ __meta_kubernetes_namespace: ns, __meta_kubernetes_pod_name: "p", __meta_kubernetes_pod_container_name: "c", __meta_kubernetes_pod_uid: "u" });
    const r = await runCli(["process", "pipelines/logs.alloy", "-c", "loki.source.file.pod_logs", "-t", target("kube-system"), "-t", target("default"), "-l", "2025-03-01T10:00:00Z stdout F GET /livez", "--trace", "--now", "2025-03-01T12:00:00Z"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('entry 1: {container="c", filename="/var/log/pods/*u/c/*.log", namespace="kube-system", pod="p"} "2025-03-01T10:00:00Z stdout F GET /livez"\n');
    expect(r.out).toContain('entry 2: {container="c", filename="/var/log/pods/*u/c/*.log", namespace="default", pod="p"}');
    expect(r.out).toContain("entry 1 dropped by loki.process.pod_logs > stage.match[2]: kube_system_health_check\n1 entry out, 1 dropped\n");
  });

  it("says which entries a stage still holds at the end (a partial CRI line), instead of losing them from the count", async () => {
    const r = await runCli(["process", "pipelines/logs.alloy", "-c", "loki.process.pod_logs", "--now", "2025-01-01T00:00:00Z", "-l", "2025-01-01T00:00:00Z stdout P abc"]);
    expect(r.out).toBe("entry 1 held by loki.process.pod_logs > stage.cri[1]: still held at the end of the input: Alloy keeps a partial line until its stream's next full line\n0 entries out, 0 dropped, 1 held\n");
    expect(r.code).toBe(0);
  });

  it("simulates a file of bare stage blocks, with --json", async () => {
    const r = await runCli(["process", "stages.alloy", "--json", "--now", "2025-01-01T00:00:00Z", "-l", "GET /x"], { cwd: fixtures });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ entries: [{ line: "GET /x", labels: { verb: "GET" }, timestamp: "2025-01-01T00:00:00Z", structured_metadata: {} }], dropped: 0, drops: [] });
  });

  it("reports config and input errors with their position, exit 1", async () => {
    const bad = await runCli(["process", "chain.alloy", "-c", "loki.process.nope", "-l", "x"], { cwd: fixtures });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^chain\.alloy:1:1: no component loki\.process\.nope in the config \(log components: loki\.process\.parse, loki\.relabel\.tidy, loki\.write\.default\)\n$/);
    const noEntries = await runCli(["process", "chain.alloy"], { cwd: fixtures });
    expect(noEntries.code).toBe(1);
    expect(noEntries.err).toBe("no entries: give some with --line, --entry or --entries\n");
    const badTime = await runCli(["process", "chain.alloy", "-e", '{"line":"x","timestamp":"soon"}'], { cwd: fixtures });
    expect(badTime.code).toBe(1);
    expect(badTime.err).toMatch(/^entry 1: timestamp: parsing time "soon"/);
  });
});
