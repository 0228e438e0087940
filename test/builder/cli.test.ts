import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const pipeline = readFileSync(new URL("../../pipelines/logs.alloy", import.meta.url), "utf8");

describe("river import", () => {
  it("prints a module that uses the typed constructors and exports", async () => {
    const { code, out, err } = await runCli(["import", "pipelines/logs.alloy"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toMatch(/^import \{ Config, [^}]*\} from "river\/builder";\n/);
    expect(out).toContain(`const kubernetes_pods = config.discovery.kubernetes("pods", {`);
    expect(out).toContain("targets: kubernetes_pods.targets");
    // loki.source.file forwards to loki.process, which comes later: its props are a function.
    expect(out).toMatch(/config\.loki\.source\.file\("pod_logs", \(\) => \(\{[^)]*forward_to: \[process_pod_logs\.receiver\]/);
    // The file's opening comments, set apart by a blank line, become the config's header.
    expect(out).toContain(`const config = new Config({\n  comment: [\n    "// Container logs of this node's pods`);
    expect(out).toContain(`annotate(\n      { regex: "__meta_.*", action: "labeldrop" },\n      { comment: ["// Discovery metadata is not needed past this point."] },\n    )`);
    expect(out.endsWith("export default config;\n")).toBe(true);
  });

  it("reads standard input, writes -o, and takes --from", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-import-"));
    const { code } = await runCli(["import", "-", "-o", join(dir, "out.ts"), "--from", "../src/builder/index.ts"], { stdin: pipeline });
    expect(code).toBe(0);
    expect(readFileSync(join(dir, "out.ts"), "utf8")).toMatch(/^import \{ Config, [^}]*\} from "\.\.\/src\/builder\/index\.ts";\n/);
  });

  it("reports syntax errors and layouts it cannot express with file:line:col, exit 1", async () => {
    const bad = await runCli(["import", "-"], { stdin: "a = [1,\n" });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^<stdin>:\d+:\d+: /);
    const escaped = await runCli(["import", "-"], { stdin: 'a = {"x\\ty" = 1}\n' });
    expect(escaped.code).toBe(1);
    expect(escaped.err).toBe("<stdin>:1:6: the builder writes no object key with escapes (alloy fmt escapes them again); this key has some\n");
    const missing = await runCli(["import", "missing.alloy"]);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe("river import: missing.alloy: no such file or directory\n");
  });
});

describe("river import's output type-checks", () => {
  it("is test/fixtures/pipelines/logs.imported.ts for pipelines/logs.alloy (which tsc compiles in npm test)", async () => {
    const { code, out } = await runCli(["import", "pipelines/logs.alloy", "--from", "../../../src/builder/index.ts"]);
    expect(code).toBe(0);
    expect(out).toBe(readFileSync(new URL("../fixtures/pipelines/logs.imported.ts", import.meta.url), "utf8"));
  });
});
