import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { format } from "../../src/format/format.ts";
import { fileUri, LspClient, positionOf, type PublishedDiagnostics } from "./client.ts";
import { fixtureDir, IMPORTER, MAIN, MODULE, OTHER } from "./fixtures.ts";

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface Location {
  uri: string;
  range: Range;
}
interface TextEdit {
  range: Range;
  newText: string;
}

/** Applies LSP edits to a text (positions in UTF-16 code units), last first. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split("\n");
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

describe("river lsp: hover, navigation, formatting, code actions", () => {
  let client: LspClient;
  let dirs: ReturnType<typeof fixtureDir>;
  let main: string;
  let other: string;

  beforeAll(async () => {
    dirs = fixtureDir();
    client = new LspClient();
    await client.initialize({ debounceMs: 10 }, { textDocument: { completion: { completionItem: { snippetSupport: true } } } });
    main = fileUri(join(dirs.logs, "main.alloy"));
    other = fileUri(join(dirs.logs, "other.alloy"));
    await client.open(main, MAIN);
    await client.open(other, OTHER);
  });

  afterAll(async () => {
    expect(await client.close()).toBe(0);
    rmSync(dirs.root, { recursive: true, force: true });
  });

  const hoverAt = async (uri: string, text: string, needle: string, delta = 1) =>
    (await client.request<{ contents: { value: string } } | null>("textDocument/hover", { textDocument: { uri }, position: positionOf(text, needle, delta) }))?.contents.value;

  it("hovers a component with its stability and documentation page, an argument with its schema facts", async () => {
    const comp = await hoverAt(main, MAIN, 'loki.write "default"');
    expect(comp).toContain("**loki.write** (component, generally-available");
    expect(comp).toContain("exports: `receiver` LogsReceiver");
    expect(comp).toContain("(https://grafana.com/docs/alloy/latest/reference/components/loki/loki.write/)");
    const url = await hoverAt(main, MAIN, "url =");
    expect(url).toContain("`url`: `string`");
    expect(url).toContain("required");
    const role = await hoverAt(main, MAIN, "role =");
    expect(role).toContain('`"pod"`');
    const block = await hoverAt(main, MAIN, "endpoint {");
    expect(block).toContain("**endpoint** (block of loki.write)");
  });

  it("hovers a reference with its export type, a stdlib call with its signature, an expression with its type", async () => {
    expect(await hoverAt(other, OTHER, "loki.write.default.receiver", 12)).toContain("`loki.write.default.receiver`: `LogsReceiver`");
    const text = `${OTHER}\nloki.write "w" {\n\texternal_labels = {host = sys.env("HOST"), n = string.format("%d", 1 + 2)}\n\tendpoint {\n\t\turl = "x"\n\t}\n}\n`;
    await client.change(other, text);
    expect(await hoverAt(other, text, "sys.env")).toContain("`sys.env(name string) string`");
    expect(await hoverAt(other, text, "1 + 2", 2)).toContain("`number`");
    expect(await hoverAt(other, text, "{host", 0)).toContain("`object`");
    await client.change(other, OTHER);
  });

  it("goes to the definition of a component across files, of a custom component and of its import", async () => {
    const def = await client.request<Location>("textDocument/definition", { textDocument: { uri: other }, position: positionOf(OTHER, "loki.write.default", 12) });
    expect(def.uri).toBe(main);
    expect(def.range.start).toEqual(positionOf(MAIN, 'loki.write "default"'));
    const mods = fileUri(join(dirs.mods, "main.alloy"));
    await client.open(mods, IMPORTER);
    const decl = await client.request<Location>("textDocument/definition", { textDocument: { uri: mods }, position: positionOf(IMPORTER, "lib.shout", 5) });
    expect(decl.uri).toBe(fileUri(join(dirs.mods, "lib", "mod.alloy")));
    expect(decl.range.start).toEqual(positionOf(MODULE, 'declare "shout"'));
    const ns = await client.request<Location>("textDocument/definition", { textDocument: { uri: mods }, position: positionOf(IMPORTER, "lib.shout", 1) });
    expect(ns).toMatchObject({ uri: mods, range: { start: { line: 0, character: 0 } } });
    // The uses of a custom component and of a namespace are the blocks that name them.
    const uses = await client.request<Location[]>("textDocument/references", { textDocument: { uri: mods }, position: positionOf(IMPORTER, "lib.shout", 5), context: { includeDeclaration: false } });
    expect(uses).toEqual([{ uri: mods, range: { start: positionOf(IMPORTER, "lib.shout"), end: positionOf(IMPORTER, "lib.shout", 9) } }]);
    const nsUses = await client.request<Location[]>("textDocument/references", { textDocument: { uri: mods }, position: positionOf(IMPORTER, 'import.file "lib"', 14), context: { includeDeclaration: false } });
    expect(nsUses).toEqual([{ uri: mods, range: { start: positionOf(IMPORTER, "lib.shout"), end: positionOf(IMPORTER, "lib.shout", 3) } }]);
  });

  it("goes from a custom component's export to its export block, and finds the reads of it", async () => {
    const mods = fileUri(join(dirs.mods, "main.alloy"));
    const text = `${IMPORTER}\nlocal.file "f" {\n\tfilename = lib.shout.x.out\n}\n`;
    const published = await client.change(mods, text);
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    const at = { textDocument: { uri: mods }, position: positionOf(text, "x.out", 3) };
    const def = await client.request<Location>("textDocument/definition", at);
    expect(def).toMatchObject({ uri: fileUri(join(dirs.mods, "lib", "mod.alloy")), range: { start: positionOf(MODULE, 'export "out"') } });
    const refs = await client.request<Location[]>("textDocument/references", { ...at, context: { includeDeclaration: true } });
    expect(refs.map((r) => [r.uri === mods, r.range.start])).toEqual([
      [false, positionOf(MODULE, 'export "out"')],
      [true, positionOf(text, "x.out", 2)],
    ]);
    // On the component part of the same reference: the component itself.
    const comp = await client.request<Location>("textDocument/definition", { textDocument: { uri: mods }, position: positionOf(text, "shout.x.out", 6) });
    expect(comp).toMatchObject({ uri: mods, range: { start: positionOf(text, 'lib.shout "x"') } });
  });

  it("goes to an argument's block and finds its uses", async () => {
    const mod = fileUri(join(dirs.mods, "lib", "mod.alloy"));
    await client.open(mod, MODULE);
    const def = await client.request<Location>("textDocument/definition", { textDocument: { uri: mod }, position: positionOf(MODULE, "argument.text", 10) });
    expect(def.range.start).toEqual(positionOf(MODULE, 'argument "text"'));
    const refs = await client.request<Location[]>("textDocument/references", { textDocument: { uri: mod }, position: positionOf(MODULE, 'argument "text"', 11), context: { includeDeclaration: false } });
    expect(refs.map((r) => r.range.start)).toEqual([positionOf(MODULE, "argument.text.value")]);
  });

  it("finds every reference to a component, in every file of the config", async () => {
    const refs = await client.request<Location[]>("textDocument/references", { textDocument: { uri: main }, position: positionOf(MAIN, '"default"', 2), context: { includeDeclaration: true } });
    const where = refs.map((r) => `${r.uri === main ? "main" : "other"}:${r.range.start.line}:${r.range.start.character}-${r.range.end.character}`);
    const inMain = positionOf(MAIN, "loki.write.default.receiver");
    const inOther = positionOf(OTHER, "loki.write.default.receiver");
    expect(where.sort()).toEqual(
      [`main:${positionOf(MAIN, 'loki.write "default"').line}:0-20`, `main:${inMain.line}:${inMain.character}-${inMain.character + 18}`, `other:${inOther.line}:${inOther.character}-${inOther.character + 18}`].sort(),
    );
  });

  it("renames a component label in its header and in every reference, and refuses a bad name", async () => {
    const at = { textDocument: { uri: other }, position: positionOf(OTHER, "default.receiver", 2) };
    const prepared = await client.request<{ placeholder: string }>("textDocument/prepareRename", at);
    expect(prepared.placeholder).toBe("default");
    const edit = await client.request<{ changes: Record<string, TextEdit[]> }>("textDocument/rename", { ...at, newName: "sink" });
    const newMain = applyEdits(MAIN, edit.changes[main] ?? []);
    const newOther = applyEdits(OTHER, edit.changes[other] ?? []);
    expect(newMain).toBe(MAIN.replace('loki.write "default"', 'loki.write "sink"').replace("loki.write.default.receiver", "loki.write.sink.receiver"));
    expect(newOther).toBe(OTHER.replace("loki.write.default.receiver", "loki.write.sink.receiver"));
    // The renamed config still checks clean.
    await client.change(main, newMain);
    const published = await client.change(other, newOther);
    expect(published.diagnostics).toEqual([]);
    await expect(client.request("textDocument/rename", { ...at, newName: "9lives" })).rejects.toThrow(/not a valid component label/);
    await client.change(main, MAIN);
    await client.change(other, OTHER);
  });

  it("completes a block with its braces, and its label, as a snippet when the editor takes snippets", async () => {
    const text = `${OTHER}\nloki.write "w" {\n\t\n}\n`;
    await client.change(other, text);
    const items = await client.request<{ label: string; textEdit?: { newText: string }; insertTextFormat?: number }[]>("textDocument/completion", {
      textDocument: { uri: other },
      position: positionOf(text, '"w" {\n\t', 7),
    });
    expect(items.find((i) => i.label === "endpoint")).toMatchObject({ textEdit: { newText: "endpoint {\n\t$0\n}" }, insertTextFormat: 2 });
    await client.change(other, OTHER);
  });

  it("outlines a document", async () => {
    const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>("textDocument/documentSymbol", { textDocument: { uri: main } });
    expect(symbols.map((s) => s.name)).toEqual([
      'discovery.kubernetes "pods"',
      'discovery.relabel "pods"',
      'loki.source.file "logs"',
      'loki.process "main"',
      'loki.write "default"',
      'prometheus.scrape "self"',
      'prometheus.remote_write "prom"',
    ]);
    expect(symbols[4]?.children?.map((c) => c.name)).toEqual(["endpoint"]);
  });

  it("formats like river fmt (alloy fmt), and never a file with syntax errors", async () => {
    const messy = 'loki.write "w" {\nendpoint {\nurl = "http://x"\n    remote_timeout="10s"\n}\n}\n';
    await client.change(other, messy);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: other }, options: { tabSize: 4, insertSpaces: false } });
    expect(applyEdits(messy, edits)).toBe(format(messy));
    await client.change(other, `${messy}loki.write "broken" {\n`);
    expect(await client.request("textDocument/formatting", { textDocument: { uri: other }, options: { tabSize: 4, insertSpaces: false } })).toEqual([]);
    await client.change(other, OTHER);
  });

  it("offers the checker's did-you-mean as a quick fix, and adds a missing required attribute or block", async () => {
    const typo = OTHER.replace("loki.write.default.receiver", "loki.write.defualt.receiver").replace("http {", "htp {");
    const published: PublishedDiagnostics = await client.change(other, typo);
    const actions = await client.request<{ title: string; edit: { changes: Record<string, TextEdit[]> } }[]>("textDocument/codeAction", {
      textDocument: { uri: other },
      range: { start: { line: 0, character: 0 }, end: { line: 6, character: 0 } },
      context: { diagnostics: published.diagnostics },
    });
    let fixed = typo;
    for (const a of actions) fixed = applyEdits(fixed, a.edit.changes[other] ?? []);
    expect(actions.map((a) => a.title).sort()).toEqual(["Change to http", "Change to loki.write.default.receiver"]);
    expect(fixed).toBe(OTHER);

    const missing = `${OTHER}\nloki.write "w" {\n\tendpoint { }\n}\n\nprometheus.remote_write "r" { }\n`;
    const problems = await client.change(other, missing);
    expect(problems.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(["MISSING_ATTRIBUTE"]));
    const adds = await client.request<{ title: string; edit: { changes: Record<string, TextEdit[]> } }[]>("textDocument/codeAction", {
      textDocument: { uri: other },
      range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
      context: { diagnostics: problems.diagnostics },
    });
    expect(adds.map((a) => a.title)).toContain("Add attribute url");
    const withUrl = applyEdits(missing, adds.find((a) => a.title === "Add attribute url")?.edit.changes[other] ?? []);
    expect(withUrl).toContain('\tendpoint {\n\t\turl = ""\n\t}\n');
    expect(format(withUrl)).toBe(withUrl);

    const noClient = `${OTHER}\notelcol.exporter.otlp "o" { }\n`;
    const blockProblems = await client.change(other, noClient);
    const blockActions = await client.request<{ title: string; edit: { changes: Record<string, TextEdit[]> } }[]>("textDocument/codeAction", {
      textDocument: { uri: other },
      range: { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } },
      context: { diagnostics: blockProblems.diagnostics },
    });
    const withClient = applyEdits(noClient, blockActions.find((a) => a.title === "Add block client")?.edit.changes[other] ?? []);
    expect(withClient).toBe(`${OTHER}\notelcol.exporter.otlp "o" {\n\tclient { }\n}\n`);
    expect(format(withClient)).toBe(withClient);
    await client.change(other, OTHER);
  });
});
