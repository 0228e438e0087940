/**
 * Golden files of `river graph`: each test/graph/golden/NAME.alloy is one config, drawn as NAME.mmd (Mermaid) and
 * NAME.dot (DOT), with its diagnostics in NAME.diag. They pin the picture as a person reviews it: which nodes, which
 * edges in which direction, with which labels and flows, how broken references look. After an intended change,
 * `UPDATE_GOLDEN=1 npx vitest run test/graph` rewrites them; review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { formatDiagnosticLine } from "../../src/diag/diagnostic.ts";
import { renderGraph } from "../../src/index.ts";

const dir = fileURLToPath(new URL("./golden/", import.meta.url));
const cases = readdirSync(dir).filter((f) => f.endsWith(".alloy")).sort();
const update = process.env["UPDATE_GOLDEN"] === "1";

/** Module files (import.file) relative to the importing file, as the CLI reads them. */
const readModule = (path: string, from: string): string | undefined => {
  const abs = join(dir, dirname(from), path);
  return existsSync(abs) ? readFileSync(abs, "utf8") : undefined;
};

function expectGolden(path: string, actual: string): void {
  if (update) writeFileSync(path, actual);
  expect(existsSync(path), `${path} is missing: run UPDATE_GOLDEN=1 npx vitest run test/graph and review it`).toBe(true);
  expect(actual).toBe(readFileSync(path, "utf8"));
}

describe("river graph golden files", () => {
  it("has its cases", () => {
    expect(cases).toEqual(["broken.alloy", "escaping.alloy", "modules.alloy", "pipeline.alloy", "self.alloy"]);
  });

  it.each(cases)("%s", (name) => {
    const files = [{ filename: name, text: readFileSync(join(dir, name), "utf8") }];
    const base = join(dir, name.replace(/\.alloy$/, ""));
    const mermaid = renderGraph(files, "mermaid", { readModule });
    const dot = renderGraph(files, "dot", { readModule });
    expect(dot.diagnostics).toEqual(mermaid.diagnostics);
    expectGolden(`${base}.mmd`, mermaid.text);
    expectGolden(`${base}.dot`, dot.text);
    expectGolden(`${base}.diag`, mermaid.diagnostics.map((d) => `${d.severity} ${d.code} ${formatDiagnosticLine(d)}\n`).join(""));
  });
});
