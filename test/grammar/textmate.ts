/**
 * Loads grammar/alloy.tmLanguage.json into vscode-textmate with the Oniguruma regex engine (as WebAssembly), the
 * same two libraries VS Code highlights with, and tokenizes text line by line as an editor does.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

export const GRAMMAR_PATH = fileURLToPath(new URL("../../grammar/alloy.tmLanguage.json", import.meta.url));

export interface ScopedToken {
  /** 1-based line. */
  readonly line: number;
  /** UTF-16 offsets into the whole text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** From the outermost (`source.alloy`) in. */
  readonly scopes: readonly string[];
}

let loaded: Promise<textmate.IGrammar> | undefined;

export function alloyGrammar(): Promise<textmate.IGrammar> {
  loaded ??= (async () => {
    const wasm = readFileSync(createRequire(import.meta.url).resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scopeName: string) =>
        scopeName === "source.alloy" ? textmate.parseRawGrammar(readFileSync(GRAMMAR_PATH, "utf8"), GRAMMAR_PATH) : null,
    });
    const grammar = await registry.loadGrammar("source.alloy");
    if (grammar === null) throw new Error("source.alloy did not load");
    return grammar;
  })();
  return loaded;
}

/** Tokenizes `text` as an editor does, one line at a time with the state carried over. */
export function tokenize(grammar: textmate.IGrammar, text: string): ScopedToken[] {
  const out: ScopedToken[] = [];
  let state = textmate.INITIAL;
  let offset = 0;
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end > t.startIndex) out.push({ line: i + 1, start: offset + t.startIndex, end: offset + end, text: line.slice(t.startIndex, end), scopes: t.scopes });
    }
    state = result.ruleStack;
    offset += line.length + 1;
  });
  return out;
}
