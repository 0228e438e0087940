/**
 * SOPS's per-value cipher: AES-256-GCM with a 32-byte random IV, the value's key path as additional data, and the
 * result written as `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<type>]` (standard base64 with padding, the
 * 16-byte tag apart from the ciphertext). This is the format of getsops/sops' `aes` package, which every sops since 3.0
 * reads and writes; the fixtures written by sops itself pin it (test/secret/conformance.test.ts).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * The type tags sops writes after `type:`. river writes `str` (Secret values are strings) and `comment`-free files, but
 * reads every tag so that it can check the MAC of any file sops wrote.
 */
export type SopsValueType = "str" | "int" | "float" | "bool" | "bytes" | "time" | "comment";

const VALUE_TYPES: ReadonlySet<string> = new Set<SopsValueType>(["str", "int", "float", "bool", "bytes", "time", "comment"]);

/** sops' IV length: 32 bytes, not GCM's usual 12 (Go's `cipher.NewGCMWithNonceSize(block, 32)`). */
const IV_BYTES = 32;
const TAG_BYTES = 16;

export interface EncryptedValue {
  readonly data: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly type: string;
}

const ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:(.*?),iv:(.*?),tag:(.*?),type:(.*?)\]$/s;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Does `text` look like a sops ciphertext (whether or not its parts are well formed)? */
export function looksEncrypted(text: string): boolean {
  return text.startsWith("ENC[");
}

/**
 * Splits a `ENC[AES256_GCM,...]` string into its parts, or returns a sentence saying what is wrong with it. An empty
 * IV or tag, non-base64 text and unknown type tags are errors here, where sops would only fail when decrypting.
 */
export function parseEncryptedValue(text: string): EncryptedValue | string {
  const m = ENCRYPTED_VALUE.exec(text);
  if (!m) return "is not in sops' format ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]";
  const [, data = "", iv = "", tag = "", type = ""] = m;
  for (const [name, part] of [["data", data], ["iv", iv], ["tag", tag]] as const) {
    if (!BASE64.test(part) || (name !== "data" && part === "")) return `has an invalid ${name} (not standard base64)`;
  }
  const ivBytes = Buffer.from(iv, "base64");
  const tagBytes = Buffer.from(tag, "base64");
  if (ivBytes.length === 0) return "has an empty iv";
  if (tagBytes.length !== TAG_BYTES) return `has a ${tagBytes.length}-byte tag (AES-GCM tags are ${TAG_BYTES} bytes)`;
  if (!VALUE_TYPES.has(type)) return `has the unknown type "${type}" (sops knows ${[...VALUE_TYPES].join(", ")})`;
  return { data: Buffer.from(data, "base64"), iv: ivBytes, tag: tagBytes, type };
}

/**
 * Encrypts `plaintext` for the key path `additionalData` (sops joins the path with ":" and appends ":", e.g.
 * `stringData:pushover_api_token:`). A fresh random IV unless one is given (tests only).
 */
export function encryptValue(
  plaintext: string | Uint8Array,
  type: SopsValueType,
  dataKey: Uint8Array,
  additionalData: string,
  iv: Uint8Array = randomBytes(IV_BYTES),
): string {
  const cipher = createCipheriv("aes-256-gcm", dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(additionalData, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
  return `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(cipher.getAuthTag())},type:${type}]`;
}

/** Decrypts a parsed value; throws when the key, the additional data or the ciphertext do not authenticate. */
export function decryptValue(value: EncryptedValue, dataKey: Uint8Array, additionalData: string): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", dataKey, value.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(additionalData, "utf8"));
  decipher.setAuthTag(value.tag);
  return Buffer.concat([decipher.update(value.data), decipher.final()]);
}

/** sops' additional data for a value at `path`: the keys joined by ":" with a trailing ":". */
export function additionalDataFor(path: readonly string[]): string {
  return `${path.join(":")}:`;
}
