import {
  createConnection,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
  type TextEdit,
} from "vscode-languageserver/node.js";
import { TextDocument } from "vscode-languageserver-textdocument";
import { hasErrors } from "../diag/diagnostic.ts";
import { format } from "../format/format.ts";
import { SourceFile } from "../source/source-file.ts";
import { codeActions } from "./actions.ts";
import { Analysis, ParseCache } from "./analysis.ts";
import { complete } from "./completion.ts";
import { offsetAt, rangeOf, toLspDiagnostic } from "./convert.ts";
import { hover } from "./hover.ts";
import { definition, documentSymbols, prepareRename, references, rename, RenameError } from "./navigation.ts";
import { filenameOf, uriOf, Workspace, type ConfigPlan } from "./workspace.ts";

/** Settings an editor may pass as `initializationOptions`. */
interface ServerOptions {
  /** Check every document as a snippet (the checker's fragment mode). */
  readonly fragment?: boolean;
  /** Least time between two checks of a document, in milliseconds (default 30). */
  readonly debounceMs?: number;
}

/** More than this many diagnostics in one file (a file of noise has 100,000s) are not sent; the last one says so. */
const MAX_DIAGNOSTICS = 500;

/** The analysis of one config, and the texts it was made from (it is current while they are). */
interface Entry {
  readonly plan: ConfigPlan;
  readonly analysis: Analysis;
}

/**
 * `river lsp`: a Language Server Protocol server over the given streams (stdio). vscode-languageserver ends the process
 * on the `exit` notification or when the input closes (exit code 1 without a `shutdown` first, as the protocol asks).
 * Every request is answered from one check of the document's config (see Workspace for what a config is); completion
 * answers from the latest one without waiting, the other requests check first when the text has changed.
 */
export function startServer(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<void> {
  const connection = createConnection(input, output);
  const documents = new TextDocuments(TextDocument);
  const parses = new ParseCache();
  const open = { get: (uri: string) => documents.get(uri)?.getText(), uris: () => documents.keys() };
  let workspace = new Workspace(open, parses);
  let debounceMs = 30;
  const entries = new Map<string, Entry>();
  const timers = new Map<string, NodeJS.Timeout>();
  const lastCheck = new Map<string, number>();
  let snippets = false;

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as ServerOptions;
    snippets = params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true;
    workspace = new Workspace(open, parses, { fragment: options.fragment === true });
    if (typeof options.debounceMs === "number" && options.debounceMs >= 0) debounceMs = options.debounceMs;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [".", '"'] },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: ["quickfix"] },
      },
      serverInfo: { name: "river" },
    };
  });

  /** The current analysis of a document's config: reused while its files are unchanged, else made now. */
  const analyze = (uri: string): Entry => {
    const plan = workspace.plan(uri);
    const old = entries.get(plan.key);
    if (old !== undefined && samePlan(old.plan, plan)) return old;
    const entry = { plan, analysis: new Analysis(plan, parses) };
    // A document belongs to one config at a time: when it moves (a snippet becomes a config), the old one goes.
    const filename = filenameOf(uri);
    for (const [key, e] of entries) if (key !== plan.key && e.plan.files.some((f) => f.filename === filename)) entries.delete(key);
    entries.set(plan.key, entry);
    return entry;
  };

  const publish = (entry: Entry) => {
    const byFile = new Map<string, LspDiagnostic[]>();
    const sources = new Map<string, SourceFile>();
    for (const [name, p] of entry.analysis.parsed) sources.set(name, p.source);
    for (const d of entry.analysis.diagnostics) {
      const file = sources.get(d.filename);
      if (file === undefined) continue;
      const list = byFile.get(d.filename) ?? [];
      byFile.set(d.filename, list);
      if (list.length < MAX_DIAGNOSTICS) list.push(toLspDiagnostic(d, file, sources));
    }
    for (const f of entry.plan.files) {
      const uri = uriOf(f.filename);
      const doc = documents.get(uri);
      if (doc === undefined) continue;
      void connection.sendDiagnostics({ uri, version: doc.version, diagnostics: byFile.get(f.filename) ?? [] });
    }
  };

  const check = (uri: string) => {
    timers.delete(uri);
    lastCheck.set(uri, performance.now());
    if (documents.get(uri) === undefined) return;
    safely(connection, () => publish(analyze(uri)), undefined);
  };

  // Opening counts as a change. Debounced without a fixed wait: a change after a quiet spell is checked as soon as the
  // messages already received are read (a burst arriving together is one check); then at most one check per
  // debounceMs, the last change always.
  documents.onDidChangeContent((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    const since = performance.now() - (lastCheck.get(uri) ?? -Infinity);
    timers.set(uri, setTimeout(() => check(uri), Math.max(0, debounceMs - since)));
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    lastCheck.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    // Forget the configs no open document belongs to any more.
    const openNames = new Set([...documents.keys()].filter((u) => u !== uri).map(filenameOf));
    for (const [key, entry] of entries) {
      if (!entry.plan.files.some((f) => openNames.has(f.filename))) entries.delete(key);
    }
    parses.forget(filenameOf(uri));
  });

  // A file changed on disk behind the editor's back (another file of a directory, a module): every open document is
  // checked again (unchanged configs are not: their files' texts decide, and they are re-read only when modified).
  connection.onDidChangeWatchedFiles(() => {
    for (const uri of documents.keys()) check(uri);
  });

  /** The document's text and its analysis, current. */
  const at = (uri: string): { entry: Entry; filename: string; file: SourceFile } | undefined => {
    if (documents.get(uri) === undefined) return undefined;
    const entry = analyze(uri);
    const filename = filenameOf(uri);
    const parsed = entry.analysis.parsed.get(filename);
    return parsed === undefined ? undefined : { entry, filename, file: parsed.source };
  };

  connection.onCompletion((params) =>
    safely(connection, () => {
      const doc = documents.get(params.textDocument.uri);
      if (doc === undefined) return [];
      const filename = filenameOf(doc.uri);
      const parsed = parses.parse(filename, doc.getText());
      const entry = [...entries.values()].find((e) => e.plan.files.some((f) => f.filename === filename));
      return complete(parsed.source, parsed.file, offsetAt(parsed.source, params.position), entry?.analysis, snippets);
    }, []),
  );

  connection.onHover((params) =>
    safely(connection, () => {
      const cur = at(params.textDocument.uri);
      return cur === undefined ? null : (hover(cur.entry.analysis, cur.filename, offsetAt(cur.file, params.position)) ?? null);
    }, null),
  );

  connection.onDefinition((params) =>
    safely(connection, () => {
      const cur = at(params.textDocument.uri);
      return cur === undefined ? null : (definition(cur.entry.analysis, cur.filename, offsetAt(cur.file, params.position)) ?? null);
    }, null),
  );

  connection.onReferences((params) =>
    safely(connection, () => {
      const cur = at(params.textDocument.uri);
      return cur === undefined ? [] : references(cur.entry.analysis, cur.filename, offsetAt(cur.file, params.position), params.context.includeDeclaration);
    }, []),
  );

  connection.onPrepareRename((params) =>
    safely(connection, () => {
      const cur = at(params.textDocument.uri);
      return cur === undefined ? null : (prepareRename(cur.entry.analysis, cur.filename, offsetAt(cur.file, params.position)) ?? null);
    }, null),
  );

  connection.onRenameRequest((params) => {
    try {
      const cur = at(params.textDocument.uri);
      if (cur === undefined) return null;
      return rename(cur.entry.analysis, cur.filename, offsetAt(cur.file, params.position), params.newName) ?? null;
    } catch (err) {
      if (err instanceof RenameError) throw new ResponseError(-32803, err.message); // RequestFailed
      connection.console.error(`river lsp: rename failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return null;
    }
  });

  connection.onDocumentSymbol((params) =>
    safely(connection, () => {
      const doc = documents.get(params.textDocument.uri);
      if (doc === undefined) return [];
      const parsed = parses.parse(filenameOf(doc.uri), doc.getText());
      return documentSymbols(parsed.file.body, parsed.source);
    }, []),
  );

  connection.onDocumentFormatting((params) =>
    safely(connection, (): TextEdit[] => {
      const doc = documents.get(params.textDocument.uri);
      if (doc === undefined) return [];
      const text = doc.getText();
      // Never on a file with syntax errors, as `alloy fmt` refuses them too.
      if (hasErrors(parses.parse(filenameOf(doc.uri), text).diagnostics)) return [];
      const formatted = format(text);
      if (formatted === text) return [];
      const file = new SourceFile(filenameOf(doc.uri), text);
      return [{ range: rangeOf(file, 0, text.length), newText: formatted }];
    }, []),
  );

  connection.onCodeAction((params) =>
    safely(connection, () => {
      const doc = documents.get(params.textDocument.uri);
      if (doc === undefined) return [];
      const parsed = parses.parse(filenameOf(doc.uri), doc.getText());
      return codeActions(parsed.source, parsed.file, params.context.diagnostics);
    }, []),
  );

  documents.listen(connection);
  return new Promise((resolve) => {
    connection.onExit(() => resolve());
    connection.listen();
  });
}

function samePlan(a: ConfigPlan, b: ConfigPlan): boolean {
  return (
    a.fragment === b.fragment &&
    a.module === b.module &&
    a.files.length === b.files.length &&
    a.files.every((f, i) => f.filename === b.files[i]?.filename && f.text === b.files[i]?.text)
  );
}

/** Runs a handler; a bug in river answers with `fallback` and a log line instead of taking the server down. */
function safely<T>(connection: Connection, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (err) {
    connection.console.error(`river lsp: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return fallback;
  }
}
