/**
 * A SOPS-encrypted YAML file read into what river needs: its values in sops' walk order (with their key paths and
 * whether the file's rule encrypts them), and its `sops:` metadata block, every part keeping its position for
 * diagnostics. Reading never needs a key; decryption is in decrypt.ts.
 *
 * sops walks a document in order and descends into mappings (adding the key to the path) and sequences (not adding the
 * index); null values are skipped; comments are not part of the MAC. The top-level `sops` key holds the metadata and
 * is not part of the data.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar, type YAMLMap } from "yaml";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import { GoRegexpSyntaxError } from "../relabel/go-regexp.ts";
import { COMMENT_RULE_KINDS, compileEncryptionRule, DEFAULT_ENCRYPTION_RULE, RULE_KINDS, type EncryptionRule, type PathPredicate } from "./rules.ts";

/** One scalar value of the document (outside `sops:`). */
export interface SopsLeaf {
  readonly path: readonly string[];
  readonly node: Scalar<string>;
  /** Whether the file's encryption rule says this value is encrypted. */
  readonly encrypted: boolean;
}

export interface AgeKeyEntry {
  readonly recipient: string;
  /** The age-encrypted, armored data key. */
  readonly enc: string;
  readonly recipientNode: Scalar<string>;
  readonly encNode: Scalar<string>;
}

export interface SopsMetadata {
  /** The `sops` key, where problems with the block as a whole are reported. */
  readonly keyNode: Scalar<string>;
  readonly map: YAMLMap<Scalar<string>, unknown>;
  readonly age: readonly AgeKeyEntry[];
  readonly lastModified: Scalar<string>;
  readonly mac: Scalar<string>;
  readonly version: Scalar<string>;
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted: boolean;
}

export interface SopsFile {
  readonly source: SourceFile;
  /** The parsed document; undefined when the text is not one YAML mapping. */
  readonly document: Document.Parsed | undefined;
  readonly leaves: readonly SopsLeaf[];
  /** undefined when there is no usable `sops:` block (the diagnostics say why). */
  readonly metadata: SopsMetadata | undefined;
  /**
   * The encryption rule the `sops:` block names (sops' default if it names none), even when other parts of the block
   * are damaged; undefined without a `sops:` block, when nothing says which values should be encrypted.
   */
  readonly rule: EncryptionRule | undefined;
  /** YAML errors and malformed metadata. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads `text` as a SOPS YAML file. Never throws: problems are diagnostics. */
export function parseSopsFile(text: string, filename: string): SopsFile {
  const source = new SourceFile(filename, text);
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, node: Node | undefined): void => {
    const [start, end] = node?.range ?? [0, 0];
    diagnostics.push(diagnosticAt(source, "error", code, message, start, end));
  };
  const empty = (document?: Document.Parsed): SopsFile => ({ source, document, leaves: [], metadata: undefined, rule: undefined, diagnostics });

  const documents = parseAllDocuments(text, { schema: "failsafe", uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(documents) || documents.length === 0) {
    error("SOPS_NOT_ENCRYPTED", "the file is empty; expected a SOPS-encrypted Kubernetes Secret", undefined);
    return empty();
  }
  const [document] = documents as [Document.Parsed, ...Document.Parsed[]];
  for (const e of documents.flatMap((d) => d.errors)) {
    diagnostics.push(diagnosticAt(source, "error", "SOPS_YAML", `invalid YAML: ${yamlErrorMessage(e.message)}`, e.pos[0], e.pos[1]));
  }
  if (diagnostics.length > 0) return empty();
  if (documents.length > 1) {
    error("SOPS_YAML", "river reads one YAML document per SOPS file; put each Secret in a file of its own", documents[1]?.contents ?? undefined);
    return empty();
  }
  const root = document.contents;
  if (!isMap(root)) {
    error("SOPS_YAML", "a SOPS YAML file must be a mapping at the top level", root ?? undefined);
    return empty(document);
  }

  let metadataPair: Pair | undefined;
  const dataPairs: Pair[] = [];
  for (const pair of root.items) {
    if (isScalar(pair.key) && pair.key.value === "sops") metadataPair = pair;
    else dataPairs.push(pair);
  }
  if (!metadataPair) {
    error("SOPS_NOT_ENCRYPTED", "the file has no `sops:` metadata block: it is not SOPS-encrypted (create it with `river secret set`)", root.items[0]?.key as Node | undefined);
  }
  const rule = metadataPair && isMap(metadataPair.value) ? readRule(metadataPair.value, error) : undefined;
  const metadata = metadataPair ? readMetadata(metadataPair, document, rule ?? DEFAULT_ENCRYPTION_RULE, error) : undefined;
  let encrypted: PathPredicate;
  try {
    encrypted = compileEncryptionRule(rule ?? DEFAULT_ENCRYPTION_RULE);
  } catch (err) {
    if (!(err instanceof GoRegexpSyntaxError)) throw err;
    error("SOPS_METADATA", `invalid ${rule?.kind}: ${err.message}`, metadataPair?.key as Node | undefined);
    return { source, document, leaves: [], metadata: undefined, rule: undefined, diagnostics };
  }
  const leaves = collectLeaves(document, dataPairs, encrypted, (key) => error("SOPS_YAML", "sops supports only string keys", key));
  return { source, document, leaves, metadata: diagnostics.length === 0 ? metadata : undefined, rule, diagnostics };
}

/** The yaml parser's messages that quote the source (`Block scalar header includes extra characters: |hunter2`). */
const QUOTES_SOURCE = /^(Block scalar header includes extra characters|Invalid escape sequence|Unresolved tag)\b.*/s;

/**
 * A YAML error's first line, without the source text some messages quote: in a hand-edited file the text at fault may
 * be a plaintext secret, and the position already points at it.
 */
export function yamlErrorMessage(message: string): string {
  return (message.split("\n")[0] ?? "").replace(QUOTES_SOURCE, "$1");
}

/** The scalar values under `pairs` (the top-level pairs but `sops`), in sops' walk order. */
export function collectLeaves(document: Document, pairs: readonly Pair[], encrypted: PathPredicate, badKey: (key: Node | undefined) => void = () => {}): SopsLeaf[] {
  const leaves: SopsLeaf[] = [];
  const walk = (node: unknown, path: readonly string[]): void => {
    if (isAlias(node)) walk(node.resolve(document), path);
    else if (isMap(node)) {
      for (const pair of node.items) {
        if (isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)]);
        else badKey((pair.key as Node | null) ?? undefined);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item, path);
    } else if (isScalar(node) && !isNullScalar(node)) {
      leaves.push({ path, node: node as Scalar<string>, encrypted: encrypted(path) });
    }
  };
  for (const pair of pairs) walk(pair.value, [String((pair.key as Scalar).value)]);
  return leaves;
}

/** A plain `~`, `null` or empty value: sops (yaml.v3) reads nil, which it neither encrypts nor hashes. */
function isNullScalar(node: Scalar): boolean {
  return node.type === "PLAIN" && node.tag === undefined && /^(~|null|Null|NULL|)$/.test(String(node.value));
}

type ErrorSink = (code: string, message: string, node: Node | undefined) => void;

/** The encryption rule of a `sops:` block: at most one of the rule keys, else sops' default. */
function readRule(map: YAMLMap, error: ErrorSink): EncryptionRule {
  const kinds = RULE_KINDS.filter((kind) => map.has(kind));
  const keyOf = (kind: string) => map.items.find((p) => isScalar(p.key) && p.key.value === kind)?.key as Node | undefined;
  if (kinds.length > 1) error("SOPS_METADATA", `the \`sops:\` block names ${kinds.join(" and ")}; sops allows at most one`, keyOf(kinds[1] as string));
  const kind = kinds[0];
  if (kind === undefined) return DEFAULT_ENCRYPTION_RULE;
  const value = map.get(kind, true);
  if (!isScalar(value) || typeof value.value !== "string" || value.value === "") {
    error("SOPS_METADATA", `\`sops.${kind}\` must be a non-empty string`, keyOf(kind));
    return DEFAULT_ENCRYPTION_RULE;
  }
  return { kind, value: value.value };
}

const METADATA_HELP = "(a file written by sops or `river secret set` has it; restore it from version control)";

function readMetadata(pair: Pair, document: Document.Parsed, rule: EncryptionRule, error: ErrorSink): SopsMetadata | undefined {
  const keyNode = pair.key as Scalar<string>;
  const map = pair.value;
  if (!isMap(map)) {
    error("SOPS_METADATA", "`sops:` must be a mapping of SOPS metadata", keyNode);
    return undefined;
  }
  const field = (name: string): unknown => map.get(name, true);
  const stringField = (name: string): Scalar<string> | undefined => {
    const node = field(name);
    if (isScalar(node) && typeof node.value === "string" && node.value !== "") return node as Scalar<string>;
    error("SOPS_METADATA", `the \`sops:\` block has no \`${name}\` ${METADATA_HELP}`, (isScalar(node) ? node : undefined) ?? keyNode);
    return undefined;
  };
  const lastModified = stringField("lastmodified");
  const mac = stringField("mac");
  const version = stringField("version");

  for (const unsupported of ["key_groups", "shamir_threshold", ...COMMENT_RULE_KINDS]) {
    if (map.has(unsupported)) error("SOPS_UNSUPPORTED", `river does not support sops' \`${unsupported}\``, map.items.find((p) => (p.key as Scalar).value === unsupported)?.key as Node);
  }
  const macOnly = field("mac_only_encrypted");
  const macOnlyEncrypted = isScalar(macOnly) && /^(true|True|TRUE)$/.test(String(macOnly.value));

  const age: AgeKeyEntry[] = [];
  const ageNode = field("age");
  if (ageNode !== undefined && !isSeq(ageNode)) error("SOPS_METADATA", "`sops.age` must be a list of {recipient, enc}", ageNode as Node);
  for (const item of isSeq(ageNode) ? ageNode.items : []) {
    const entry = isAlias(item) ? item.resolve(document) : item;
    const recipientNode = isMap(entry) ? entry.get("recipient", true) : undefined;
    const encNode = isMap(entry) ? entry.get("enc", true) : undefined;
    if (!isScalar(recipientNode) || !isScalar(encNode) || typeof recipientNode.value !== "string" || typeof encNode.value !== "string") {
      error("SOPS_METADATA", "each `sops.age` entry needs a `recipient` and an `enc` (the encrypted data key)", (entry as Node | null) ?? keyNode);
      continue;
    }
    age.push({ recipient: recipientNode.value, enc: encNode.value, recipientNode: recipientNode as Scalar<string>, encNode: encNode as Scalar<string> });
  }
  if (age.length === 0) error("SOPS_METADATA", "the `sops:` block has no age recipient, so nobody can decrypt the file; river reads age keys only", keyNode);
  if (!lastModified || !mac || !version) return undefined;
  return { keyNode, map: map as YAMLMap<Scalar<string>, unknown>, age, lastModified, mac, version, rule, macOnlyEncrypted };
}
