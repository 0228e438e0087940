import type { BlockSchema } from "../schema/model.ts";
import { COMPONENTS, CONFIG_BLOCKS, childBlocks } from "../schema/index.ts";
import { isValidIdentifier } from "../syntax/identifier.ts";
import type { DraftItem, DraftStmt } from "./draft.ts";
import { Annotated, BuilderError, commentLines, commentTexts, isPlainObject, toDraft, type Annotation } from "./values.ts";

/**
 * A block body as an ordered list of statements and comments, for what a props object can't say: statements in an
 * order that groups them differently, comments at the end of a body, blocks the schema does not know (`declare`,
 * custom components), top-level attributes of a module. `river import` falls back to it where it must.
 */
export class Body {
  readonly items: readonly BodyItem[];

  constructor(items: readonly BodyItem[]) {
    this.items = items;
  }
}

/** One statement or comment of a Body. */
export class BodyItem {
  /** Called when the config is built (so that thunks and references are resolved by then). */
  readonly draft: () => DraftItem[];

  constructor(draft: () => DraftItem[]) {
    this.draft = draft;
  }
}

/** An ordered block body: `body(attr("a", 1), block("b", {}), comment("the end"))`. */
export function body(...items: readonly BodyItem[]): Body {
  return new Body(items);
}

/** `name = value` in a Body. */
export function attr(name: string, value: unknown, annotation: Annotation = {}): BodyItem {
  return new BodyItem(() => attrDraft(name, value, annotation));
}

/** An attribute's draft; an annotated value's annotation applies to the statement. */
export function attrDraft(name: string, value: unknown, annotation: Annotation): DraftItem[] {
  checkName(name, "attribute name");
  const { value: v, annotation: a } = unwrap(value);
  return annotated({ kind: "attr", name, value: toDraft(v, name) }, { ...a, ...annotation });
}

/**
 * `name "label" { ... }` in a Body (`label` undefined: no label). The contents are a Body, or props converted with
 * the schema when the block is a component or a config block (`declare` bodies hold components); other blocks' props
 * are all attributes: give their nested blocks as `block(...)` items of a Body.
 */
export function block(name: string, label: string | undefined, contents: Body | object = {}, annotation: Annotation = {}): BodyItem {
  return new BodyItem(() => blockDraft(name.split("."), label, contents, topLevelSchema(name), [], annotation));
}

/** The schema of a component or config block by name, unless its body is free-form (`foreach`'s template). */
export function topLevelSchema(name: string): BlockSchema | undefined {
  const schema = Object.hasOwn(CONFIG_BLOCKS, name) ? CONFIG_BLOCKS[name] : Object.hasOwn(COMPONENTS, name) ? COMPONENTS[name] : undefined;
  return schema?.body === undefined ? schema : undefined;
}

/** A comment on its own line(s) in a Body: text without `//` (one `//` line per line), or a comment as written. */
export function comment(text: string, options: { readonly blank?: boolean; readonly trailing?: boolean } = {}): BodyItem {
  return new BodyItem(() => {
    const [first, ...rest] = commentTexts(text);
    if (rest.length > 0 || first === undefined) throw new BuilderError(`comment(): one comment per call (got ${JSON.stringify(text)}); use several`);
    return [{ kind: "comment", text: first, ...options }];
  });
}

function checkName(name: string, what: string): void {
  if (!isValidIdentifier(name)) throw new BuilderError(`${JSON.stringify(name)} is not a valid ${what} (letters, digits and _; not a keyword)`);
}

/** A statement with the comments and blank lines its annotation asks for. */
export function annotated(stmt: DraftStmt, annotation: Annotation): DraftItem[] {
  const lines = commentLines(annotation.comment);
  const trailing = annotation.trailing === undefined ? [] : commentTexts(annotation.trailing);
  if (trailing.length > 1) throw new BuilderError(`a trailing comment is one line: ${JSON.stringify(annotation.trailing)}`);
  if (annotation.blankEnd !== undefined && stmt.kind !== "block") throw new BuilderError(`${stmt.name}: blankEnd is for blocks (a blank line before their closing brace)`);
  // The blank line goes before the statement's comments, if it has some; blankLine entries put more between them
  // and after the last one.
  const items: DraftItem[] = [];
  let blank: boolean | undefined = annotation.blank;
  for (const text of lines) {
    if (text === "") blank = true;
    else {
      items.push({ kind: "comment", text, ...(blank !== undefined ? { blank } : {}) });
      blank = undefined;
    }
  }
  const blankEnd = annotation.blankEnd === true && stmt.kind === "block" ? { blankEnd: true } : {};
  items.push({ ...stmt, ...(blank !== undefined ? { blank } : {}), ...blankEnd });
  for (const text of trailing) items.push({ kind: "comment", text, trailing: true });
  return items;
}

/**
 * A block's draft. `contents` is a Body, or a props object whose keys are the block's attributes and blocks (known
 * from `schema`; without one every key is an attribute): a repeatable block takes an array, an ordered enum list such
 * as loki.process `stage` an array of one-key objects (`{ cri: {} }`), and a labeled block a `$label`. Keys keep
 * their order. Values may be annotated.
 */
export function blockDraft(
  name: readonly string[],
  label: string | undefined,
  contents: unknown,
  schema: BlockSchema | undefined,
  path: readonly BlockSchema[],
  annotation: Annotation,
  where = name.join("."),
): DraftItem[] {
  for (const part of name) checkName(part, "block name part");
  if (label !== undefined && !isValidIdentifier(label)) throw new BuilderError(`${where}: label ${JSON.stringify(label)} is not a valid identifier (letters, digits and _)`);
  let items: DraftItem[];
  if (contents instanceof Body) items = contents.items.flatMap((i) => i.draft());
  else if (isPlainObject(contents)) items = propsBody(contents, schema, schema === undefined ? path : [...path, schema], where);
  else throw new BuilderError(`${where}: a block's contents must be a props object or body(...), not ${describe(contents)}`);
  return annotated({ kind: "block", name: [...name], ...(label !== undefined ? { label } : {}), body: items }, annotation);
}

function propsBody(props: Record<string, unknown>, schema: BlockSchema | undefined, path: readonly BlockSchema[], where: string): DraftItem[] {
  const blocks = schema === undefined ? {} : childBlocks(path, schema);
  const enums = new Set(Object.values(blocks).flatMap((b) => (b.enum === undefined ? [] : [b.enum])));
  const out: DraftItem[] = [];
  for (const [key, raw] of Object.entries(props)) {
    if (key === "$label" || raw === undefined) continue;
    const { value, annotation } = unwrap(raw);
    const at = `${where}.${key}`;
    const child = Object.hasOwn(blocks, key) ? blocks[key] : undefined;
    if (child !== undefined) {
      const name = key.split(".");
      if (child.repeatable === false) out.push(...nestedBlock(name, raw, child, path, at));
      else if (!Array.isArray(value)) throw new BuilderError(`${at}: ${key} is a repeatable block: give an array of blocks`);
      else {
        // An annotation on the whole array goes to its first block.
        value.forEach((item, i) => out.push(...nestedBlock(name, i === 0 && raw !== value ? new Annotated(item, annotation) : item, child, path, `${at}[${i}]`)));
      }
    } else if (enums.has(key) && !(schema !== undefined && Object.hasOwn(schema.arguments, key))) {
      if (!Array.isArray(value)) throw new BuilderError(`${at}: give an array of one-key objects such as { ${firstEnumMember(blocks, key)}: {...} }`);
      value.forEach((entry, i) => {
        const { value: one, annotation: a } = unwrap(entry);
        const keys = isPlainObject(one) ? Object.keys(one) : [];
        const member = `${key}.${keys[0] ?? ""}`;
        const memberSchema = keys.length === 1 && Object.hasOwn(blocks, member) ? blocks[member] : undefined;
        if (memberSchema === undefined || memberSchema.enum !== key) {
          throw new BuilderError(`${at}[${i}]: expected one key naming a ${key} block (${enumMembers(blocks, key)}), got ${describe(one)}`);
        }
        out.push(...nestedBlock(member.split("."), new Annotated((one as Record<string, unknown>)[keys[0] as string], a), memberSchema, path, `${at}[${i}].${keys[0]}`));
      });
    } else {
      out.push(...annotated({ kind: "attr", name: key, value: toDraft(value, at) }, annotation));
    }
  }
  return out;
}

function nestedBlock(name: string[], raw: unknown, schema: BlockSchema, path: readonly BlockSchema[], where: string): DraftItem[] {
  const { value, annotation } = unwrap(raw);
  const label = isPlainObject(value) ? value["$label"] : undefined;
  if (schema.labeled === true && typeof label !== "string") throw new BuilderError(`${where}: this block needs a label: give $label`);
  if (label !== undefined && typeof label !== "string") throw new BuilderError(`${where}: $label must be a string`);
  return blockDraft(name, label as string | undefined, value, schema.body === undefined ? schema : undefined, path, annotation, where);
}

function unwrap(raw: unknown): { value: unknown; annotation: Annotation } {
  return raw instanceof Annotated ? { value: raw.value, annotation: raw.annotation } : { value: raw, annotation: {} };
}

function enumMembers(blocks: Readonly<Record<string, BlockSchema>>, e: string): string {
  return Object.keys(blocks)
    .filter((k) => blocks[k]?.enum === e)
    .map((k) => k.slice(e.length + 1))
    .join(", ");
}

function firstEnumMember(blocks: Readonly<Record<string, BlockSchema>>, e: string): string {
  return enumMembers(blocks, e).split(", ")[0] ?? "name";
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (isPlainObject(v)) return `an object with keys ${JSON.stringify(Object.keys(v))}`;
  return typeof v === "object" ? `a ${v.constructor?.name ?? "non-plain"} object` : `${typeof v} ${JSON.stringify(v)}`;
}
