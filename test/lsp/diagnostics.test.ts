import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileUri, LspClient } from "./client.ts";
import { fixtureDir, IMPORTER, MAIN, OTHER } from "./fixtures.ts";

describe("river lsp: diagnostics", () => {
  let client: LspClient;
  let dirs: ReturnType<typeof fixtureDir>;

  beforeAll(async () => {
    dirs = fixtureDir();
    client = new LspClient();
    const init = await client.initialize({ debounceMs: 10 });
    expect(init.capabilities).toMatchObject({ hoverProvider: true, documentFormattingProvider: true });
  });

  afterAll(async () => {
    expect(await client.close()).toBe(0);
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it("checks a directory as one config: references resolve across its files", async () => {
    const other = await client.open(fileUri(join(dirs.logs, "other.alloy")), OTHER);
    expect(other.diagnostics).toEqual([]);
    const main = await client.open(fileUri(join(dirs.logs, "main.alloy")), MAIN);
    expect(main.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  });

  it("reports the checker's problems with their codes, UTF-16 ranges and did-you-mean", async () => {
    const uri = fileUri(join(dirs.logs, "other.alloy"));
    const text = `// naïve 🚀 comment\n${OTHER.replace("loki.write.default.receiver", "loki.write.defualt.receiver")}`;
    const published = await client.change(uri, text);
    const d = published.diagnostics.find((x) => x.code === "UNDEFINED_REFERENCE");
    expect(d).toBeDefined();
    expect(d?.message).toContain('did you mean "loki.write.default"?');
    // Line 5 (0-based) after the comment line; the range is the reference, in UTF-16 code units.
    const line = text.split("\n")[d!.range.start.line] as string;
    expect(line.slice(d!.range.start.character, d!.range.end.character)).toBe("loki.write.defualt.receiver");
    expect(d?.severity).toBe(1);
  });

  it("relates a duplicate to the first definition, in another file", async () => {
    const uri = fileUri(join(dirs.logs, "other.alloy"));
    const published = await client.change(uri, `${OTHER}\nloki.write "default" {\n\tendpoint {\n\t\turl = "http://x"\n\t}\n}\n`);
    const dup = published.diagnostics.find((x) => x.code === "DUPLICATE_COMPONENT");
    expect(dup?.relatedInformation?.[0]?.location.uri).toBe(fileUri(join(dirs.logs, "main.alloy")));
  });

  it("survives a file mid-edit: syntax errors are published, and the server keeps answering", async () => {
    const uri = fileUri(join(dirs.logs, "other.alloy"));
    const broken = await client.change(uri, `loki.source.api "api" {\n\thttp {\n\t\tlisten_port = \n\tforward_to = [loki.write.\n`);
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    expect(broken.diagnostics.every((d) => d.range.start.line >= 0)).toBe(true);
    // Edits by range, as editors send them, keep the server's text in step.
    const fixed = await client.change(uri, OTHER);
    expect(fixed.diagnostics).toEqual([]);
    const mid = await client.change(uri, "loki.wr", { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } });
    expect(mid.diagnostics.some((d) => d.severity === 1)).toBe(true);
    for (const noise of ["\u0000\u0000{{{", "}}}]]]", '"unterminated', "/* open comment", "a.b.c \"x\" { y = [1, 2 }"]) {
      const p = await client.change(uri, noise);
      expect(p.diagnostics.length).toBeGreaterThan(0);
    }
    expect(client.child.exitCode).toBeNull();
    await client.change(uri, OTHER);
  });

  it("checks a burst of changes once or twice, and always its last text", async () => {
    const uri = fileUri(join(dirs.logs, "other.alloy"));
    const before = client.history.length;
    const texts = Array.from({ length: 20 }, (_, i) => OTHER.replace("3500", String(3500 + i)));
    texts.push(OTHER.replace("listen_port", "listen_prt"));
    const last = await client.burst(uri, texts);
    expect(last.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('did you mean "listen_port"?')]);
    const checks = client.history.slice(before).filter((p) => p.uri === uri).length;
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(checks).toBeLessThan(5);
    await client.change(uri, OTHER);
  });

  it("updates every open file of the directory when one of them changes", async () => {
    const main = fileUri(join(dirs.logs, "main.alloy"));
    const other = fileUri(join(dirs.logs, "other.alloy"));
    await client.change(main, MAIN);
    await client.change(other, OTHER);
    const otherNext = client.nextDiagnostics(other);
    await client.change(main, MAIN.replace('loki.write "default"', 'loki.write "sink"'));
    expect((await otherNext).diagnostics.map((d) => d.code)).toEqual(["UNDEFINED_REFERENCE"]);
    const fixed = client.nextDiagnostics(other);
    await client.change(main, MAIN);
    expect((await fixed).diagnostics).toEqual([]);
  });

  it("checks again when a file of the directory changes on disk", async () => {
    const uri = fileUri(join(dirs.logs, "other.alloy"));
    await client.change(uri, OTHER);
    const disk = join(dirs.logs, "main.alloy");
    const cleared = client.nextDiagnostics(fileUri(disk));
    await client.connection.sendNotification("textDocument/didClose", { textDocument: { uri: fileUri(disk) } });
    expect((await cleared).diagnostics).toEqual([]);
    writeFileSync(disk, MAIN.replace('loki.write "default"', 'loki.write "sink"'));
    const next = client.nextDiagnostics(uri);
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: fileUri(disk), type: 2 }] });
    expect((await next).diagnostics.map((d) => d.code)).toContain("UNDEFINED_REFERENCE");
    writeFileSync(disk, MAIN);
    const back = client.nextDiagnostics(uri);
    await client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: fileUri(disk), type: 2 }] });
    expect((await back).diagnostics).toEqual([]);
  });

  it("resolves import.file modules and checks custom components against their declare", async () => {
    const uri = fileUri(join(dirs.mods, "main.alloy"));
    const ok = await client.open(uri, IMPORTER);
    expect(ok.diagnostics.map((d) => d.code)).toEqual(["UNUSED_COMPONENT"]); // lib.shout's export is unused: it was read
    const bad = await client.change(uri, IMPORTER.replace("text =", "txt ="));
    expect(bad.diagnostics.map((d) => d.code)).toContain("UNKNOWN_ATTRIBUTE");
    expect(bad.diagnostics.find((d) => d.code === "UNKNOWN_ATTRIBUTE")?.message).toContain('did you mean "text"?');
  });

  it.runIf(existsSync("/dev/zero"))("refuses an import.file of a device as river check does, and a directory is an opaque import", async () => {
    const uri = fileUri(join(dirs.mods, "devices.alloy"));
    const text = `import.file "z" {\n\tfilename = "/dev/zero"\n}\n\nimport.file "d" {\n\tfilename = "lib"\n}\n`;
    const published = await client.open(uri, text);
    expect(published.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      ["INVALID_IMPORT", 1, "/dev/zero is a character device, not a regular file; import.file needs a regular file (or a directory) of Alloy declarations"],
      ["OPAQUE_IMPORT", 2, expect.stringContaining('module "d" can\'t be checked offline')],
    ]);
  });

  it("checks an unsaved buffer as a snippet (fragment mode), a module file as a module", async () => {
    const snippet = await client.open("untitled:Untitled-1", `loki.process "p" {\n\tforward_to = [loki.write.elsewhere.receiver]\n}\n`);
    expect(snippet.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    const attributes = await client.open(fileUri(join(dirs.root, "args.alloy")), `targets    = discovery.kubernetes.pods.targets\nforward_to = [loki.write.default.receiver]\n`);
    expect(attributes.diagnostics).toEqual([]);
    // A config with a stray top-level attribute is still a config, where the attribute is an error.
    const stray = await client.open(fileUri(join(dirs.root, "stray.alloy")), `x = 1\n\nloki.echo "e" { }\n`);
    expect(stray.diagnostics.map((d) => d.code)).toContain("UNEXPECTED_ATTRIBUTE");
    // ... and the snippet beside it is not part of that config.
    expect(client.history.filter((p) => p.uri.endsWith("args.alloy")).at(-1)?.diagnostics).toEqual([]);
    // The same text saved in a directory is a config of its own, where the reference is undefined.
    const saved = await client.open(fileUri(join(dirs.root, "saved.alloy")), `loki.process "p" {\n\tforward_to = [loki.write.elsewhere.receiver]\n}\n`);
    expect(saved.diagnostics.map((d) => d.code)).toContain("UNDEFINED_REFERENCE");
    const mod = await client.open(fileUri(join(dirs.root, "module.alloy")), `argument "in" { }\n\nexport "out" {\n\tvalue = argument.in.value\n}\n`);
    expect(mod.diagnostics).toEqual([]);
  });
});
