import { execFileSync, spawn } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandPaths } from "../../src/cli/files.ts";
import { runCli } from "../helpers/cli.ts";

const UGLY = "a=1\n";
const PRETTY = "a = 1\n";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "river-inputs-"));
}

/** A tree with every kind of entry the walker has a rule for. */
function tree(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "conf"));
  mkdirSync(join(dir, "conf", "sub"));
  mkdirSync(join(dir, "elsewhere"));
  writeFileSync(join(dir, "conf", "a.alloy"), UGLY);
  writeFileSync(join(dir, "conf", ".hidden.alloy"), UGLY);
  writeFileSync(join(dir, "conf", "notes.txt"), "x");
  writeFileSync(join(dir, "conf", "sub", "b.alloy"), UGLY);
  writeFileSync(join(dir, "elsewhere", "c.alloy"), UGLY);
  mkdirSync(join(dir, "conf", "node_modules"));
  writeFileSync(join(dir, "conf", "node_modules", "d.alloy"), UGLY);
  symlinkSync(join(dir, "elsewhere"), join(dir, "conf", "linked")); // a link to a directory: followed
  symlinkSync("a.alloy", join(dir, "conf", "same.alloy")); // a second name for a.alloy: taken once
  writeFileSync(join(dir, "outside.alloy"), UGLY);
  symlinkSync(join(dir, "outside.alloy"), join(dir, "conf", "z.alloy")); // a link to a file: followed
  return dir;
}

describe("one walker for every command", () => {
  it("follows links to files and directories, skips dot-entries and node_modules, takes each file once", () => {
    const dir = tree();
    const { inputs, problems } = expandPaths(["conf"], dir, { recursive: true });
    expect(problems).toEqual([]);
    expect(inputs).toEqual([{ path: "conf", directory: true, files: ["conf/a.alloy", "conf/linked/c.alloy", "conf/sub/b.alloy", "conf/z.alloy"] }]);
    // A flat walk (check: a directory is one config) does not descend.
    expect(expandPaths(["conf"], dir, { recursive: false }).inputs[0]?.files).toEqual(["conf/a.alloy", "conf/z.alloy"]);
    // Each argument is its own set of files (for check, its own config).
    const twice = expandPaths(["conf", "conf"], dir, { recursive: false }).inputs.map((i) => i.files);
    expect(twice).toEqual([["conf/a.alloy", "conf/z.alloy"], ["conf/a.alloy", "conf/z.alloy"]]);
  });

  it("accepts a dot-file named on the command line", async () => {
    const dir = tree();
    expect(expandPaths(["conf/.hidden.alloy"], dir, { recursive: true }).inputs[0]?.files).toEqual(["conf/.hidden.alloy"]);
    const r = await runCli(["fmt", "conf/.hidden.alloy"], { cwd: dir });
    expect(r).toEqual({ code: 0, out: PRETTY, err: "" });
  });

  it("fmt formats through symbolic links (it used to skip them)", async () => {
    const dir = tree();
    const r = await runCli(["fmt", "-w", "conf"], { cwd: dir });
    expect(r).toEqual({ code: 0, out: "", err: "" });
    expect(readFileSync(join(dir, "elsewhere", "c.alloy"), "utf8")).toBe(PRETTY);
    expect(readFileSync(join(dir, "outside.alloy"), "utf8")).toBe(PRETTY);
    expect(readFileSync(join(dir, "conf", "sub", "b.alloy"), "utf8")).toBe(PRETTY);
    expect(readFileSync(join(dir, "conf", "node_modules", "d.alloy"), "utf8")).toBe(UGLY);
    expect(readFileSync(join(dir, "conf", ".hidden.alloy"), "utf8")).toBe(UGLY);
  });

  it("reports bad entries one by one, processes the rest, and exits 2 at the end (fmt)", async () => {
    const dir = tree();
    symlinkSync("loop.alloy", join(dir, "conf", "loop.alloy")); // ELOOP
    symlinkSync("missing.alloy", join(dir, "conf", "dangling.alloy"));
    symlinkSync("..", join(dir, "conf", "sub", "up")); // leads back to conf
    mkdirSync(join(dir, "conf", "dir.alloy")); // a directory named like a file: walked as a directory
    writeFileSync(join(dir, "conf", "dir.alloy", "e.alloy"), UGLY);
    const r = await runCli(["fmt", "-w", "conf", "nope.alloy"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      [
        "river fmt: conf/dangling.alloy: broken symbolic link",
        "river fmt: conf/loop.alloy: too many levels of symbolic links",
        "river fmt: conf/sub/up: symbolic link loop (leads back to conf), skipped",
        "river fmt: nope.alloy: no such file or directory",
        "",
      ].join("\n"),
    );
    for (const f of ["conf/a.alloy", "conf/dir.alloy/e.alloy", "conf/sub/b.alloy", "elsewhere/c.alloy"]) {
      expect(readFileSync(join(dir, f), "utf8")).toBe(PRETTY);
    }
  });

  it("check follows the same rules: bad entries reported, the config still checked, exit 2", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "conf"));
    writeFileSync(join(dir, "conf", "a.alloy"), 'logging {\n  level = "info"\n}\n');
    writeFileSync(join(dir, "conf", ".b.alloy"), 'logging {\n  level = "debug"\n}\n'); // would be a duplicate block
    symlinkSync("a.alloy", join(dir, "conf", "again.alloy")); // the same file: not a duplicate block
    symlinkSync("loop.alloy", join(dir, "conf", "loop.alloy"));
    mkdirSync(join(dir, "conf", "x.alloy")); // used to abort with EISDIR, then was skipped silently
    writeFileSync(join(dir, "broken.alloy"), "logging {\n  levle = 1\n}\n");
    const r = await runCli(["check", "conf", "broken.alloy"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toBe("river check: conf/loop.alloy: too many levels of symbolic links\nriver check: conf/x.alloy: is a directory, not a file\n");
    expect(r.out).toContain("Error: broken.alloy:2:3: unknown attribute");
    expect(r.out).not.toContain("conf/");
  });

  it("one convention for a missing input: the same message and exit 2 in every command", async () => {
    const dir = tempDir();
    const fmt = await runCli(["fmt", "missing.alloy"], { cwd: dir });
    const check = await runCli(["check", "missing.alloy"], { cwd: dir });
    const relabel = await runCli(["relabel", "missing.alloy", "--target", "{}"], { cwd: dir });
    expect(fmt).toEqual({ code: 2, out: "", err: "river fmt: missing.alloy: no such file or directory\n" });
    expect(check).toEqual({ code: 2, out: "", err: "river check: missing.alloy: no such file or directory\n" });
    expect(relabel).toEqual({ code: 2, out: "", err: "river relabel: missing.alloy: no such file or directory\n" });
    writeFileSync(join(dir, "rules.alloy"), 'discovery.relabel "x" {\n  targets = []\n}\n');
    const targets = await runCli(["relabel", "rules.alloy", "--targets", "nope.jsonl"], { cwd: dir });
    expect(targets).toEqual({ code: 2, out: "", err: "river relabel: nope.jsonl: no such file or directory\n" });
    const device = await runCli(["relabel", "rules.alloy", "--targets", "/dev/zero"], { cwd: dir });
    expect(device).toEqual({ code: 2, out: "", err: "river relabel: /dev/zero: not a regular file, a pipe or a directory\n" });
    const directory = await runCli(["relabel", ".", "--target", "{}"], { cwd: dir });
    expect(directory).toEqual({ code: 2, out: "", err: "river relabel: .: is a directory\n" });
  });

  it("check reads standard input once: `-` twice is a usage error", async () => {
    let reads = 0;
    const io = {
      out: "",
      err: "",
      cwd: tempDir(),
      stdout(t: string) {
        io.out += t;
      },
      stderr(t: string) {
        io.err += t;
      },
      readStdin: async () => {
        reads++;
        return new TextEncoder().encode('logging {\n  level = "info"\n}\n');
      },
    };
    const { main } = await import("../../src/cli/main.ts");
    expect(await main(["node", "river", "check", "-", "-"], io)).toBe(2);
    expect(io.err).toBe("river check: standard input (-) can be read only once; give `-` once\n");
    expect(reads).toBe(0);
    expect(await main(["node", "river", "check", "-"], io)).toBe(0);
    expect(reads).toBe(1);
  });

  it("reads a named pipe given on the command line (as <(cmd) gives one), but never replaces it with -w", async () => {
    const dir = tempDir();
    const fifo = join(dir, "pipe.alloy");
    execFileSync("mkfifo", [fifo]);
    const writer = () => spawn("sh", ["-c", `printf 'a=1\\n' > '${fifo}'`]);
    writer();
    expect(await runCli(["fmt", "pipe.alloy"], { cwd: dir })).toEqual({ code: 0, out: PRETTY, err: "" });
    writer();
    const w = await runCli(["fmt", "-w", "pipe.alloy"], { cwd: dir });
    expect(w).toEqual({ code: 1, out: "", err: "river fmt: pipe.alloy: cannot write: not a regular file\n" });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it("refuses a device named on the command line instead of reading it forever", () => {
    const { problems } = expandPaths(["/dev/zero"], "/", { recursive: true });
    expect(problems).toEqual([{ path: "/dev/zero", message: "not a regular file, a pipe or a directory" }]);
  });
});
