import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check } from "../../src/check/index.ts";
import { readFmtCorpus } from "../helpers/shared.ts";
import { fileUri, LspClient, positionOf, type PublishedDiagnostics } from "./client.ts";

/** What a diagnostic says and where it starts, the same for river check and the server (1-based lines). */
const fromLsp = (p: PublishedDiagnostics) => p.diagnostics.map((d) => `${d.range.start.line + 1} ${d.code}: ${d.message}`);
const fromCheck = (text: string, filename: string) => check([{ filename, text }]).diagnostics.map((d) => `${d.line} ${d.code}: ${d.message}`);

const corpus = readFmtCorpus()?.filter((c) => c.kind === "config");

describe("river lsp agrees with river check", () => {
  let client: LspClient;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "river-lsp-agree-"));
    client = new LspClient();
    await client.initialize({ debounceMs: 0 });
  });

  afterAll(async () => {
    expect(await client.close()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("on the repository's pipeline, which it also navigates", async () => {
    const path = join(import.meta.dirname, "../../pipelines/logs.alloy");
    const text = readFileSync(path, "utf8");
    const published = await client.open(fileUri(path), text);
    expect(fromLsp(published)).toEqual(fromCheck(text, path));
    const def = await client.request<{ range: { start: unknown } }>("textDocument/definition", { textDocument: { uri: fileUri(path) }, position: positionOf(text, "loki.write.default.receiver", 12) });
    expect(def.range.start).toEqual(positionOf(text, 'loki.write "default"'));
  });

  it.skipIf(corpus === undefined)("on Alloy's own configs (the fmt corpus' config cases, one directory each)", async () => {
    const cases = (corpus ?? []).filter((_, i) => i % 20 === 0);
    expect(cases.length).toBeGreaterThan(20);
    for (const [i, c] of cases.entries()) {
      const sub = join(dir, String(i));
      mkdirSync(sub);
      const filename = join(sub, "config.alloy");
      const published = await client.open(fileUri(filename), c.in);
      expect(fromLsp(published), c.name).toEqual(fromCheck(c.in, filename).slice(0, 500));
      await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri: fileUri(filename) } });
    }
  });
});
