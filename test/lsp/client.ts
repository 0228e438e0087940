import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface PublishedDiagnostics {
  readonly uri: string;
  readonly version?: number;
  readonly diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string;
    message: string;
    relatedInformation?: { location: { uri: string; range: unknown }; message: string }[];
  }[];
}

/**
 * An editor's side of `river lsp`: the server runs as a child process (from the sources, see launch.ts) and is spoken
 * to in JSON-RPC over its standard input and output, as VS Code or Neovim would.
 */
export class LspClient {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly stderr: string[] = [];
  /** Every diagnostics notification received, in order. */
  readonly history: PublishedDiagnostics[] = [];
  readonly #published: PublishedDiagnostics[] = [];
  readonly #waiters: { match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  #versions = new Map<string, number>();

  constructor() {
    this.child = spawn(process.execPath, ["--import", "tsx", "test/lsp/launch.ts", "lsp", "--stdio"], { cwd: ROOT, stdio: ["pipe", "pipe", "pipe"] });
    this.child.stderr?.on("data", (d: Buffer) => this.stderr.push(d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification("textDocument/publishDiagnostics", (p: PublishedDiagnostics) => {
      this.history.push(p);
      this.#published.push(p);
      for (const w of [...this.#waiters]) {
        if (w.match(p)) {
          this.#waiters.splice(this.#waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification("window/logMessage", (p: { message: string }) => this.stderr.push(p.message));
    this.connection.listen();
  }

  async initialize(initializationOptions: object = {}, capabilities: object = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest("initialize", { processId: process.pid, rootUri: null, capabilities, initializationOptions });
    await this.connection.sendNotification("initialized", {});
    return result as { capabilities: Record<string, unknown> };
  }

  /** The next diagnostics published for `uri` (at `version`, when given). */
  diagnostics(uri: string, version?: number): Promise<PublishedDiagnostics> {
    const match = (p: PublishedDiagnostics) => p.uri === uri && (version === undefined || p.version === version);
    const done = this.#published.find(match);
    if (done !== undefined) {
      this.#published.splice(this.#published.indexOf(done), 1);
      return Promise.resolve(done);
    }
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** The next diagnostics published for `uri` from now on (those received before are ignored). */
  nextDiagnostics(uri: string): Promise<PublishedDiagnostics> {
    return new Promise((resolve) => this.#waiters.push({ match: (p) => p.uri === uri, resolve }));
  }

  async open(uri: string, text: string): Promise<PublishedDiagnostics> {
    this.#versions.set(uri, 1);
    await this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "alloy", version: 1, text } });
    return this.diagnostics(uri, 1);
  }

  /**
   * Replaces the whole text (or a range of it) and waits for the diagnostics of the new version. A document not open
   * yet is opened with the text, so that each test stands on its own.
   */
  async change(uri: string, text: string, range?: { start: { line: number; character: number }; end: { line: number; character: number } }): Promise<PublishedDiagnostics> {
    if (!this.#versions.has(uri)) return this.open(uri, text);
    const version = (this.#versions.get(uri) ?? 1) + 1;
    this.#versions.set(uri, version);
    const contentChanges = range === undefined ? [{ text }] : [{ range, text }];
    await this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges });
    return this.diagnostics(uri, version);
  }

  /** Sends a burst of whole-text changes without waiting; resolves with the diagnostics of the last one. */
  async burst(uri: string, texts: readonly string[]): Promise<PublishedDiagnostics> {
    let version = this.#versions.get(uri) ?? 1;
    for (const text of texts) {
      version++;
      void this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    }
    this.#versions.set(uri, version);
    return this.diagnostics(uri, version);
  }

  request<T>(method: string, params: object): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  async close(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.on("exit", (code) => resolve(code)));
    try {
      await this.connection.sendRequest("shutdown");
      await this.connection.sendNotification("exit");
    } catch {
      this.child.kill();
    }
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

/** The LSP position (0-based line, UTF-16 character) of the first occurrence of `needle` in `text`, plus `delta`. */
export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not in text`);
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}
