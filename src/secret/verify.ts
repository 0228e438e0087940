/**
 * Checks of a SOPS-encrypted Kubernetes Secret. The structural part needs no key (`river lint` runs it): the file is
 * SOPS YAML, `apiVersion`/`kind`/`metadata` stay readable for kustomize and Flux, every value under `data` and
 * `stringData` is a well-formed ciphertext, the keys the stack needs are there, and the age recipients are those of
 * `.sops.yaml`. With identities, the values are also decrypted and the MAC checked.
 */
import { isMap, isScalar, type Node, type Scalar, type YAMLMap } from "yaml";
import { diagnosticAt, type Diagnostic, type Severity } from "../diag/diagnostic.ts";
import { looksEncrypted, parseEncryptedValue } from "./aes.ts";
import { KUBERNETES_ENCRYPTED_REGEX } from "./rules.ts";
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
const READABLE = new Set(["apiVersion", "kind", "metadata"]);

/** Structural checks of a parsed file (exported for `river secret set`, which refuses to touch a broken file). */
export function structuralChecks(file: SopsFile, options: SopsSecretExpectations): Diagnostic[] {
  const diagnostics: Diagnostic[] = [...file.diagnostics];
  const report = (severity: Severity, code: string, message: string, node: Node | undefined): void => {
    const [start, end] = node?.range ?? [0, 0];
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

type Report = (severity: Severity, code: string, message: string, node: Node | undefined) => void;

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

function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
}
