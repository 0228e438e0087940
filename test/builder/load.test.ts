import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadBuilderPipeline } from "../../src/builder/index.ts";

const fixture = (name: string) => relative(process.cwd(), fileURLToPath(new URL(`../fixtures/pipelines/${name}`, import.meta.url)));
const lineOf = (file: string, needle: string) => readFileSync(file, "utf8").split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("loadBuilderPipeline", () => {
  it("imports a .ts pipeline and returns the River its default export builds", async () => {
    const path = fixture("logs.ts");
    const loaded = await loadBuilderPipeline(path);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.filename).toBe(path.replace(/\.ts$/, ".alloy"));
    expect(loaded.text).toBe(readFileSync(new URL("../../pipelines/logs.alloy", import.meta.url), "utf8"));
  });

  it("reports the checker's findings at the TypeScript call that made the statement", async () => {
    const path = fixture("bad/wrong-values.ts");
    const { diagnostics } = await loadBuilderPipeline(path);
    expect(diagnostics.map((d) => [d.filename, d.line, d.code])).toEqual([
      [path, lineOf(path, "config.discovery.kubernetes("), "INVALID_ENUM"],
      [path, lineOf(path, "config.loki.write("), "UNKNOWN_ATTRIBUTE"],
    ]);
    expect(diagnostics[0]?.message).toMatch(/"pods".* \(at .*wrong-values\.alloy:\d+:\d+ in the River it builds\)$/);
    expect(diagnostics[1]?.message).toMatch(/tenant/);
  });

  it("reports values the builder cannot convert, at their call", async () => {
    const path = fixture("bad/builder-error.ts");
    const { diagnostics } = await loadBuilderPipeline(path);
    expect(diagnostics).toEqual([
      {
        severity: "error",
        code: "BUILDER",
        message: "loki.write.default.endpoint: endpoint is a repeatable block: give an array of blocks",
        filename: path,
        line: lineOf(path, "config.loki.write("),
        column: "config.loki.".length + 1,
      },
    ]);
  });

  it("turns modules that fail to load into diagnostics, never exceptions", async () => {
    const throws = fixture("bad/throws.ts");
    expect((await loadBuilderPipeline(throws)).diagnostics).toEqual([
      { severity: "error", code: "PIPELINE_MODULE", message: "cannot load the pipeline module: no settings file", filename: throws, line: 2, column: 7 },
    ]);
    // Written at run time: tsc (npm test) must not see it.
    const dir = mkdtempSync(join(tmpdir(), "river-load-"));
    writeFileSync(join(dir, "syntax-error.ts"), "// A module that does not parse.\nexport default = 1;\n");
    const syntax = await loadBuilderPipeline(join(dir, "syntax-error.ts"));
    expect(syntax.diagnostics[0]?.message).toMatch(/^cannot load the pipeline module: Transform failed with 1 error: .*syntax-error\.ts:2:\d+: ERROR: /);
    const noDefault = await loadBuilderPipeline(fixture("bad/no-default.ts"));
    expect(noDefault.text).toBe("");
    expect(noDefault.diagnostics[0]?.message).toMatch(/must `export default` a river builder Config/);
    const missing = await loadBuilderPipeline(fixture("does-not-exist.ts"));
    expect(missing.diagnostics[0]).toMatchObject({ code: "PIPELINE_MODULE", line: 1, column: 1 });
    expect(missing.diagnostics[0]?.message).toMatch(/^cannot load the pipeline module: Cannot find module/);
  });

  it("turns an exception while the config is built (a value given as a function that throws) into a diagnostic", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-load-"));
    const builder = JSON.stringify(fileURLToPath(new URL("../../src/builder/index.ts", import.meta.url)));
    const path = join(dir, "thunk.ts");
    writeFileSync(path, `import { Config } from ${builder};\nconst config = new Config();\nconfig.attr("x", () => { throw new Error("no value yet"); });\nexport default config;\n`);
    const loaded = await loadBuilderPipeline(path);
    expect(loaded.text).toBe("");
    expect(loaded.diagnostics).toEqual([
      { severity: "error", code: "PIPELINE_MODULE", message: "the pipeline module failed while its config was built: no value yet", filename: path, line: 3, column: `config.attr("x", () => { throw `.length + 1 },
    ]);
  });
});
