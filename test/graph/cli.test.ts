import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";

const SOURCE = `loki.source.file "logs" {\n  targets    = []\n  forward_to = [loki.write.default.receiver]\n}\n`;
const WRITE = `loki.write "default" {\n  endpoint {\n    url = "http://loki:3100/loki/api/v1/push"\n  }\n}\n`;
const BROKEN = `loki.source.file "logs" {\n  targets    = []\n  forward_to = [loki.write.missing.receiver]\n}\n`;

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "river-graph-"));
  mkdirSync(join(dir, "conf"));
  writeFileSync(join(dir, "conf", "a.alloy"), SOURCE);
  writeFileSync(join(dir, "conf", "b.alloy"), WRITE);
  writeFileSync(join(dir, "broken.alloy"), BROKEN);
  mkdirSync(join(dir, "empty"));
  return dir;
}

describe("river graph", () => {
  it("draws a directory as one config, in Mermaid by default, and exits 0", async () => {
    const r = await runCli(["graph", "conf"], { cwd: workdir() });
    expect(r).toEqual({
      code: 0,
      err: "",
      out:
        "flowchart TB\n" +
        '  n0["loki.source.file<br/>logs"]\n' +
        '  n1["loki.write<br/>default"]\n' +
        '  n0 -->|"logs: forward_to → receiver"| n1\n' +
        "  linkStyle 0 stroke:#009E73\n",
    });
  });

  it("takes several paths as the files of one config; a file named twice counts once", async () => {
    const r = await runCli(["graph", "--format", "dot", "conf", "conf/a.alloy"], { cwd: workdir() });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^digraph alloy \{\n/);
    expect(r.out.match(/\[label="loki\.source\.file\\nlogs"/g)).toHaveLength(1);
    expect(r.out).toContain(`n0 -> n1 [label="logs: forward_to → receiver"`);
  });

  it("reads standard input", async () => {
    const r = await runCli(["graph", "-"], { cwd: workdir(), stdin: SOURCE + WRITE });
    expect(r.code).toBe(0);
    expect(r.out).toContain("n0 -->|");
  });

  it("--format svg lays the graph out with Graphviz", async () => {
    const r = await runCli(["graph", "--format", "svg", "conf"], { cwd: workdir() });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^<\?xml[^]*<svg [^]*<\/svg>\n?$/);
    expect(r.out).toContain(">loki.source.file</text>");
    expect(r.out).toContain(">logs: forward_to → receiver</text>");
  });

  it("draws a broken reference, reports it on stderr with a caret, and exits 1", async () => {
    const r = await runCli(["graph", "broken.alloy"], { cwd: workdir() });
    expect(r.code).toBe(1);
    expect(r.out).toContain('n1{{"loki.write.missing?"}}');
    expect(r.out).toContain('n0 -.->|"logs: forward_to → receiver"| n1');
    expect(r.err).toContain("Error: broken.alloy:3:17: loki.write.missing.receiver does not exist or is out of scope [UNDEFINED_REFERENCE]");
    expect(r.err).toContain("3 |   forward_to = [loki.write.missing.receiver]\n  |                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n");
  });

  it("exits 2 on an unknown format, a missing file or a directory without configs", async () => {
    const dir = workdir();
    const bad = await runCli(["graph", "--format", "png", "conf"], { cwd: dir });
    expect(bad).toMatchObject({ code: 2, out: "" });
    expect(bad.err).toBe('river graph: unknown --format "png"; use one of mermaid, dot, svg\n');
    const missing = await runCli(["graph", "nope.alloy"], { cwd: dir });
    expect(missing).toEqual({ code: 2, out: "", err: "river graph: nope.alloy: no such file or directory\n" });
    const empty = await runCli(["graph", "empty"], { cwd: dir });
    expect(empty).toEqual({ code: 2, out: "", err: "river graph: empty: no .alloy files in directory\n" });
    const twice = await runCli(["graph", "-", "-"], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.err).toContain("standard input (-) can be read only once");
  });

  it("draws what it can read, reports what it can't, and exits 2", async () => {
    const r = await runCli(["graph", "conf", "nope.alloy"], { cwd: workdir() });
    expect(r.code).toBe(2);
    expect(r.err).toBe("river graph: nope.alloy: no such file or directory\n");
    expect(r.out).toContain('n0 -->|"logs: forward_to → receiver"| n1');
  });

  it("reads import.file modules relative to the importing file", async () => {
    const dir = workdir();
    mkdirSync(join(dir, "mod"));
    writeFileSync(join(dir, "mod", "lib.alloy"), `declare "out" {\n  loki.write "w" {\n    endpoint {\n      url = "http://loki"\n    }\n  }\n}\n`);
    writeFileSync(join(dir, "mod", "main.alloy"), `import.file "lib" {\n  filename = "lib.alloy"\n}\n\nlib.out "x" { }\n`);
    const r = await runCli(["graph", "mod/main.alloy"], { cwd: dir });
    expect(r.err).toBe("");
    expect(r.out).toContain('subgraph g0["import.file #34;lib#34;"]');
    expect(r.out).toContain('n0["loki.write<br/>w"]');
  });
});
