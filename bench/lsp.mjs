#!/usr/bin/env node
// Times `river lsp` as an editor sees it, on a ~2,000-line config (copies of pipelines/logs.alloy with their own labels):
// after each edit (10 a second), how long until that version's diagnostics arrive, and how long
// a completion takes right after a keystroke; the server's resident memory every 100 edits.
//   npm run build && node bench/lsp.mjs [edits]        (default 1000)
//   node bench/lsp.mjs [edits] --src                   (from the TypeScript sources, through tsx)
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node.js";

const PAUSE_MS = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..");
const fromSource = process.argv.includes("--src");
const edits = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 1000);
if (!fromSource && !existsSync(resolve(ROOT, "dist/lsp/server.js"))) {
  process.stderr.write("bench/lsp.mjs: dist/ not found or without the language server; run `npm run build` first (or pass --src)\n");
  process.exit(2);
}

const pipeline = readFileSync(resolve(ROOT, "pipelines/logs.alloy"), "utf8");
let text = "";
for (let i = 0; text.split("\n").length < 2000; i++) {
  text += pipeline.replace(/"(pods|pod_logs|default)"/g, `"$1_${i}"`).replace(/\.(pods|pod_logs|default)\./g, `.$1_${i}.`);
}
const lines = text.split("\n");
const dir = mkdtempSync(join(tmpdir(), "river-lsp-bench-"));
const file = join(dir, "config.alloy");
writeFileSync(file, text);
const uri = pathToFileURL(file).href;

const args = fromSource ? ["--import", "tsx", "test/lsp/launch.ts", "lsp", "--stdio"] : ["bin/river.js", "lsp", "--stdio"];
const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiting = new Map();
connection.onNotification("textDocument/publishDiagnostics", (p) => {
  const resolveIt = waiting.get(p.version);
  if (resolveIt !== undefined) {
    waiting.delete(p.version);
    resolveIt(p);
  }
});
connection.listen();
const diagnosticsOf = (version) => new Promise((r) => waiting.set(version, r));

await connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities: {} });
await connection.sendNotification("initialized", {});
let version = 1;
const t0 = performance.now();
const first = diagnosticsOf(1);
await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "alloy", version, text } });
const opened = await first;
const openMs = performance.now() - t0;

// Edits come at a fast typist's pace (the server checks a change at once after a quiet spell, and at most once per
// debounce interval during a burst). Each edit retypes a string in the middle of the file (a relabel target), as typing in an argument would.
const line = lines.findIndex((l, i) => i > lines.length / 2 && l.includes('target_label  = "namespace"'));
const col = (lines[line] ?? "").indexOf('"namespace"') + 1;
const diagMs = [];
const completionMs = [];
const rss = [];
const completionLine = lines.findIndex((l, i) => i > lines.length / 2 && l.includes("forward_to = [loki.process."));
const completionChar = (lines[completionLine] ?? "").indexOf("[") + 1;
for (let n = 1; n <= edits; n++) {
  await sleep(PAUSE_MS);
  const word = n % 2 === 0 ? "namespace" : "namespacf";
  version++;
  const done = diagnosticsOf(version);
  const start = performance.now();
  await connection.sendNotification("textDocument/didChange", {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + 9 } }, text: word }],
  });
  await done;
  diagMs.push(performance.now() - start);
  if (n % 10 === 0) {
    // A keystroke, then completion at once (its analysis is one edit old: completion never waits for a check).
    version++;
    const typed = diagnosticsOf(version);
    await connection.sendNotification("textDocument/didChange", {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: col }, end: { line, character: col + 9 } }, text: "namespace" }],
    });
    const c0 = performance.now();
    const items = await connection.sendRequest("textDocument/completion", { textDocument: { uri }, position: { line: completionLine, character: completionChar } });
    completionMs.push(performance.now() - c0);
    if (!Array.isArray(items) || !items.some((i) => i.label.startsWith("loki.process."))) throw new Error("completion offered no loki.process receiver");
    await typed;
  }
  if (n % 100 === 0) rss.push(rssOf(child.pid));
}

await connection.sendRequest("shutdown");
await connection.sendNotification("exit");
rmSync(dir, { recursive: true, force: true });

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${q(0.5).toFixed(1)} ms, p95 ${q(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
};
process.stdout.write(
  `lsp: ${lines.length}-line config, open → diagnostics ${openMs.toFixed(0)} ms (${opened.diagnostics.length} diagnostics)\n` +
    `lsp: ${edits} edits, edit → diagnostics: ${stats(diagMs)}\n` +
    `lsp: ${completionMs.length} completions right after a keystroke: ${stats(completionMs)}\n` +
    `lsp: server RSS every 100 edits (MiB): ${rss.map((r) => (r / 1024).toFixed(0)).join(" ")}\n`,
);

/** Resident memory of a process in KiB (Linux /proc); NaN elsewhere. */
function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? NaN : Number(m[1]);
  } catch {
    return NaN;
  }
}
