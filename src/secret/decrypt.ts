/**
 * Decryption of a parsed SOPS file: the data key from the first age envelope one of the identities opens, every
 * encrypted value with its key path as additional data, and the MAC recomputed over the plaintexts and compared with
 * the file's. Values that are not encrypted where the rule says they must be, or are malformed, are left to the
 * structural checks (verify.ts) and only stop the MAC comparison.
 */
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import type { Node } from "yaml";
import { additionalDataFor, decryptValue, looksEncrypted, parseEncryptedValue } from "./aes.ts";
import { DATA_KEY_BYTES, unwrapDataKey } from "./age.ts";
import { computeMac, macAdditionalData, type MacInput } from "./mac.ts";
import { formatGoFloat, sopsScalarText } from "./scalars.ts";
import type { SopsFile, SopsLeaf, SopsMetadata } from "./sops-file.ts";

export interface Decryption {
  /** undefined when no identity opened an envelope (the diagnostics say why). */
  readonly dataKey: Uint8Array | undefined;
  /** For each leaf of the file, in order: its plaintext and what the MAC hashes; undefined where it failed. */
  readonly values: readonly (DecryptedLeaf | undefined)[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface DecryptedLeaf extends MacInput {
  readonly leaf: SopsLeaf;
  readonly plaintext: Buffer;
}

/** How to get the data key: open an age envelope with one of these identities, or (for a file river just wrote) it. */
export type KeySource = { readonly identities: readonly string[] } | { readonly dataKey: Uint8Array };

export async function decryptSopsFile(file: SopsFile, metadata: SopsMetadata, key: KeySource): Promise<Decryption> {
  const diagnostics: Diagnostic[] = [];
  const error = (code: string, message: string, node: Node): void => {
    const [start, end] = node.range ?? [0, 0];
    diagnostics.push(diagnosticAt(file.source, "error", code, message, start, end));
  };
  const dataKey = "dataKey" in key ? key.dataKey : await openDataKey(metadata, key.identities, error);
  if (!dataKey) return { dataKey, values: [], diagnostics };

  const values = file.leaves.map((leaf) => decryptLeaf(leaf, dataKey, error));
  if (values.some((v) => v === undefined)) return { dataKey, values, diagnostics };
  const aad = macAdditionalData(metadata.lastModified.value);
  if (aad === undefined) {
    error("SOPS_METADATA", `\`lastmodified\` is not an RFC 3339 time ("${metadata.lastModified.value}"); restore it from version control`, metadata.lastModified);
    return { dataKey, values, diagnostics };
  }
  const mac = parseEncryptedValue(metadata.mac.value);
  let fileMac: string | undefined;
  if (typeof mac !== "string") {
    try {
      fileMac = decryptValue(mac, dataKey, aad).toString("utf8");
    } catch {
      fileMac = undefined;
    }
  }
  const computed = computeMac(values as DecryptedLeaf[], metadata.macOnlyEncrypted);
  if (fileMac === undefined) {
    error("SOPS_MAC_MISMATCH", "the MAC does not decrypt with the file's data key: `mac` or `lastmodified` was edited by hand; restore the file from version control and change values with `river secret set`", metadata.mac);
  } else if (fileMac !== computed) {
    error("SOPS_MAC_MISMATCH", "MAC mismatch: the values are not the ones sops or river encrypted (edited, reordered or removed by hand); restore the file from version control and change values with `river secret set`", metadata.mac);
  }
  return { dataKey, values, diagnostics };
}

type ErrorSink = (code: string, message: string, node: Node) => void;

async function openDataKey(metadata: SopsMetadata, identities: readonly string[], error: ErrorSink): Promise<Uint8Array | undefined> {
  for (const entry of metadata.age) {
    let key: Uint8Array | undefined;
    try {
      key = await unwrapDataKey(entry.enc, identities);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      error("SOPS_METADATA", `the data key encrypted to ${entry.recipient} is damaged (${reason}); restore the file from version control`, entry.encNode);
      return undefined;
    }
    if (key === undefined) continue;
    if (key.length !== DATA_KEY_BYTES) {
      error("SOPS_METADATA", `the data key encrypted to ${entry.recipient} is ${key.length} bytes, not ${DATA_KEY_BYTES}`, entry.encNode);
      return undefined;
    }
    return key;
  }
  const recipients = metadata.age.map((a) => a.recipient).join(", ");
  error("SOPS_NO_IDENTITY", `none of the ${identities.length} age identities given (SOPS_AGE_KEY_FILE / SOPS_AGE_KEY) is a recipient of this file; its recipients are ${recipients}`, metadata.keyNode);
  return undefined;
}

function decryptLeaf(leaf: SopsLeaf, dataKey: Uint8Array, error: ErrorSink): DecryptedLeaf | undefined {
  const { node } = leaf;
  const text = String(node.value);
  if (!leaf.encrypted) {
    const bytes = sopsScalarText(text, node.type === "PLAIN", node.tag) ?? "";
    return { leaf, plaintext: Buffer.from(text, "utf8"), bytes, encrypted: false };
  }
  // sops leaves empty strings unencrypted; everything else must be a well-formed ciphertext (verify.ts says why not).
  if (text === "") return { leaf, plaintext: Buffer.alloc(0), bytes: "", encrypted: true };
  if (!looksEncrypted(text)) return undefined;
  const value = parseEncryptedValue(text);
  if (typeof value === "string") return undefined;
  let plaintext: Buffer;
  try {
    plaintext = decryptValue(value, dataKey, additionalDataFor(leaf.path));
  } catch {
    error("SOPS_MAC_MISMATCH", `the value of ${leaf.path.join(".")} does not decrypt with the file's data key for this key path: it was edited, copied from another file or moved from another key by hand; set it again with \`river secret set\``, node);
    return undefined;
  }
  return { leaf, plaintext, bytes: macBytes(plaintext, value.type), encrypted: true };
}

/**
 * What sops hashes for a decrypted value: `ToBytes` of the value parsed by its type tag. For the values sops writes
 * this is the plaintext itself; other spellings are normalized as Go's parsers and formatters do (`+5` → `5`,
 * `1.50` → `1.5`, `t` → `True`).
 */
function macBytes(plaintext: Buffer, type: string): Uint8Array | string {
  const text = plaintext.toString("utf8");
  switch (type) {
    case "int":
      return /^[-+]?\d+$/.test(text) ? BigInt(text.replace(/^\+/, "")).toString() : plaintext;
    case "float":
      return Number.isNaN(Number(text)) && text !== "NaN" ? plaintext : formatGoFloat(Number(text));
    case "bool":
      if (/^(1|t|T|TRUE|true|True)$/.test(text)) return "True";
      if (/^(0|f|F|FALSE|false|False)$/.test(text)) return "False";
      return plaintext;
    default:
      return plaintext;
  }
}
