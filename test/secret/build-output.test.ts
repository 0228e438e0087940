/**
 * `river build` and `river lint` check the Secret without a key; a plaintext value or comment found there is reported
 * by position only: the text output's source line and caret would show it, so SOPS files get none.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const REPO = new URL("../../", import.meta.url).pathname;
const SECRET = join(REPO, "manifests/monitoring/secret.enc.yaml");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.skipIf(!existsSync(SECRET))("diagnostics about the Secret in build and lint output", () => {
  it("point at a plaintext value and a plaintext comment without showing either", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-secret-build-"));
    dirs.push(dir);
    cpSync(join(REPO, "pipelines"), join(dir, "pipelines"), { recursive: true });
    mkdirSync(join(dir, "manifests/monitoring"), { recursive: true });
    const edited = readFileSync(SECRET, "utf8")
      .replace(/( {2}pushover_user_key: ).*/, "$1hunter2-real-value")
      .replace("stringData:\n", "stringData:\n  # old token: oldsecret\n");
    writeFileSync(join(dir, "manifests/monitoring/secret.enc.yaml"), edited);
    const line = edited.split("\n").findIndex((l) => l.includes("hunter2")) + 1;
    for (const command of ["build", "lint"]) {
      const r = await runCli([command], { cwd: dir });
      expect(r.code).toBe(1);
      const output = r.out + r.err;
      expect(output).toContain(`manifests/monitoring/secret.enc.yaml:${line}:22: stringData.pushover_user_key is in plaintext`);
      expect(output).toContain("SOPS_PLAINTEXT_COMMENT");
      expect(output).not.toMatch(/hunter2|oldsecret/);
    }
  });
});
