/**
 * The data key's envelope: sops encrypts the 32 raw bytes of the data key to each age recipient separately, as an
 * armored age file (`-----BEGIN AGE ENCRYPTED FILE-----`, 64-column base64). The age format is FiloSottile's
 * `age-encryption` (typage), which knows X25519 (`age1…`) and post-quantum hybrid (`age1pq1…`) recipients.
 */

/** age-encryption, loaded on first use: the key-less checks (build, lint) never pay for the crypto libraries. */
const age = () => import("age-encryption");

/** The length of sops' data key (AES-256). */
export const DATA_KEY_BYTES = 32;

const IDENTITY = /^AGE-SECRET-KEY-(PQ-)?1[02-9AC-HJ-NP-Z]+$/;

const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
/** The human-readable parts of the recipients river encrypts to: X25519 and the post-quantum hybrid. */
const RECIPIENT_HRPS = new Set(["age", "age1pq"]);

/**
 * Why `s` is not an age recipient river can encrypt to (X25519 `age1…`, hybrid `age1pq1…`), or undefined when it is
 * one. The bech32 checksum (BIP 173, without its length limit, as age uses it) is checked, so a mistyped recipient is
 * caught before anything is encrypted to it, without loading the crypto libraries.
 */
export function ageRecipientProblem(s: string): string | undefined {
  const split = s.lastIndexOf("1");
  const hrp = s.slice(0, split);
  const data = s.slice(split + 1);
  if (split < 0 || !RECIPIENT_HRPS.has(hrp)) return "expected age1… (X25519) or age1pq1… (post-quantum hybrid)";
  const values = [...data].map((c) => BECH32.indexOf(c));
  if (data.length < 7 || values.some((v) => v < 0)) return "not bech32 (lowercase letters and digits except 1, b, i, o)";
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5).concat(0, [...hrp].map((c) => c.charCodeAt(0) & 31));
  return bech32Polymod([...expanded, ...values]) === 1 ? undefined : "wrong checksum (a character is mistyped)";
}

function bech32Polymod(values: readonly number[]): number {
  const generator = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= generator[i] as number;
  }
  return chk;
}

export function isAgeRecipient(s: string): boolean {
  return ageRecipientProblem(s) === undefined;
}

/**
 * The identities in an age key file (one per line, `#` comments and blank lines ignored, as age-keygen writes them)
 * or in `SOPS_AGE_KEY`, where sops also accepts several on a line (`multiplePerLine`). Other lines are reported by
 * number, never echoed (they might be key material).
 */
export function parseAgeIdentities(text: string, options: { multiplePerLine?: boolean } = {}): { identities: string[]; badLines: number[] } {
  const identities: string[] = [];
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const words = options.multiplePerLine ? line.split(/\s+/) : [line];
    if (words.every((w) => IDENTITY.test(w))) identities.push(...words);
    else badLines.push(i + 1);
  });
  return { identities, badLines };
}

/** Encrypts the data key to one recipient, armored, as sops stores it in `sops.age[].enc`. */
export async function wrapDataKey(dataKey: Uint8Array, recipient: string): Promise<string> {
  const { Encrypter, armor } = await age();
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(dataKey));
}

/**
 * Decrypts an armored data key with any of `identities`. Returns undefined when none of them is a recipient of this
 * envelope; throws when the envelope is malformed or does not authenticate.
 */
export async function unwrapDataKey(armored: string, identities: readonly string[]): Promise<Uint8Array | undefined> {
  const { Decrypter, armor } = await age();
  const decrypter = new Decrypter();
  for (const identity of identities) decrypter.addIdentity(identity);
  try {
    return await decrypter.decrypt(armor.decode(armored));
  } catch (err) {
    if (err instanceof Error && err.message === "no identity matched any of the file's recipients") return undefined;
    throw err;
  }
}
