import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { BlockStmt, File } from "../ast/ast.ts";
import { walk } from "../ast/walk.ts";
import type { SourceFile } from "../source/source-file.ts";
import { offsetAt, rangeOf, suggestionOf } from "./convert.ts";
import { uriOf } from "./workspace.ts";

/**
 * Quick fixes for the diagnostics the editor shows at a range: the checker's "did you mean" suggestions, and the
 * missing required attribute or block added to the block the diagnostic is reported on.
 */
export function codeActions(file: SourceFile, ast: File, diagnostics: readonly LspDiagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  const uri = uriOf(file.name);
  for (const d of diagnostics) {
    if (d.source !== "river") continue;
    const start = offsetAt(file, d.range.start);
    const end = offsetAt(file, d.range.end);
    const suggestion = suggestionOf(d.message);
    if (suggestion !== undefined && end > start) {
      const newText = replacement(file.text.slice(start, end), suggestion);
      out.push({
        title: `Change to ${newText}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [uri]: [{ range: d.range, newText }] } },
      });
    }
    const missing = /^missing required (attribute|argument|block) "([^"]+)"/.exec(d.message);
    if (missing !== null) {
      const block = blockAt(ast, start);
      if (block === undefined) continue;
      const what = missing[1] as string;
      const name = missing[2] as string;
      const type = /; add \S+ = <([^>]+)>/.exec(d.message)?.[1];
      const text = what === "block" ? `${name} { }` : `${name} = ${placeholder(type)}`;
      out.push({
        title: `Add ${what} ${name}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [uri]: [insertInto(file, block, text)] } },
      });
    }
  }
  return out;
}

/**
 * The fixed text of a range given the checker's suggestion: the whole range when the suggestion is as long, else the
 * part the suggestion replaces (`loki.write.defualt.receiver` with "loki.write.default" keeps `.receiver`; with
 * "receiver" for a misspelt export, only the segment closest to it changes).
 */
export function replacement(text: string, suggestion: string): string {
  const have = text.split(".");
  const want = suggestion.split(".");
  if (have.length <= want.length || text.includes(" ")) return suggestion;
  if (want.length > 1) return [...want, ...have.slice(want.length)].join(".");
  let best = have.length - 1;
  let bestDistance = Infinity;
  have.forEach((seg, i) => {
    const d = distance(seg, suggestion);
    if (d < bestDistance) {
      best = i;
      bestDistance = d;
    }
  });
  return have.map((seg, i) => (i === best ? suggestion : seg)).join(".");
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The block whose header starts at `offset` (where the checker reports what the block lacks). */
function blockAt(ast: File, offset: number): BlockStmt | undefined {
  let found: BlockStmt | undefined;
  walk(ast, (n) => {
    if (found !== undefined) return false;
    if (n.kind === "BlockStmt" && n.namePos === offset) found = n;
    return n.kind === "File" || n.kind === "BlockStmt";
  });
  return found;
}

/** A value of the type to start from, so the added line parses: the editor's user fills it in. */
function placeholder(type: string | undefined): string {
  if (type === undefined) return "null";
  if (type.startsWith("list(")) return "[]";
  if (type.startsWith("map(") || type === "object") return "{}";
  if (type === "number") return "0";
  if (type === "bool") return "false";
  if (/^(string|secret|duration|string or secret)$/.test(type)) return '""';
  return "null";
}

/** An edit adding a line at the start of a block's body, indented one tab deeper than its header's line. */
function insertInto(file: SourceFile, block: BlockStmt, text: string) {
  const lineStart = file.text.lastIndexOf("\n", block.namePos - 1) + 1;
  const indent = /^[ \t]*/.exec(file.text.slice(lineStart, block.namePos))?.[0] ?? "";
  const inside = file.text.slice(block.lcurly + 1, block.rcurly);
  if (inside.trim() === "" && !inside.includes("\n")) {
    // `name "x" { }`: the blank body becomes two lines, as `alloy fmt` would write them.
    return { range: rangeOf(file, block.lcurly + 1, block.rcurly), newText: `\n${indent}\t${text}\n${indent}` };
  }
  // On its own line, and the rest of a one-line body moved to the next one.
  const rest = inside.includes("\n") ? "" : `\n${indent}\t`;
  return { range: rangeOf(file, block.lcurly + 1, block.lcurly + 1), newText: `\n${indent}\t${text}${rest}` };
}
