import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUri, LspClient } from "./client.ts";
import { fixtureDir, MAIN } from "./fixtures.ts";

/** Text as it is while being typed: the config cut at several places, with noise, an emoji and a CRLF in it. */
function drafts(): string[] {
  const out: string[] = [];
  for (const cut of [0.13, 0.31, 0.47, 0.62, 0.8, 0.95]) out.push(MAIN.slice(0, Math.floor(MAIN.length * cut)));
  out.push(MAIN.replace('"pod"', '"p🚀d"').replace("\n", "\r\n"), MAIN.replaceAll("}", ""), MAIN.replaceAll('"', ""), "{[(".repeat(50));
  return out;
}

describe("river lsp: requests anywhere in a file mid-edit", () => {
  let client: LspClient;
  let dirs: ReturnType<typeof fixtureDir>;

  beforeAll(async () => {
    dirs = fixtureDir();
    client = new LspClient();
    await client.initialize({ debounceMs: 0 });
  });

  afterAll(async () => {
    expect(await client.close()).toBe(0);
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it("answers completion, hover, definition, references, rename, symbols, formatting and code actions without an error", async () => {
    const uri = fileUri(join(dirs.logs, "main.alloy"));
    let requests = 0;
    for (const text of drafts()) {
      const published = await client.change(uri, text);
      const lines = text.split("\n");
      for (let line = 0; line < lines.length; line += 3) {
        for (let character = 0; character <= (lines[line] ?? "").length; character += 7) {
          const at = { textDocument: { uri }, position: { line, character } };
          await Promise.all([
            client.request("textDocument/completion", at),
            client.request("textDocument/hover", at),
            client.request("textDocument/definition", at),
            client.request("textDocument/references", { ...at, context: { includeDeclaration: true } }),
            client.request("textDocument/prepareRename", at),
            // A label that cannot be renamed (or no label at all) is refused with RequestFailed, nothing else.
            client.request("textDocument/rename", { ...at, newName: "renamed" }).catch((err: { code?: number }) => {
              if (err.code !== -32803) throw err;
            }),
          ]);
          requests += 6;
        }
      }
      await client.request("textDocument/documentSymbol", { textDocument: { uri } });
      await client.request("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 4, insertSpaces: false } });
      await client.request("textDocument/codeAction", { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } }, context: { diagnostics: published.diagnostics } });
    }
    expect(requests).toBeGreaterThan(500);
    // Handlers log through window/logMessage when they catch a bug; there must be none.
    expect(client.stderr.filter((l) => l.includes("river lsp"))).toEqual([]);
  });
});
