import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { fakeIO } from "../helpers/cli.ts";

const GOOD = `prometheus.scrape "s" {\n  targets    = []\n  forward_to = [prometheus.remote_write.default.receiver]\n}\n`;
const RW = `prometheus.remote_write "default" {\n  endpoint {\n    url = "http://mimir/api/v1/push"\n  }\n}\n`;
const BAD = `prometheus.scrape "s" {\n  targets    = []\n  forward_to = [prometheus.remote_write.default.receiver]\n  scrape_intervall = "1m"\n}\n` + RW;

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), "river-check-"));
  writeFileSync(join(dir, "bad.alloy"), BAD);
  mkdirSync(join(dir, "conf"));
  writeFileSync(join(dir, "conf", "a.alloy"), GOOD);
  writeFileSync(join(dir, "conf", "b.alloy"), RW);
  return dir;
}

describe("river check", () => {
  it("exits 1 on errors and renders alloy-style text with a caret", async () => {
    const dir = workdir();
    const f = fakeIO(dir);
    expect(await main(["node", "river", "check", "bad.alloy"], f)).toBe(1);
    const text = f.out;
    expect(text).toContain(`Error: bad.alloy:4:3: unknown attribute "scrape_intervall" in prometheus.scrape; did you mean "scrape_interval"?`);
    expect(text).toContain(`4 |   scrape_intervall = "1m"\n  |   ^^^^^^^^^^^^^^^^\n`);
  });
  it("checks a directory as one config (references across files) and exits 0", async () => {
    const f = fakeIO(workdir());
    expect(await main(["node", "river", "check", "conf"], f)).toBe(0);
    expect(f.out).toBe("");
  });
  it("reads stdin and honours --fragment", async () => {
    const f = fakeIO(workdir(), GOOD);
    expect(await main(["node", "river", "check"], f)).toBe(1);
    const g = fakeIO(workdir(), GOOD);
    expect(await main(["node", "river", "check", "--fragment", "-"], g)).toBe(0);
  });
  it("--format json, github and sarif", async () => {
    const dir = workdir();
    const j = fakeIO(dir);
    expect(await main(["node", "river", "check", "--format", "json", "bad.alloy"], j)).toBe(1);
    const parsed = JSON.parse(j.out) as { diagnostics: { code: string; line: number; severity: string }[] };
    expect(parsed.diagnostics[0]).toMatchObject({ code: "UNKNOWN_ATTRIBUTE", line: 4, severity: "error" });
    const g = fakeIO(dir);
    await main(["node", "river", "check", "--format", "github", "bad.alloy"], g);
    expect(g.out).toMatch(/^::error file=bad\.alloy,line=4,col=3,endLine=4,endColumn=19,title=UNKNOWN_ATTRIBUTE::unknown attribute/);
    const s = fakeIO(dir);
    await main(["node", "river", "check", "--format", "sarif", "bad.alloy"], s);
    const sarif = JSON.parse(s.out) as { version: string; runs: { results: { ruleId: string; level: string }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results[0]).toMatchObject({ ruleId: "UNKNOWN_ATTRIBUTE", level: "error" });
  });
  it("decodes bytes like fmt and alloy: invalid UTF-8 is an error at its byte, on files and stdin", async () => {
    const dir = workdir();
    const bytes = new Uint8Array([...new TextEncoder().encode(`local.file "f" {\n  filename = "`), 0xff, ...new TextEncoder().encode(`"\n}\n`)]);
    writeFileSync(join(dir, "bad8.alloy"), bytes);
    const f = fakeIO(dir);
    expect(await main(["node", "river", "check", "bad8.alloy"], f)).toBe(1);
    expect(f.out).toContain("Error: bad8.alloy:2:15: illegal UTF-8 encoding");
    const g = fakeIO(dir, bytes);
    expect(await main(["node", "river", "check", "-"], g)).toBe(1);
    expect(g.out).toContain("Error: <stdin>:2:15: illegal UTF-8 encoding");
  });
  it("exits 2 on a missing file or an unknown format", async () => {
    const f = fakeIO(workdir());
    expect(await main(["node", "river", "check", "nope.alloy"], f)).toBe(2);
    expect(f.err).toContain("nope.alloy");
    const g = fakeIO(workdir());
    expect(await main(["node", "river", "check", "--format", "xml", "bad.alloy"], g)).toBe(2);
  });

  it("reports SARIF columns in UTF-16 code units (river's own columns count UTF-8 bytes)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "river-check-"));
    writeFileSync(join(dir, "u.alloy"), `logging { /* é日本 */ levle = "info" }\n`);
    const f = fakeIO(dir);
    expect(await main(["node", "river", "check", "--format", "sarif", "u.alloy"], f)).toBe(1);
    const results = JSON.parse(f.out).runs[0].results as { locations: { physicalLocation: { region: { startColumn: number } } }[] }[];
    const text = fakeIO(dir);
    await main(["node", "river", "check", "--format", "json", "u.alloy"], text);
    const byteColumn = (JSON.parse(text.out).diagnostics[0] as { column: number }).column;
    const utf16Column = results[0]?.locations[0]?.physicalLocation.region.startColumn as number;
    // "levle" stands after é (2 bytes, 1 unit) and 日本 (6 bytes, 2 units).
    const line = `logging { /* é日本 */ levle = "info" }`;
    expect(utf16Column).toBe(line.indexOf("levle") + 1);
    expect(byteColumn).toBe(new TextEncoder().encode(line.slice(0, line.indexOf("levle"))).length + 1);
    expect(byteColumn - utf16Column).toBe(5);
  });
});
