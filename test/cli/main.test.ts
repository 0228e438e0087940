import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { fakeIO } from "../helpers/cli.ts";

describe("river (no command)", () => {
  it("prints its version", async () => {
    const io = fakeIO();
    expect(await main(["node", "river", "--version"], io)).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(io.out).toBe(`${pkg.version}\n`);
  });

  it("lists the commands in --help and rejects unknown ones with exit code 2", async () => {
    const help = fakeIO();
    expect(await main(["node", "river", "--help"], help)).toBe(0);
    for (const cmd of ["fmt", "check", "relabel"]) expect(help.out).toContain(`  ${cmd} `);
    const bad = fakeIO();
    expect(await main(["node", "river", "nope"], bad)).toBe(2);
    expect(bad.err).toContain("unknown command 'nope'");
  });
});
