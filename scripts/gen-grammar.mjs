#!/usr/bin/env node
// Regenerates grammar/river.ebnf and grammar/river.html from the built parser (run `npm run build` first, or use
// `npm run gen:grammar`, which does both). test/syntax/grammar.test.ts fails when the committed files are stale.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { grammarDiagramHtml, grammarEbnf, grammarProductions } from "../dist/syntax/grammar.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const productions = grammarProductions();
writeFileSync(`${root}grammar/river.ebnf`, grammarEbnf(productions));
writeFileSync(`${root}grammar/river.html`, grammarDiagramHtml(productions));
console.log("wrote grammar/river.ebnf and grammar/river.html");
