/**
 * Where the cursor is, read from the text before it alone. A file being typed is rarely valid, so completion does not
 * rely on the parser's tree: a small scanner follows strings, comments and brackets, and knows which block bodies
 * enclose the cursor and whether it is in a statement's name or an attribute's value.
 */
export type CursorContext =
  | {
      /** At the start of a statement: a component or config block name (top level) or an attribute/block name. */
      readonly kind: "statement";
      /** Names of the enclosing blocks, outermost first (`["loki.process", "stage.match"]`). */
      readonly blocks: readonly string[];
      /** Start of the word being typed (letters, digits, `_` and `.`). */
      readonly wordStart: number;
    }
  | {
      readonly kind: "value";
      readonly blocks: readonly string[];
      /** The attribute whose value this is. */
      readonly attribute: string;
      /** Brackets opened inside the value so far (`[` for a list element, `{` for an object, `(` for call arguments). */
      readonly open: string;
      /** Offset of the string's opening quote when the cursor is inside a string literal. */
      readonly stringStart: number | undefined;
      readonly wordStart: number;
    }
  /** In a comment, a block label, or anywhere nothing can be completed. */
  | { readonly kind: "none" };

interface Frame {
  /** Block name for a block body; undefined for a bracket opened inside an expression. */
  readonly block: string | undefined;
  readonly bracket: string;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** The cursor context at `offset` of `text`. Never throws, whatever the text. */
export function cursorContext(text: string, offset: number): CursorContext {
  const frames: Frame[] = [];
  /** Tokens of the current statement (while it is not yet known to be an attribute). */
  let stmt: { text: string; start: number }[] = [];
  /** The attribute whose value is being read, and how many frames were open when it started. */
  let attribute: string | undefined;
  let attrDepth = 0;
  let lastEndsValue = false;
  let i = 0;
  const end = Math.min(offset, text.length);
  const blocks = () => frames.filter((f) => f.block !== undefined).map((f) => f.block as string);
  const endStatement = () => {
    stmt = [];
    attribute = undefined;
    lastEndsValue = false;
  };
  while (i < end) {
    const c = text[i] as string;
    if (c === "\n") {
      if (attribute === undefined) stmt = [];
      else if (frames.length === attrDepth && lastEndsValue) endStatement();
      i++;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      const nl = text.indexOf("\n", i);
      if (nl === -1 || nl >= end) return { kind: "none" };
      i = nl;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close === -1 || close + 2 > end) return { kind: "none" };
      i = close + 2;
      continue;
    }
    if (c === '"' || c === "`") {
      const start = i;
      i++;
      while (i < end && text[i] !== c && text[i] !== (c === '"' ? "\n" : "")) {
        if (c === '"' && text[i] === "\\") i++;
        i++;
      }
      if (i >= end) {
        if (attribute === undefined) return { kind: "none" };
        return { kind: "value", blocks: blocks(), attribute, open: opened(frames, attrDepth), stringStart: start, wordStart: end };
      }
      i++;
      if (attribute === undefined) stmt.push({ text: "", start });
      lastEndsValue = true;
      continue;
    }
    if (IDENT_START.test(c)) {
      const start = i;
      while (i < end && IDENT_PART.test(text[i] as string)) i++;
      if (attribute === undefined) {
        // A dotted name is one token: `prometheus.scrape`.
        const prev = stmt[stmt.length - 1];
        if (prev !== undefined && prev.text.endsWith(".") && prev.start + prev.text.length === start) prev.text = text.slice(prev.start, i);
        else stmt.push({ text: text.slice(start, i), start });
      }
      lastEndsValue = true;
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < end && /[0-9A-Za-z_.]/.test(text[i] as string)) i++;
      lastEndsValue = true;
      continue;
    }
    i++;
    if (c === ".") {
      const prev = stmt[stmt.length - 1];
      if (attribute === undefined && prev !== undefined && prev.start + prev.text.length === i - 1) prev.text += ".";
      lastEndsValue = false;
      continue;
    }
    if (c === "{" || c === "[" || c === "(") {
      if (attribute === undefined && c === "{") {
        // A block body: `name {` or `name "label" {`.
        frames.push({ block: stmt[0]?.text ?? "", bracket: "{" });
        stmt = [];
      } else {
        frames.push({ block: undefined, bracket: c });
      }
      lastEndsValue = false;
      continue;
    }
    if (c === "}" || c === "]" || c === ")") {
      const top = frames.pop();
      if (top?.block !== undefined) endStatement();
      else if (attribute !== undefined && frames.length < attrDepth) endStatement();
      lastEndsValue = true;
      continue;
    }
    if (c === "=" && attribute === undefined) {
      if (text[i] === "=") {
        i++;
        continue;
      }
      // `name =`; anything else before an `=` is broken input, where nothing can be completed.
      attribute = stmt.length === 1 ? stmt[0]?.text : undefined;
      if (attribute === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(attribute)) return { kind: "none" };
      attrDepth = frames.length;
      stmt = [];
      lastEndsValue = false;
      continue;
    }
    if (c === "=" || c === "!" || c === "<" || c === ">") {
      if (text[i] === "=") i++;
      lastEndsValue = false;
      continue;
    }
    lastEndsValue = false;
  }
  const wordStart = wordStartBefore(text, end);
  if (attribute !== undefined) {
    return { kind: "value", blocks: blocks(), attribute, open: opened(frames, attrDepth), stringStart: undefined, wordStart };
  }
  // Only the word being typed may precede the cursor in its statement (after a label or a name, nothing to complete).
  if (stmt.some((t) => t.start < wordStart)) return { kind: "none" };
  return { kind: "statement", blocks: blocks(), wordStart };
}

function opened(frames: readonly Frame[], from: number): string {
  return frames.slice(from).map((f) => f.bracket).join("");
}

/** The start of the dotted identifier that ends at `end`. */
function wordStartBefore(text: string, end: number): number {
  let i = end;
  while (i > 0 && /[A-Za-z0-9_.]/.test(text[i - 1] as string)) i--;
  return i;
}
