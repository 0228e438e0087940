/**
 * sops' message authentication code: SHA-512 over the plaintext of every value in walk order (or, with
 * `mac_only_encrypted`, of the encrypted ones after a fixed 32-byte prefix), written as uppercase hex and stored
 * encrypted with the data key, its additional data being `lastmodified` as Go formats it with `time.RFC3339`. Editing a
 * value, reordering values or changing `lastmodified` by hand makes the MAC fail; that is what it is for.
 */
import { createHash } from "node:crypto";

/** sops' `MACOnlyEncryptedInitialization`: hashed first when `mac_only_encrypted` is set, so the two MACs differ. */
const MAC_ONLY_ENCRYPTED_PREFIX = Uint8Array.from([
  0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b, 0x0b, 0x97, 0x5b, 0x3b,
  0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
]);

export interface MacInput {
  /** What sops hashes for the value: its plaintext (see scalars.ts and macBytesOfDecrypted). */
  readonly bytes: string | Uint8Array;
  readonly encrypted: boolean;
}

export function computeMac(values: Iterable<MacInput>, macOnlyEncrypted: boolean): string {
  const hash = createHash("sha512");
  if (macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_PREFIX);
  for (const v of values) if (!macOnlyEncrypted || v.encrypted) hash.update(v.bytes);
  return hash.digest("hex").toUpperCase();
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The additional data of the MAC for a `lastmodified` text: Go's `time.Parse(time.RFC3339, s).Format(time.RFC3339)`,
 * which drops fractional seconds and writes a zero offset as `Z`. undefined when `s` is not RFC 3339.
 */
export function macAdditionalData(lastModified: string): string | undefined {
  const m = RFC3339.exec(lastModified);
  if (!m) return undefined;
  const [, time = "", zone = ""] = m;
  return `${time}${zone === "+00:00" || zone === "-00:00" ? "Z" : zone}`;
}

/** `lastmodified` as sops writes it: UTC, whole seconds. */
export function formatLastModified(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
