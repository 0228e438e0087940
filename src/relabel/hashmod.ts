import { createHash } from "node:crypto";

/**
 * The hashmod action: MD5 of the value's UTF-8 bytes, the last 8 bytes read as a big-endian uint64, modulo `modulus`
 * (1 ≤ modulus < 2^64), in decimal.
 */
export function hashmod(value: string, modulus: bigint): string {
  const digest = createHash("md5").update(value, "utf8").digest();
  return (digest.readBigUInt64BE(8) % modulus).toString();
}
