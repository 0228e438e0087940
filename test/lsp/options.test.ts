import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUri, LspClient } from "./client.ts";

const SNIPPET = `loki.process "p" {\n\tforward_to = [loki.write.elsewhere.receiver]\n}\n`;

describe("river lsp: initializationOptions", () => {
  let client: LspClient;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "river-lsp-options-"));
    client = new LspClient();
    await client.initialize({ fragment: true });
  });

  afterAll(async () => {
    expect(await client.close()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("fragment: true checks a saved file as a snippet (references to components defined elsewhere are assumed)", async () => {
    const published = await client.open(fileUri(join(dir, "snippet.alloy")), SNIPPET);
    expect(published.diagnostics).toEqual([]);
    // Still checked: what is wrong in the snippet itself is reported.
    const typo = await client.change(fileUri(join(dir, "snippet.alloy")), SNIPPET.replace("forward_to", "forward_too"));
    expect(typo.diagnostics.map((d) => d.code)).toContain("UNKNOWN_ATTRIBUTE");
  });
});
