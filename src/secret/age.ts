/**
 * The data key's envelope: sops encrypts the 32 raw bytes of the data key to each age recipient separately, as an
 * armored age file (`-----BEGIN AGE ENCRYPTED FILE-----`, 64-column base64). The age format is FiloSottile's
 * `age-encryption` (typage), which knows X25519 (`age1…`) and post-quantum hybrid (`age1pq1…`) recipients.
 */

/** age-encryption, loaded on first use: the key-less checks (build, lint) never pay for the crypto libraries. */
const age = () => import("age-encryption");

/** The length of sops' data key (AES-256). */
export const DATA_KEY_BYTES = 32;

const RECIPIENT = /^age1(pq1)?[02-9ac-hj-np-z]+$/;
const IDENTITY = /^AGE-SECRET-KEY-(PQ-)?1[02-9AC-HJ-NP-Z]+$/;

/** Is `s` an age recipient river can encrypt to (X25519 `age1…` or hybrid `age1pq1…`)? Checks the alphabet only. */
export function isAgeRecipient(s: string): boolean {
  return RECIPIENT.test(s);
}

/**
 * The identities in an age key file or in `SOPS_AGE_KEY` (one per line, `#` comments and blank lines ignored), as
 * age-keygen writes them. Other lines are reported by number, never echoed (they might be key material).
 */
export function parseAgeIdentities(text: string): { identities: string[]; badLines: number[] } {
  const identities: string[] = [];
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (IDENTITY.test(line)) identities.push(line);
    else badLines.push(i + 1);
  });
  return { identities, badLines };
}

/** The recipient of an identity (to say which recipients a key file can decrypt). */
export async function recipientOf(identity: string): Promise<string> {
  return (await age()).identityToRecipient(identity);
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
