import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { moduleReader } from "../../src/cli/files.ts";
import { runCli } from "../helpers/cli.ts";

const importing = (label: string, path: string) => `import.file "${label}" {\n  filename = "${path}"\n}\n`;

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "river-import-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** `river check` reading import.file modules from the file system. */
describe("river check: import.file", () => {
  it("reports a file importing itself, or a ring of files, at the import instead of overflowing the stack", async () => {
    const dir = workdir({ "a.alloy": importing("a", "a.alloy"), "b.alloy": importing("c", "c.alloy"), "c.alloy": importing("b", "b.alloy") });
    const self = await runCli(["check", "a.alloy"], { cwd: dir });
    expect(self).toMatchObject({ code: 1, err: "" });
    expect(self.out).toContain(`Error: a.alloy:2:14: import cycle detected: a.alloy -> a.alloy; a module can't import itself`);
    const ring = await runCli(["check", "b.alloy"], { cwd: dir });
    expect(ring).toMatchObject({ code: 1, err: "" });
    expect(ring.out).toContain(`Error: c.alloy:2:14: import cycle detected: b.alloy -> c.alloy -> b.alloy;`);
  });
  it.runIf(existsSync("/dev/zero"))("refuses a device instead of reading it forever", async () => {
    const dir = workdir({ "main.alloy": importing("z", "/dev/zero") });
    const r = await runCli(["check", "main.alloy"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`Error: main.alloy:2:14: /dev/zero is a character device, not a regular file; import.file needs a regular file`);
  });
  it("refuses a FIFO instead of waiting for a writer", async (ctx) => {
    const dir = workdir({ "main.alloy": importing("f", "pipe") });
    try {
      execFileSync("mkfifo", [join(dir, "pipe")]);
    } catch {
      ctx.skip("mkfifo is not available here");
    }
    const r = await runCli(["check", "main.alloy"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`Error: main.alloy:2:14: pipe is a FIFO, not a regular file;`);
  });

  it("reads modules with one reader for check, graph and the language server: relative to the importer, a directory opaque", () => {
    const dir = workdir({ "mod.alloy": 'declare "d" { }\n' });
    const read = moduleReader(dir);
    expect(read("mod.alloy", join(dir, "main.alloy"))).toBe('declare "d" { }\n');
    expect(read("mod.alloy", "<stdin>")).toBe('declare "d" { }\n'); // standard input's modules: the working directory
    expect(read("mod.alloy", join(dir, "sub", "main.alloy"))).toBeUndefined(); // sub/mod.alloy does not exist
    expect(read(".", join(dir, "main.alloy"))).toBeUndefined(); // a directory: an opaque import, not an error
    if (existsSync("/dev/null")) expect(read("/dev/null", "<stdin>")).toEqual({ error: "/dev/null is a character device, not a regular file" });
  });
});
