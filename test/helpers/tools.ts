import { spawnSync } from "node:child_process";

/**
 * An external program a test runs (promtool, amtool, kubectl, age), or undefined when it is not installed, after
 * saying so. CI installs them and lists them in RIVER_REQUIRE_TOOLS (space-separated), so that a missing install step
 * fails loudly there instead of skipping the integration tests.
 */
export function findTool(name: string): string | undefined {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const path = found.status === 0 ? found.stdout.trim() : "";
  if (path !== "") return path;
  if ((process.env["RIVER_REQUIRE_TOOLS"] ?? "").split(/\s+/).includes(name)) {
    throw new Error(`${name} is not installed, and RIVER_REQUIRE_TOOLS says it must be (.ci/run installs it)`);
  }
  console.warn(`skipping the tests that run ${name}: it is not installed (Debian: see .ci/run)`);
  return undefined;
}

/** Runs a program; returns its exit code and output. */
export function run(cmd: string, args: readonly string[], options: { cwd?: string; input?: string } = {}): { code: number; out: string; err: string } {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: options.cwd, input: options.input, timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout ?? "", err: r.stderr ?? "" };
}
