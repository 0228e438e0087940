/**
 * The built package as users get it: the main export and the `river/testing` subpath, and the `river` bin end to
 * end. Built afresh into a temporary directory by the compiler, with bin/ and package.json beside it, so that what is
 * tested is the current source, never a stale dist/ (nor is the dist/ that `bin/river.js` here runs touched).
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const pkg = mkdtempSync(join(tmpdir(), "river-package-"));
/** The fresh package, as a directory path ending in a separator. */
const root = `${pkg}/`;

beforeAll(() => {
  const tsc = spawnSync(process.execPath, [`${repo}node_modules/typescript/bin/tsc`, "-p", `${repo}tsconfig.build.json`, "--outDir", `${root}dist`], { encoding: "utf8" });
  if (tsc.status !== 0) throw new Error(`the package does not build (tsc exit ${tsc.status}):\n${tsc.stdout}${tsc.stderr}`);
  cpSync(`${repo}bin`, `${root}bin`, { recursive: true });
  cpSync(`${repo}package.json`, `${root}package.json`);
  symlinkSync(`${repo}node_modules`, `${root}node_modules`, "dir");
});
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

describe("built package", () => {
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
    const ok = spawnSync(process.execPath, [`${root}bin/river.js`, "fmt", "--check", `${repo}pipelines`], { encoding: "utf8" });
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
    const check = spawnSync(process.execPath, [`${root}bin/river.js`, "check", `${repo}pipelines`], { encoding: "utf8" });
    expect(check.status).toBe(0);
    const target = '{"__meta_kubernetes_namespace":"web","__meta_kubernetes_pod_name":"p"}';
    const relabel = spawnSync(process.execPath, [`${root}bin/river.js`, "relabel", `${repo}pipelines/logs.alloy`, "-t", target], { encoding: "utf8" });
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
