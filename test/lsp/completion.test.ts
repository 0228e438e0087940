import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUri, LspClient, positionOf } from "./client.ts";
import { fixtureDir, MAIN, MODULE, OTHER } from "./fixtures.ts";

interface Item {
  label: string;
  detail?: string;
  documentation?: { value: string };
  textEdit?: { newText: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } };
}

describe("river lsp: completion", () => {
  let client: LspClient;
  let dirs: ReturnType<typeof fixtureDir>;
  let uri: string;

  beforeAll(async () => {
    dirs = fixtureDir();
    client = new LspClient();
    await client.initialize({ debounceMs: 10 });
    await client.open(fileUri(join(dirs.logs, "main.alloy")), MAIN);
    uri = fileUri(join(dirs.logs, "other.alloy"));
    await client.open(uri, OTHER);
  });

  afterAll(async () => {
    expect(await client.close()).toBe(0);
    rmSync(dirs.root, { recursive: true, force: true });
  });

  /** Completion at the `|` of `text`, after the document is changed to `text` without it. */
  async function completeAt(text: string, at = uri): Promise<Item[]> {
    const clean = text.replace("|", "");
    await client.change(at, clean);
    return client.request<Item[]>("textDocument/completion", { textDocument: { uri: at }, position: positionOf(text, "|") });
  }

  it("offers component names in a block header, replacing the dotted word typed so far", async () => {
    const items = await completeAt(`${OTHER}\nloki.wr|`);
    const write = items.find((i) => i.label === "loki.write");
    expect(write?.detail).toBe("component (generally-available)");
    expect(write?.documentation?.value).toContain("https://grafana.com/docs/alloy/latest/reference/components/loki/loki.write/");
    expect(write?.textEdit?.range.start.character).toBe(0);
    expect(write?.textEdit?.range.end.character).toBe(7);
    expect(items.some((i) => i.label === "forward_to")).toBe(false);
  });

  it("offers attributes and blocks of a component and of its nested blocks, with type, default and required", async () => {
    const top = await completeAt(`${OTHER}\nloki.write "w" {\n\t|\n}\n`);
    expect(top.find((i) => i.label === "endpoint")?.detail).toMatch(/^block/);
    expect(top.find((i) => i.label === "endpoint")?.textEdit?.newText).toBe("endpoint"); // this editor takes no snippets
    expect(top.find((i) => i.label === "external_labels")?.detail).toBe("map(string)");
    const nested = await completeAt(`${OTHER}\nloki.write "w" {\n\tendpoint {\n\t\t|\n\t}\n}\n`);
    expect(nested.find((i) => i.label === "url")?.detail).toBe("string (required)");
    expect(nested.find((i) => i.label === "remote_timeout")?.documentation?.value).toContain("default");
    expect(nested.some((i) => i.label === "external_labels")).toBe(false);
  });

  it("leaves out what the block already holds and may not hold twice", async () => {
    const inEndpoint = await completeAt(`${OTHER}\nloki.write "w" {\n\tendpoint {\n\t\turl = "x"\n\t\t|\n\t\tname = "n"\n\t}\n}\n`);
    const labels = inEndpoint.map((i) => i.label);
    expect(labels).not.toContain("url");
    expect(labels).not.toContain("name");
    expect(labels).toContain("remote_timeout");
    const top = (await completeAt(`${OTHER}\nloki.write "w" {\n\twal { }\n\tendpoint { }\n\t|\n}\n`)).map((i) => i.label);
    expect(top).not.toContain("wal");
    expect(top).toContain("endpoint");
  });

  it("offers references of the type the attribute expects: a logs forward_to gets logs receivers only", async () => {
    const items = await completeAt(OTHER.replace("forward_to = [loki.write.default.receiver]", "forward_to = [|]"));
    const labels = items.map((i) => i.label);
    expect(labels).toContain("loki.write.default.receiver");
    expect(labels).toContain("loki.process.main.receiver");
    expect(labels).not.toContain("prometheus.remote_write.prom.receiver");
    expect(labels).not.toContain("discovery.relabel.pods.output");
    expect(items.find((i) => i.label === "loki.write.default.receiver")?.detail).toBe("LogsReceiver");
  });

  it("offers targets where targets are expected, and enum values inside a string", async () => {
    const targets = await completeAt(`${OTHER}\ndiscovery.relabel "again" {\n\ttargets = discovery.|\n}\n`);
    const labels = targets.map((i) => i.label);
    expect(labels).toContain("discovery.relabel.pods.output");
    expect(labels).toContain("discovery.kubernetes.pods.targets");
    expect(labels).not.toContain("loki.write.default.receiver");
    const roles = await completeAt(`${OTHER}\ndiscovery.kubernetes "k" {\n\trole = "|"\n}\n`);
    expect(roles.map((i) => i.label)).toEqual(expect.arrayContaining(["pod", "node", "service", "endpoints"]));
  });

  it("offers stdlib functions with their signatures", async () => {
    const items = await completeAt(`${OTHER}\nloki.write "w" {\n\texternal_labels = {host = sys.|}\n}\n`);
    expect(items.find((i) => i.label === "sys.env")?.detail).toBe("sys.env(name string) string");
    expect(items.find((i) => i.label === "string.format")?.detail).toMatch(/^string\.format\(format string, args \.\.\.any\) string$/);
  });

  it("offers the labels of declared components and their arguments", async () => {
    const mod = fileUri(join(dirs.mods, "lib", "mod.alloy"));
    await client.open(mod, MODULE);
    const names = await completeAt(`${MODULE}\nsh|`, mod);
    expect(names.find((i) => i.label === "shout")?.detail).toBe("custom component (declare)");
    const args = await completeAt(`${MODULE}\nshout "s" {\n\t|\n}\n`, mod);
    expect(args.map((i) => i.label)).toEqual(["text"]);
  });

  it("completes nothing inside comments and labels, and never fails on broken text", async () => {
    expect(await completeAt(`${OTHER}\n// loki.wr|`)).toEqual([]);
    expect(await completeAt(`${OTHER}\nloki.write "de|`)).toEqual([]);
    for (const broken of [`}}}|`, `a = = |`, `x {\n\ty = [[[{|`, `"\\|`]) {
      expect(Array.isArray(await completeAt(broken))).toBe(true);
    }
  });
});
