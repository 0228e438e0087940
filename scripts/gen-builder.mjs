#!/usr/bin/env node
// Generates src/builder/generated/components.ts and stdlib.ts, the builder's TypeScript types for every Alloy
// component, config block and stdlib function, from river's committed schema (src/schema/generated, itself generated
// by scripts/gen-schema.mjs).
//
//   node scripts/gen-builder.mjs [--check]
//
// --check compares with the committed files instead of writing them (exit 1 when they differ). The schema is
// TypeScript, so it is loaded with tsx. Output is deterministic: names are sorted and nothing depends on time or
// environment.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, "..");
export const OUT_DIR = join(REPO, "src", "builder", "generated");

/** `loki.source.file` → `LokiSourceFile`, `basic_auth` → `BasicAuth`. */
function pascal(name) {
  return name
    .split(/[._]/)
    .filter((p) => p !== "")
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join("");
}

/** A TypeScript type for an Alloy type. `output`: the type of an export (what references produce). */
function tsType(t, output) {
  switch (t.kind) {
    case "any":
    case "function":
      return output ? "any" : "unknown";
    case "null":
      return "null";
    case "string":
      return "string";
    case "number":
      return "number";
    case "bool":
      return "boolean";
    case "duration":
      return "Duration";
    case "secret":
      return output ? 'Capsule<"secret">' : "Secret";
    case "optional_secret":
      // Alloy converts an optional secret to a string when it is not secret: the checker decides, not the types.
      return output ? "string" : "Secret";
    case "list":
      return `readonly ${wrap(tsType(t.elem, output))}[]`;
    case "map":
      return `{ readonly [key: string]: ${tsType(t.elem, output)} }`;
    case "target":
      return "Target";
    case "capsule":
      return `Capsule<${JSON.stringify(t.name)}>`;
    default:
      throw new Error(`no TypeScript type for ${JSON.stringify(t)}`);
  }
}

function wrap(ts) {
  return /^[A-Za-z_<>", ]+$/.test(ts) && !ts.includes(" | ") ? ts : `(${ts})`;
}

function key(name) {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

function doc(lines, indent) {
  const text = lines.filter((l) => l !== undefined && l !== "");
  if (text.length === 0) return "";
  return `${indent}/** ${text.join(" ").replaceAll("*/", "*\\/")} */\n`;
}

/**
 * Writes the interface of a block's props (and, recursively, of its child blocks and enum lists) into `out`.
 * `path` is the chain of schemas from the component down to `block`, for childBlocks.
 */
function blockInterface(schemaMod, typeName, block, path, out, labeled) {
  const children = schemaMod.childBlocks(path, block);
  const lines = [];
  if (labeled) lines.push(`  /** The block's label. */\n  readonly $label: string;`);
  for (const [name, arg] of Object.entries(block.arguments).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const parsed = schemaMod.parseType(arg.type);
    let ts = `In<${tsType(parsed, false)}>`;
    if (arg.oneOf !== undefined && arg.oneOfIgnoresCase !== true && arg.oneOf.length > 0) {
      ts = `In<${arg.oneOf.map((v) => JSON.stringify(v)).join(" | ")}> | Expression<string>`;
    }
    const d = doc(
      [
        `\`${arg.type}\`${arg.goType !== undefined ? ` (Go \`${arg.goType}\`)` : ""}.`,
        arg.oneOf !== undefined ? `One of ${arg.oneOf.map((v) => JSON.stringify(v)).join(", ")}${arg.oneOfIgnoresCase ? " (any case)" : ""}.` : undefined,
        arg.default !== undefined ? `Default: ${arg.default.replaceAll("\n", " ")}.` : undefined,
        arg.deprecated ? "@deprecated" : undefined,
      ],
      "  ",
    );
    lines.push(`${d}  readonly ${key(name)}${arg.required ? "" : "?"}: ${ts};`);
  }
  const enums = new Map();
  for (const [name, child] of Object.entries(children).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (child.enum !== undefined) {
      if (!name.startsWith(`${child.enum}.`)) throw new Error(`${typeName}: enum block ${name} does not start with ${child.enum}.`);
      const members = enums.get(child.enum) ?? [];
      members.push([name, child]);
      enums.set(child.enum, members);
      continue;
    }
    if (Object.hasOwn(block.arguments, name)) throw new Error(`${typeName}: ${name} is both an argument and a block`);
    const childType = childTypeName(typeName, name, child, path, schemaMod, out);
    const slot = child.repeatable === false ? `BlockIn<${childType}>` : `readonly BlockIn<${childType}>[]`;
    lines.push(`${doc([child.repeatable === false ? "Block." : "Block, repeatable: one entry per block."], "  ")}  readonly ${key(name)}${child.required ? "" : "?"}: ${slot};`);
  }
  for (const [e, members] of [...enums].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (Object.hasOwn(block.arguments, e)) throw new Error(`${typeName}: enum list ${e} clashes with an argument`);
    const unionName = `${typeName}_${pascal(e)}`;
    // Members are the same blocks wherever the list appears (stage.match repeats loki.process's stages): one type each.
    const base = typeName.split("_")[0];
    const alts = members.map(([name, child]) => `{ readonly ${key(name.slice(e.length + 1))}: ${childTypeName(base, name, child, path, schemaMod, out)} }`);
    out.set(unionName, `/** One \`${e}.*\` block of ${typeName}'s ordered list. */\nexport type ${unionName} =\n  | ${alts.join("\n  | ")};\n`);
    lines.push(`${doc([`The ordered \`${e}.*\` blocks: \`[{ ${members[0][0].slice(e.length + 1)}: {...} }, ...]\`.`], "  ")}  readonly ${key(e)}?: readonly BlockIn<${unionName}>[];`);
  }
  out.set(typeName, `export interface ${typeName} {\n${lines.join("\n")}\n}\n`);
}

/** A relabel rule block's attributes: such blocks get the hand-written RelabelRule union (typed by action). */
const RELABEL_RULE_ARGUMENTS = "action,modulus,regex,replacement,separator,source_labels,target_label";

/** The props type of a child block, generated once (stage.match nests itself: the name breaks the recursion). */
function childTypeName(parentType, name, child, path, schemaMod, out) {
  if (child.body === "components") return "Body";
  if (Object.keys(child.arguments).sort().join(",") === RELABEL_RULE_ARGUMENTS && Object.keys(child.blocks).length === 0) return "RelabelRule";
  const base = parentType.split("_")[0];
  // A childrenOf block (stage.match) is the same type wherever it nests: name it from the component.
  const typeName = child.childrenOf !== undefined ? `${base}_${pascal(name)}` : `${parentType}_${pascal(name)}`;
  if (out.has(typeName)) return typeName;
  out.set(typeName, ""); // reserve the name: recursion stops here
  blockInterface(schemaMod, typeName, child, [...path, child], out, child.labeled === true);
  return typeName;
}

export async function generate() {
  const schemaMod = await tsImport(pathToFileURL(join(REPO, "src", "schema", "index.ts")).href, import.meta.url);
  const { COMPONENTS, CONFIG_BLOCKS, ALLOY_VERSION } = schemaMod;
  const out = new Map();
  const components = Object.keys(COMPONENTS).sort();
  const typeNames = new Map();
  for (const name of [...components, ...Object.keys(CONFIG_BLOCKS).sort()]) {
    const t = pascal(name);
    if (typeNames.has(t)) throw new Error(`type name ${t} of ${name} clashes with ${typeNames.get(t)}`);
    typeNames.set(t, name);
  }
  const argLines = [];
  const exportLines = [];
  for (const name of components) {
    const c = COMPONENTS[name];
    const t = pascal(name);
    blockInterface(schemaMod, `${t}Args`, c, [c], out, false);
    const exps = Object.entries(c.exports)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([e, type]) => `  /** \`${type}\` */\n  readonly ${key(e)}: Expression<${tsType(schemaMod.parseType(type), true)}>;`);
    out.set(`${t}Exports`, `export interface ${t}Exports {\n${exps.join("\n")}\n}\n`);
    argLines.push(`  ${JSON.stringify(name)}: ${t}Args;`);
    exportLines.push(`  ${JSON.stringify(name)}: ${t}Exports;`);
  }
  const configLines = [];
  for (const name of Object.keys(CONFIG_BLOCKS).sort()) {
    const b = CONFIG_BLOCKS[name];
    const t = `${pascal(name)}Block`;
    if (b.body === "components") configLines.push(`  ${JSON.stringify(name)}: Body;`);
    else {
      blockInterface(schemaMod, t, b, [b], out, false);
      configLines.push(`  ${JSON.stringify(name)}: ${t};`);
    }
  }
  const tree = treeType(components);
  const parts = [
    `// Code generated by scripts/gen-builder.mjs from src/schema (Alloy ${ALLOY_VERSION}). DO NOT EDIT.\n`,
    `import type { Body } from "../body.ts";\n`,
    `import type { ComponentConstructor } from "../config.ts";\n`,
    `import type { RelabelRule } from "../relabel-rule.ts";\n`,
    `import type { BlockIn, Capsule, Duration, In, Secret, Target } from "../types.ts";\n`,
    `import type { Expression } from "../values.ts";\n\n`,
    `/** Every component's props: its arguments and blocks, by component name. */\n`,
    `export interface ComponentArgs {\n${argLines.join("\n")}\n}\n\n`,
    `/** Every component's exports, as typed references. */\n`,
    `export interface ComponentExports {\n${exportLines.join("\n")}\n}\n\n`,
    `/** The props of the config blocks (\`logging\`, \`declare\`, \`import.file\`, ...), by name. */\n`,
    `export interface ConfigBlockArgs {\n${configLines.join("\n")}\n}\n\n`,
    `/** The components as a namespace tree: \`config.loki.write(label, props)\`. */\n`,
    `export interface ComponentTree ${tree}\n`,
  ];
  for (const name of [...out.keys()].sort()) parts.push(`\n${out.get(name)}`);
  return { "components.ts": parts.join(""), "stdlib.ts": stdlibTypes(schemaMod) };
}

const RESERVED = new Set(["new", "default", "delete", "function", "class", "in", "for", "if", "var", "this", "void", "with", "case", "do", "else", "enum", "export", "import", "return", "switch", "throw", "try", "while", "yield"]);

/** The stdlib as a typed namespace tree: `std.sys.env(name)`, `std.constants.hostname`, `std.coalesce(...)`. */
function stdlibTypes(schemaMod) {
  const { STDLIB, ALLOY_VERSION } = schemaMod;
  const members = new Map();
  for (const [name, entry] of Object.entries(STDLIB.entries)) {
    if (entry.kind === "constant") {
      members.set(name, `Expression<${tsType(schemaMod.parseType(entry.type), true)}>`);
      continue;
    }
    const params = entry.params.map((p) => {
      const t = `In<${tsType(schemaMod.parseType(p.type), false)}>`;
      // A parameter named after a reserved word (string.replace's `new`) gets a trailing underscore.
      const name = RESERVED.has(p.name) ? `${p.name}_` : p.name;
      return p.variadic ? `...${name}: ${t}[]` : `${name}${p.optional ? "?" : ""}: ${t}`;
    });
    members.set(name, `(${params.join(", ")}) => Expression<${tsType(schemaMod.parseType(entry.returns), true)}>`);
  }
  const tree = treeOf(members);
  const used = ["Capsule", "Duration", "In", "Secret", "Target"].filter((t) => new RegExp(`\\b${t}\\b`).test(tree));
  return [
    `// Code generated by scripts/gen-builder.mjs from src/schema (Alloy ${ALLOY_VERSION}). DO NOT EDIT.\n`,
    `import type { ${used.join(", ")} } from "../types.ts";\n`,
    `import type { Expression } from "../values.ts";\n\n`,
    `/** Alloy's standard library: functions return typed call expressions, constants are typed references. */\n`,
    `export interface Stdlib ${tree}\n`,
  ].join("");
}

/** A namespace tree type from dotted names to member types. */
function treeOf(members) {
  const root = new Map();
  for (const [name, type] of [...members].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let node = root;
    const parts = name.split(".");
    parts.forEach((p, i) => {
      if (!node.has(p)) node.set(p, { type: undefined, kids: new Map() });
      const entry = node.get(p);
      if (i === parts.length - 1) entry.type = type;
      node = entry.kids;
    });
  }
  const render = (node, indent) => {
    const lines = [...node.keys()].map((k) => {
      const { type, kids } = node.get(k);
      if (type !== undefined && kids.size > 0) throw new Error(`stdlib name ${k} is both a member and a namespace`);
      return `${indent}  readonly ${key(k)}: ${type ?? render(kids, `${indent}  `)};`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  };
  return render(root, "");
}

/** `{ readonly loki: { readonly write: ComponentConstructor<"loki.write"> ... } }` for the given dotted names. */
function treeType(names) {
  const root = new Map();
  for (const name of names) {
    let node = root;
    const parts = name.split(".");
    parts.forEach((p, i) => {
      if (!node.has(p)) node.set(p, { leaf: undefined, kids: new Map() });
      const entry = node.get(p);
      if (i === parts.length - 1) entry.leaf = name;
      node = entry.kids;
    });
  }
  const render = (node, indent) => {
    const lines = [...node.keys()].sort().map((k) => {
      const { leaf, kids } = node.get(k);
      const ctor = leaf !== undefined ? `ComponentConstructor<${JSON.stringify(leaf)}>` : undefined;
      const sub = kids.size > 0 ? render(kids, `${indent}  `) : undefined;
      return `${indent}  readonly ${key(k)}: ${[ctor, sub].filter(Boolean).join(" & ")};`;
    });
    return `{\n${lines.join("\n")}\n${indent}}`;
  };
  return render(root, "");
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await generate();
  let stale = false;
  for (const [name, text] of Object.entries(files)) {
    const path = join(OUT_DIR, name);
    if (process.argv.includes("--check")) {
      let committed = "";
      try {
        committed = readFileSync(path, "utf8");
      } catch {
        // missing: stale
      }
      if (committed !== text) {
        console.error(`${path} is stale: run node scripts/gen-builder.mjs`);
        stale = true;
      }
    } else {
      mkdirSync(OUT_DIR, { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${path} (${text.length} bytes)`);
    }
  }
  if (stale) process.exit(1);
}
