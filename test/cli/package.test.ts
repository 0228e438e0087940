/**
 * The built package as users get it: the main export and the `river/testing` subpath from dist/, and the `river`
 * bin end to end. dist/ is built by `npm ci` (prepare) and `npm run build`; without it these tests are skipped.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const built = existsSync(`${root}dist/index.js`);
if (!built) console.warn("skipping package tests: dist/ is not built (run `npm run build`)");

describe.skipIf(!built)("built package", () => {
  it("exports the library API from the main entry", async () => {
    const river = await import(`${root}dist/index.js`);
    for (const name of ["parse", "format", "printFile", "check", "relabel", "RiverSyntaxError"]) {
      expect(typeof river[name], name).toBe("function");
    }
    expect(river.format("a=1")).toBe("a = 1\n");
  });

  it("exports the property-testing kit as river/testing", async () => {
    const testing = await import(`${root}dist/testing/index.js`);
    for (const name of ["kubernetesPodTarget", "loadRelabelRules", "applyRules"]) expect(typeof testing[name], name).toBe("function");
  });

  it("runs the CLI through bin/river.js", () => {
    const ok = spawnSync(process.execPath, [`${root}bin/river.js`, "fmt", "--check", `${root}pipelines`], { encoding: "utf8" });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [`${root}bin/river.js`, "fmt"], { input: "a = = 1\n", encoding: "utf8" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("<stdin>:1:5: expected expression, got =\n");
    expect(bad.stdout).toBe("");
    // Standard output gets the formatted bytes as they are, non-ASCII text included.
    const src = 'a={"é"=1,"😀"=2}\n// ünïcode\nblock "x" { b=1 }\n';
    const out = spawnSync(process.execPath, [`${root}bin/river.js`, "fmt"], { input: src });
    expect(out.status).toBe(0);
    expect(out.stdout.toString("utf8")).toBe('a = {"é" = 1, "😀" = 2}\n// ünïcode\nblock "x" {\n\tb = 1\n}\n');
    // check and relabel load their implementation on demand: the built paths must resolve.
    const check = spawnSync(process.execPath, [`${root}bin/river.js`, "check", `${root}pipelines`], { encoding: "utf8" });
    expect(check.status).toBe(0);
    const target = '{"__meta_kubernetes_namespace":"web","__meta_kubernetes_pod_name":"p"}';
    const relabel = spawnSync(process.execPath, [`${root}bin/river.js`, "relabel", `${root}pipelines/logs.alloy`, "-t", target], { encoding: "utf8" });
    expect(relabel.status).toBe(0);
    expect(relabel.stdout).toContain('namespace="web"');
  });

  it("stops quietly when its reader goes away (river fmt big.alloy | head)", async () => {
    const child = spawn(process.execPath, [`${root}bin/river.js`, "fmt"], { stdio: ["pipe", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.end("a = 1\n".repeat(200_000));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
