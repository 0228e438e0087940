import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/diag/diagnostic.ts";
import { capDiagnostics, renderDiagnosticLines, renderDiagnostics } from "../../src/cli/render.ts";
import { runCli } from "../helpers/cli.ts";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "river-render-"));
}

function diag(filename: string, line: number, severity: "error" | "warning" = "error"): Diagnostic {
  return { severity, code: "E_TEST", message: `problem ${line}`, filename, line, column: 1 };
}

interface SarifLocation {
  physicalLocation: { artifactLocation: { uri?: string; index?: number }; region: { startColumn: number } };
}
interface Sarif {
  runs: {
    originalUriBaseIds?: Record<string, { uri: string }>;
    results: { ruleId: string; locations: SarifLocation[] }[];
    artifacts?: { location: { description: { text: string } }; contents?: { text: string } }[];
    invocations?: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[];
  }[];
}

describe("columns on lines with bytes that are not UTF-8", () => {
  // Each bad byte is one byte of the line (one lone surrogate in the text): "levle" starts at byte column 20, which is
  // UTF-16 column 20 too; counting the stand-ins as 3 bytes each put SARIF's column at 16 and the caret 4 too far left.
  const bytes = new Uint8Array([...Buffer.from("logging { /* "), 0xff, 0xfe, ...Buffer.from(' */ levle = "info" }\n')]);

  it("SARIF's startColumn and the text caret are under the attribute", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "bad.alloy"), bytes);
    const s = await runCli(["check", "--format", "sarif", "bad.alloy"], { cwd: dir });
    const results = (JSON.parse(s.out) as Sarif).runs[0]?.results ?? [];
    const levle = results.find((r) => r.ruleId === "UNKNOWN_ATTRIBUTE");
    expect(levle?.locations[0]?.physicalLocation.region.startColumn).toBe(20);
    const t = await runCli(["check", "bad.alloy"], { cwd: dir });
    expect(t.out).toContain("Error: bad.alloy:1:20: unknown attribute");
    const line = "logging { /* \udcff\udcfe */ levle = \"info\" }";
    expect(t.out).toContain(`1 | ${line}\n  | ${" ".repeat(19)}^^^^^\n`);
  });
});

describe("SARIF artifact locations", () => {
  it("percent-encodes relative paths as URI references (RFC 3986)", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "my dir"));
    writeFileSync(join(dir, "my dir", "50% #1?é.alloy"), "logging {\n  levle = 1\n}\n");
    const r = await runCli(["check", "--format", "sarif", "my dir/50% #1?é.alloy"], { cwd: dir });
    const run = (JSON.parse(r.out) as Sarif).runs[0];
    const loc = run?.results[0]?.locations[0]?.physicalLocation.artifactLocation;
    expect(loc).toEqual({ uri: "my%20dir/50%25%20%231%3F%C3%A9.alloy", uriBaseId: "%SRCROOT%" });
    // %SRCROOT% is the working directory, as a file: URI ending in a slash.
    expect(run?.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: `${pathToFileURL(dir).href}/` } });
    const base = new URL(run?.originalUriBaseIds?.["%SRCROOT%"]?.uri ?? "");
    expect(fileURLToPath(new URL(loc?.uri ?? "", base))).toBe(join(dir, "my dir", "50% #1?é.alloy"));
  });

  it("gives an absolute path a file: URI", () => {
    const out = renderDiagnostics([diag("/tmp/a b.alloy", 1)], { format: "sarif" });
    const loc = (JSON.parse(out) as Sarif).runs[0]?.results[0]?.locations[0]?.physicalLocation.artifactLocation;
    expect(loc).toEqual({ uri: "file:///tmp/a%20b.alloy" });
  });

  it("refers to standard input as an artifact without a URI, its text embedded", async () => {
    const text = "logging {\n  levle = 1\n}\n";
    const r = await runCli(["check", "--format", "sarif", "-"], { stdin: text });
    const run = (JSON.parse(r.out) as Sarif).runs[0];
    expect(run?.results[0]?.locations[0]?.physicalLocation.artifactLocation).toEqual({ index: 0, description: { text: "standard input" } });
    expect(run?.artifacts).toEqual([{ location: { description: { text: "standard input" } }, contents: { text } }]);
  });
});

describe("the number of diagnostics per file is capped", () => {
  const many = [...Array.from({ length: 250 }, (_, i) => diag("a.alloy", i + 1)), diag("b.alloy", 1), diag("a.alloy", 300, "warning")];

  it("keeps the first N of each file and counts the others by severity", () => {
    const { shown, omitted } = capDiagnostics(many, 100);
    expect(shown.length).toBe(101);
    expect(shown.filter((d) => d.filename === "b.alloy").length).toBe(1);
    expect(omitted).toEqual([{ filename: "a.alloy", errors: 150, warnings: 1 }]);
    expect(capDiagnostics(many, 0)).toEqual({ shown: many, omitted: [] });
  });

  it("says what it left out in every format", () => {
    const note = "... and 150 more errors and 1 more warning in a.alloy (--max-diagnostics 0 shows them all)";
    const text = renderDiagnostics(many, { format: "text" });
    expect(text.split("\n").filter((l) => l.startsWith("Error:")).length).toBe(101);
    expect(text).toContain(`${note}\n251 errors, 1 warning\n`);
    const json = JSON.parse(renderDiagnostics(many, { format: "json" })) as { diagnostics: unknown[]; omitted: unknown };
    expect(json.diagnostics.length).toBe(101);
    expect(json.omitted).toEqual([{ filename: "a.alloy", errors: 150, warnings: 1 }]);
    expect(JSON.parse(renderDiagnostics(many, { format: "json", maxPerFile: 0 }))).toEqual({ diagnostics: many });
    const github = renderDiagnostics(many, { format: "github" }).trimEnd().split("\n");
    expect(github.length).toBe(102);
    expect(github.at(-1)).toBe(`::notice file=a.alloy::${note}`);
    const sarif = JSON.parse(renderDiagnostics(many, { format: "sarif" })) as Sarif;
    expect(sarif.runs[0]?.results.length).toBe(101);
    expect(sarif.runs[0]?.invocations?.[0]?.toolExecutionNotifications.map((n) => n.message.text)).toEqual([note]);
    expect(renderDiagnosticLines(many, 2)).toBe(
      `a.alloy:1:1: problem 1\na.alloy:2:1: problem 2\nb.alloy:1:1: problem 1\n... and 248 more errors and 1 more warning in a.alloy (--max-diagnostics 0 shows them all)\n`,
    );
  });

  it("fmt and check take --max-diagnostics; a file of random bytes prints a bounded report", async () => {
    const dir = tempDir();
    let seed = 1;
    const noise = Uint8Array.from({ length: 1 << 16 }, () => (seed = (seed * 1103515245 + 12345) % 2147483648) >> 23);
    writeFileSync(join(dir, "noise.alloy"), noise);
    const fmt = await runCli(["fmt", "noise.alloy"], { cwd: dir });
    expect(fmt.code).toBe(1);
    const lines = fmt.err.trimEnd().split("\n");
    expect(lines.length).toBe(101);
    expect(lines.at(-1)).toMatch(/^\.\.\. and \d{4,} more errors in noise\.alloy \(--max-diagnostics 0 shows them all\)$/);
    const few = await runCli(["fmt", "--max-diagnostics", "3", "noise.alloy"], { cwd: dir });
    expect(few.err.trimEnd().split("\n").length).toBe(4);
    const check = await runCli(["check", "--max-diagnostics", "5", "noise.alloy"], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.out.split("\n").filter((l) => l.startsWith("Error:")).length).toBe(5);
    expect(check.out).toMatch(/\.\.\. and \d+ more errors in noise\.alloy/);
    const bad = await runCli(["check", "--max-diagnostics", "x", "noise.alloy"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("error: option '--max-diagnostics <n>' argument 'x' is invalid. it must be a whole number (0 for no limit).");
    // relabel and import too (relabel printed every one of them: 12,000 lines for 20 KB of noise).
    const relabel = await runCli(["relabel", "noise.alloy", "-t", "{}"], { cwd: dir });
    expect(relabel.code).toBe(1);
    expect(relabel.err.trimEnd().split("\n").length).toBe(101);
    expect(relabel.err).toMatch(/\n\.\.\. and \d{4,} more errors in noise\.alloy \(--max-diagnostics 0 shows them all\)\n$/);
    const relabelFew = await runCli(["relabel", "--max-diagnostics", "2", "noise.alloy", "-t", "{}"], { cwd: dir });
    expect(relabelFew.err.trimEnd().split("\n").length).toBe(3);
    const imported = await runCli(["import", "noise.alloy"], { cwd: dir });
    expect(imported.code).toBe(1);
    expect(imported.err.trimEnd().split("\n").length).toBe(101);
  });
});

describe("long source lines", () => {
  it("are shown as a window around the range, the caret under it", () => {
    const line = `${"x".repeat(1000)}BAD${"y".repeat(1000)}`;
    const d: Diagnostic = { severity: "error", code: "E_TEST", message: "bad", filename: "a.alloy", line: 1, column: 1001, endLine: 1, endColumn: 1004 };
    const out = renderDiagnostics([d], { format: "text", texts: new Map([["a.alloy", line]]) });
    const [, , shown, caret] = out.split("\n");
    expect(shown?.length).toBeLessThan(200);
    expect(shown).toMatch(/^1 \| …x+BADy+…$/);
    const at = (shown as string).indexOf("BAD");
    expect((caret as string).indexOf("^^^")).toBe(at);
  });

  it("keep check's report on a long line of noise proportional to the diagnostics, not to the line", async () => {
    const dir = tempDir();
    const noise = Array.from({ length: 100_000 }, (_, i) => "#@$?"[i % 4]).join("");
    writeFileSync(join(dir, "noise.alloy"), noise);
    const r = await runCli(["check", "noise.alloy"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.out.length + r.err.length).toBeLessThan(200_000); // was the 100 KB line times 100 diagnostics
  });
});
