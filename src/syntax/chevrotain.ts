/**
 * Chevrotain's runtime, loaded from the single-file ESM bundle the package ships (lib/chevrotain.mjs) instead of its
 * module tree: the tree pulls in hundreds of lodash-es modules and costs ~180 ms at every start of the CLI, the bundle
 * ~10 ms. The package's export map does not expose the bundle, so it is located next to the resolved entry point.
 * Types still come from "chevrotain" itself; everything in river imports Chevrotain values from here only (token
 * identity, such as EOF, must come from one copy).
 */
import type * as Chevrotain from "chevrotain";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const entry = createRequire(import.meta.url).resolve("chevrotain"); // <pkg>/lib/src/api.js
const bundle = (await import(new URL("../chevrotain.mjs", pathToFileURL(entry)).href)) as typeof Chevrotain;

export const { EmbeddedActionsParser, EMPTY_ALT, EOF, Lexer, createToken, createSyntaxDiagramsCode } = bundle;
