/**
 * Checks of a SOPS-encrypted Kubernetes Secret. The structural part needs no key (`river lint` runs it): the file is
 * SOPS YAML, `apiVersion`/`kind`/`metadata` stay readable for kustomize and Flux, every value under `data` and
 * `stringData` is a well-formed ciphertext, the keys the stack needs are there, and the age recipients are those of
 * `.sops.yaml`. With identities, the values are also decrypted and the MAC checked.
 */
import { isMap, isScalar, Lexer, type Node, type Scalar, type YAMLMap } from "yaml";
import { diagnosticAt, type Diagnostic, type Severity } from "../diag/diagnostic.ts";
import { looksEncrypted, parseEncryptedValue } from "./aes.ts";
import { compileEncryptionRule, DEFAULT_ENCRYPTION_RULE, KUBERNETES_ENCRYPTED_REGEX } from "./rules.ts";
import { parseSopsFile, type SopsFile } from "./sops-file.ts";

export interface SopsSecretExpectations {
  /** Keys that must be present under `stringData` (or `data`). */
  readonly requiredKeys: readonly string[];
  /** The age recipients of the matching `.sops.yaml` creation rule; the file must be encrypted to exactly these. */
  readonly recipients?: readonly string[];
  /** The Secret's expected `metadata.name` / `metadata.namespace`. */
  readonly name?: string;
  readonly namespace?: string;
}

export interface SopsSecretDecryptOptions extends SopsSecretExpectations {
  /** age identities (`AGE-SECRET-KEY-1…`): with one that opens the file, its values are decrypted and the MAC checked. */
  readonly identities: readonly string[];
}

/** The key-less checks, for `river lint` and `river build`. Pure: no file system, no keys. */
export function verifySopsSecret(text: string, filename: string, options: SopsSecretExpectations): Diagnostic[] {
  return structuralChecks(parseSopsFile(text, filename), options);
}

/** The structural checks, then decryption and the MAC check with `options.identities`. */
export async function verifySopsSecretDecrypting(text: string, filename: string, options: SopsSecretDecryptOptions): Promise<Diagnostic[]> {
  const file = parseSopsFile(text, filename);
  const diagnostics = structuralChecks(file, options);
  if (!file.metadata || file.diagnostics.length > 0) return diagnostics;
  // Loaded on demand: the age libraries are most of this module's cost, and the structural checks (build, lint) need none.
  const { decryptSopsFile } = await import("./decrypt.ts");
  const decryption = await decryptSopsFile(file, file.metadata, { identities: options.identities });
  return sortDiagnostics([...diagnostics, ...decryption.diagnostics]);
}

const SECRET_DATA = new Set(["data", "stringData"]);
/** The parts kustomize (the namespace transformer, name references) and Flux read before decryption. */
export const READABLE: ReadonlySet<string> = new Set(["apiVersion", "kind", "metadata"]);

/** Structural checks of a parsed file (exported for `river secret set`, which refuses to touch a broken file). */
export function structuralChecks(file: SopsFile, options: SopsSecretExpectations): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...file.diagnostics];
  const report: Report = (severity, code, message, at) => {
    const [start, end] = at === undefined ? [0, 0] : isSpan(at) ? at : (at.range ?? [0, 0]);
    diagnostics.push(diagnosticAt(file.source, severity, code, message, start, end));
  };
  const root = file.document?.contents;
  if (!isMap(root)) return diagnostics;
  const topValue = (key: string): Scalar | undefined => {
    const v = root.get(key, true);
    return isScalar(v) ? v : undefined;
  };

  const kind = topValue("kind");
  if (kind?.value !== "Secret") {
    report("error", "SOPS_NOT_SECRET", `expected a Kubernetes Secret (kind: Secret), found ${kind ? `kind: ${String(kind.value)}` : "no kind"}`, kind ?? root.items[0]?.key as Node | undefined);
  }
  const meta = root.get("metadata", true);
  for (const field of ["name", "namespace"] as const) {
    const expected = options[field];
    const actual = isMap(meta) ? meta.get(field, true) : undefined;
    if (expected !== undefined && (!isScalar(actual) || actual.value !== expected)) {
      const found = isScalar(actual) ? `"${String(actual.value)}"` : "none";
      report("error", "SOPS_SECRET_NAME", `the Secret's metadata.${field} is ${found}; the stack expects "${expected}"`, isScalar(actual) ? actual : (meta as Node | undefined) ?? kind);
    }
  }

  for (const leaf of file.leaves) {
    const text = String(leaf.node.value);
    const where = leaf.path.join(".");
    if (!file.rule) {
      // Not a SOPS file at all (reported above): only its secret values matter.
      if (SECRET_DATA.has(leaf.path[0] ?? "") && !looksEncrypted(text)) report("error", "SOPS_PLAINTEXT_VALUE", `${where} is in plaintext; create the file with \`river secret set ${leaf.path.at(-1) ?? ""}\` instead`, leaf.node);
    } else if (leaf.encrypted && READABLE.has(leaf.path[0] ?? "")) {
      report("error", "SOPS_ENCRYPTED_METADATA", `${where} is encrypted by the file's rule, but kustomize and Flux must read apiVersion, kind and metadata: encrypt with \`encrypted_regex: ${KUBERNETES_ENCRYPTED_REGEX}\``, leaf.node);
    } else if (!leaf.encrypted && SECRET_DATA.has(leaf.path[0] ?? "")) {
      report("error", "SOPS_PLAINTEXT_VALUE", `${where} is in plaintext: the file's rule (sops.${file.rule.kind}: ${file.rule.value}) does not encrypt it; use \`encrypted_regex: ${KUBERNETES_ENCRYPTED_REGEX}\``, leaf.node);
    } else if (leaf.encrypted && text !== "") {
      if (!looksEncrypted(text)) {
        report("error", "SOPS_PLAINTEXT_VALUE", `${where} is in plaintext; set it with \`river secret set ${leaf.path.at(-1) ?? ""}\` instead of editing the file`, leaf.node);
      } else {
        const parsed = parseEncryptedValue(text);
        if (typeof parsed === "string") report("error", "SOPS_BAD_VALUE", `the encrypted value of ${where} ${parsed}; set it again with \`river secret set\``, leaf.node);
      }
    }
  }

  checkKeys(root, options.requiredKeys, report);
  if (file.rule) checkComments(file, root, report);
  if (file.metadata && options.recipients) {
    const actual = file.metadata.age.map((a) => a.recipient);
    const missing = options.recipients.filter((r) => !actual.includes(r));
    const extra = file.metadata.age.filter((a) => !options.recipients?.includes(a.recipient));
    for (const r of missing) {
      report("error", "SOPS_RECIPIENT_MISMATCH", `the file is not encrypted to ${r}, which .sops.yaml names; re-encrypt the data key with \`river secret updatekeys\``, file.metadata.keyNode);
    }
    for (const a of extra) {
      report("error", "SOPS_RECIPIENT_MISMATCH", `the file is encrypted to ${a.recipient}, which .sops.yaml does not name; re-encrypt the data key with \`river secret updatekeys\``, a.recipientNode);
    }
  }
  return sortDiagnostics(diagnostics);
}

/** A range of UTF-16 offsets, for what is not a node (a comment). */
type Span = readonly [number, number];
type Report = (severity: Severity, code: string, message: string, at: Node | Span | undefined) => void;
const isSpan = (at: Node | Span): at is Span => Array.isArray(at);

function checkKeys(root: YAMLMap, requiredKeys: readonly string[], report: Report): void {
  const present = new Map<string, Node>();
  let anchor: Node | undefined = root.items.find((p) => isScalar(p.key) && p.key.value === "sops")?.key as Node | undefined;
  for (const section of ["data", "stringData"]) {
    const pair = root.items.find((p) => isScalar(p.key) && p.key.value === section);
    if (!pair) continue;
    anchor = pair.key as Node;
    if (!isMap(pair.value)) {
      if (pair.value !== null && !(isScalar(pair.value) && pair.value.value === "")) report("error", "SOPS_NOT_SECRET", `${section} must be a mapping of keys to values`, pair.value as Node);
      continue;
    }
    for (const item of pair.value.items) {
      if (isScalar(item.key)) present.set(String(item.key.value), item.key);
    }
  }
  const missing = requiredKeys.filter((k) => !present.has(k));
  if (missing.length > 0) {
    const sets = missing.map((k) => `river secret set ${k}`).join("`, `");
    report("error", "SOPS_MISSING_KEY", `the Secret lacks ${missing.length === 1 ? "the key" : "the keys"} ${missing.join(", ")} that the stack needs; add ${missing.length === 1 ? "it" : "them"} with \`${sets}\``, anchor);
  }
  if (requiredKeys.length === 0) return;
  for (const [key, node] of present) {
    if (!requiredKeys.includes(key)) report("warning", "SOPS_UNKNOWN_KEY", `the stack does not use the key ${key} (it reads ${requiredKeys.join(", ")})`, node);
  }
}

/**
 * sops encrypts comments too: inside `stringData`, `# old token: …` becomes `#ENC[AES256_GCM,…,type:comment]`. A
 * comment there in plaintext was added by hand and may say what the values are, so it gets a warning. Comments are
 * found with the YAML lexer, so a `#` inside a quoted or block scalar is not taken for one.
 */
function checkComments(file: SopsFile, root: YAMLMap, report: Report): void {
  const encrypted = compileEncryptionRule(file.rule ?? DEFAULT_ENCRYPTION_RULE);
  // A section runs from the line after its key (a comment on the key's own line belongs to the parent, as in sops).
  const text = file.source.text;
  const ranges: Span[] = [];
  for (const p of root.items) {
    const key = p.key as Node;
    if (!isScalar(key) || !SECRET_DATA.has(String(key.value)) || !encrypted([String(key.value)]) || !isMap(p.value)) continue;
    const start = text.indexOf("\n", key.range?.[2] ?? 0) + 1;
    const end = p.value.range?.[2];
    if (start > 0 && end !== undefined) ranges.push([start, end]);
  }
  if (ranges.length === 0) return;
  let offset = 0;
  for (const token of new Lexer().lex(file.source.text)) {
    if (LEXER_MARKERS.has(token)) continue;
    if (token.startsWith("#") && !token.startsWith("#ENC[AES256_GCM,") && ranges.some(([start, end]) => offset >= start && offset < end)) {
      // The comment itself is not quoted in the message: it may hold a secret.
      report("warning", "SOPS_PLAINTEXT_COMMENT", "this comment among the Secret's values is not encrypted (sops encrypts comments there); remove it, it may say too much", [offset, offset + token.length]);
    }
    offset += token.length;
  }
}

/** Tokens the yaml lexer emits that are not in the source (document start, flow error, scalar). */
const LEXER_MARKERS: ReadonlySet<string> = new Set(["\u0002", "\u0018", "\u001f"]);

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}
