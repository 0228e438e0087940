import { chmodSync, lstatSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

async function run(args: string[], cwd: string, stdin?: string) {
  return runCli(args, { cwd, stdin });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "river-fmt-"));
}

const UGLY = 'a=1\nbbb = "x"\nblock   "l" {\nx=[1,\n2]\n}\n';
const PRETTY = 'a   = 1\nbbb = "x"\n\nblock "l" {\n\tx = [1,\n\t\t2]\n}\n';

describe("river fmt", () => {
  it("formats standard input to standard output", async () => {
    const r = await run(["fmt"], tempDir(), UGLY);
    expect(r).toEqual({ code: 0, out: PRETTY, err: "" });
    expect((await run(["fmt", "-"], tempDir(), UGLY)).out).toBe(PRETTY);
  });

  it("prints formatted files", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.alloy"), UGLY);
    const r = await run(["fmt", "a.alloy"], dir);
    expect(r).toEqual({ code: 0, out: PRETTY, err: "" });
    expect(readFileSync(join(dir, "a.alloy"), "utf8")).toBe(UGLY);
  });

  it("--write rewrites only the files that change, recursing into directories for *.alloy", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "ugly.alloy"), UGLY);
    writeFileSync(join(dir, "sub", "pretty.alloy"), PRETTY);
    writeFileSync(join(dir, "sub", "notes.txt"), "not alloy = [");
    const before = statSync(join(dir, "sub", "pretty.alloy")).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    const r = await run(["fmt", "-w", "."], dir);
    expect(r).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(join(dir, "ugly.alloy"), "utf8")).toBe(PRETTY);
    expect(statSync(join(dir, "sub", "pretty.alloy")).mtimeMs).toBe(before);
    expect(readFileSync(join(dir, "sub", "notes.txt"), "utf8")).toBe("not alloy = [");
    expect(readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("--write keeps permissions and rewrites a symbolic link's target, not the link", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "real.alloy"), UGLY, { mode: 0o640 });
    symlinkSync("real.alloy", join(dir, "link.alloy"));
    expect((await run(["fmt", "-w", "link.alloy"], dir)).code).toBe(0);
    expect(lstatSync(join(dir, "link.alloy")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "real.alloy"), "utf8")).toBe(PRETTY);
    expect(statSync(join(dir, "real.alloy")).mode & 0o777).toBe(0o640);
  });

  it("--write reports a file it cannot write (no internal error) and goes on with the others", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.alloy"), UGLY);
    writeFileSync(join(dir, "b.alloy"), UGLY);
    // The temporary file's path is taken by a directory: writing a.alloy fails.
    mkdirSync(join(dir, `.a.alloy.river-${process.pid}.tmp`));
    const r = await run(["fmt", "-w", "."], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe("river fmt: a.alloy: cannot write: file already exists\n");
    expect(readFileSync(join(dir, "a.alloy"), "utf8")).toBe(UGLY);
    expect(readFileSync(join(dir, "b.alloy"), "utf8")).toBe(PRETTY);
  });

  it("--write rewrites a writable file in a read-only directory in place", async () => {
    const dir = tempDir();
    const ro = join(dir, "ro");
    mkdirSync(ro);
    writeFileSync(join(ro, "a.alloy"), UGLY);
    chmodSync(join(ro, "a.alloy"), 0o666);
    chmodSync(dir, 0o755);
    chmodSync(ro, 0o555);
    // root may create files anywhere: act as nobody (effective uid only, restored below) so the directory bites.
    const asRoot = process.geteuid?.() === 0;
    if (asRoot) process.seteuid?.(65534);
    let r;
    try {
      r = await run(["fmt", "-w", "ro/a.alloy"], dir);
    } finally {
      if (asRoot) process.seteuid?.(0);
    }
    expect(r).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(join(ro, "a.alloy"), "utf8")).toBe(PRETTY);
    expect(readdirSync(ro)).toEqual(["a.alloy"]);
  });

  it("--write keeps a group-writable mode whatever the umask", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.alloy"), UGLY);
    chmodSync(join(dir, "a.alloy"), 0o664);
    const old = process.umask(0o022);
    let r;
    try {
      r = await run(["fmt", "-w", "a.alloy"], dir);
    } finally {
      process.umask(old);
    }
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, "a.alloy"), "utf8")).toBe(PRETTY);
    expect(statSync(join(dir, "a.alloy")).mode & 0o777).toBe(0o664); // the umask made it 0644
  });

  it.runIf(process.geteuid?.() === 0)("--write refuses a read-only file and keeps another user's file theirs (as nobody)", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    writeFileSync(join(dir, "ro.alloy"), UGLY);
    chmodSync(join(dir, "ro.alloy"), 0o444);
    writeFileSync(join(dir, "theirs.alloy"), UGLY);
    chmodSync(join(dir, "theirs.alloy"), 0o666);
    process.seteuid?.(65534);
    let r;
    try {
      r = await run(["fmt", "-w", "ro.alloy", "theirs.alloy"], dir);
    } finally {
      process.seteuid?.(0);
    }
    // The rename used to replace the read-only file, and give both files to nobody.
    expect(r).toEqual({ code: 1, out: "", err: "river fmt: ro.alloy: cannot write: permission denied\n" });
    expect(readFileSync(join(dir, "ro.alloy"), "utf8")).toBe(UGLY);
    expect(readFileSync(join(dir, "theirs.alloy"), "utf8")).toBe(PRETTY);
    expect(statSync(join(dir, "ro.alloy")).uid).toBe(0);
    expect(statSync(join(dir, "theirs.alloy")).uid).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["ro.alloy", "theirs.alloy"]);
  });

  it("--check prints a unified diff and exits 1 for unformatted files, 0 when all are formatted", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "ugly.alloy"), UGLY);
    writeFileSync(join(dir, "pretty.alloy"), PRETTY);
    const r = await run(["fmt", "--check", "."], dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain("--- ugly.alloy (original)\n+++ ugly.alloy (formatted)\n@@ -1,6 +1,7 @@\n-a=1\n+a   = 1\n bbb = \"x\"\n-block   \"l\" {\n");
    expect(r.out).not.toContain("pretty.alloy");
    expect(readFileSync(join(dir, "ugly.alloy"), "utf8")).toBe(UGLY);
    expect((await run(["fmt", "-t", "pretty.alloy"], dir)).code).toBe(0);
  });

  it("reports syntax errors as file:line:col and never writes a file it could not parse", async () => {
    const dir = tempDir();
    const broken = "a = [1 2]\nb = = 3\n";
    writeFileSync(join(dir, "broken.alloy"), broken);
    const r = await run(["fmt", "-w", "broken.alloy"], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe("broken.alloy:1:8: missing ',' in expression list\nbroken.alloy:2:5: expected expression, got =\n");
    expect(readFileSync(join(dir, "broken.alloy"), "utf8")).toBe(broken);
  });

  it("reports invalid UTF-8 at alloy's byte column", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.alloy"), Buffer.from([0x61, 0x20, 0x3d, 0x20, 0x22, 0xc3, 0xa9, 0xff, 0x22, 0x0a]));
    const r = await run(["fmt", "bad.alloy"], dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe("bad.alloy:1:8: illegal UTF-8 encoding\n");
  });

  it("rejects bad usage with exit code 2", async () => {
    const dir = tempDir();
    expect((await run(["fmt", "-w"], dir, UGLY)).code).toBe(2);
    expect((await run(["fmt", "-w", "-t", "x.alloy"], dir)).code).toBe(2);
    symlinkSync("loop.alloy", join(dir, "loop.alloy"));
    const loop = await run(["fmt", "loop.alloy"], dir);
    expect(loop).toEqual({ code: 2, out: "", err: "river fmt: loop.alloy: too many levels of symbolic links\n" });
    const missing = await run(["fmt", "nope.alloy"], dir);
    expect(missing).toEqual({ code: 2, out: "", err: "river fmt: nope.alloy: no such file or directory\n" });
  });
});
