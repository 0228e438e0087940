/**
 * Writing SOPS files: creating the Secret, setting values in it, re-encrypting its data key to new recipients, and
 * rotating that key. Everything works on text in memory and returns the new text, or diagnostics and no text;
 * plaintext never leaves memory. Every result is read back and decrypted (MAC included) before it is returned, so a
 * bug here stops with an internal error instead of writing a file whose values or MAC do not check out.
 *
 * Like `sops set`, setting a value in an existing file needs its data key (so an identity): the other values, their
 * ciphertexts and the data key stay as they are, and `lastmodified` and the MAC are renewed. Values go under
 * `stringData`, encrypted with the key path `stringData:KEY:` as additional data.
 */
import { randomBytes } from "node:crypto";
import { Document, isMap, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { Diagnostic } from "../diag/diagnostic.ts";
import { additionalDataFor, encryptValue, parseEncryptedValue, type SopsValueType } from "./aes.ts";
import { ageRecipientProblem, DATA_KEY_BYTES, wrapDataKey } from "./age.ts";
import { decryptSopsFile, type DecryptedLeaf } from "./decrypt.ts";
import { computeMac, formatLastModified, macAdditionalData } from "./mac.ts";
import { compileEncryptionRule, DEFAULT_ENCRYPTION_RULE, KUBERNETES_ENCRYPTED_REGEX, type EncryptionRule } from "./rules.ts";
import { sopsScalarText } from "./scalars.ts";
import { collectLeaves, parseSopsFile, type SopsMetadata } from "./sops-file.ts";
import { READABLE, structuralChecks } from "./verify.ts";

/**
 * The sops release whose file layout river writes (metadata keys in its order, empty key lists left out, as in the
 * conformance fixture `age-global.enc.yaml`). sops reads `version` only to work around a KMS bug of sops < 3.0.
 */
export const SOPS_FORMAT_VERSION = "3.10.2";

/** A Kubernetes Secret key: `[-._a-zA-Z0-9]+`. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

export type EditResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface NewSecret {
  readonly name: string;
  readonly namespace: string;
  /** The creation rule's age recipients (at least one). */
  readonly recipients: readonly string[];
  /** The creation rule's encryption rule; sops' default when undefined. */
  readonly encryptionRule?: EncryptionRule;
}

export interface SetValuesOptions {
  readonly filename: string;
  /** Keys and plaintext values to set, in order. */
  readonly values: ReadonlyMap<string, string>;
  /** The file's current text; undefined to create it from `create`. */
  readonly existing?: string;
  /** Needed to create the file. */
  readonly create?: NewSecret;
  /** Needed to update an existing file (its data key is encrypted to them). */
  readonly identities?: readonly string[];
  /** `lastmodified`; now by default. */
  readonly now?: Date;
}

/** Creates the Secret or sets values in it. */
export async function setSopsSecretValues(options: SetValuesOptions): Promise<EditResult> {
  const { filename, values } = options;
  for (const key of values.keys()) {
    if (!SECRET_KEY.test(key)) return failure(filename, "SOPS_BAD_KEY", `"${key}" is not a valid Secret key (letters, digits, "-", "_" and "." only)`);
  }
  let opened: Opened | EditResult;
  if (options.existing === undefined) {
    if (!options.create) throw new Error("setSopsSecretValues: neither an existing file nor a NewSecret");
    opened = await createSkeleton(options.create, filename);
  } else {
    opened = await openExisting(options.existing, filename, options.identities ?? []);
  }
  if ("ok" in opened) return opened;
  const { document, dataKey, plaintexts, rule } = opened;

  const root = document.contents as YAMLMap;
  const data: unknown = root.get("data", true);
  const found: unknown = root.get("stringData", true);
  const stringData = isMap(found) ? found : new YAMLMap();
  if (stringData !== found) {
    // sops keeps its metadata last; a new stringData goes before it.
    const sopsIndex = root.items.findIndex((p) => p.key instanceof Scalar && p.key.value === "sops");
    root.items.splice(sopsIndex < 0 ? root.items.length : sopsIndex, 0, new Pair(new Scalar("stringData"), stringData));
  }
  const encrypted = compileEncryptionRule(rule);
  for (const [key, value] of values) {
    if (isMap(data) && data.has(key)) {
      return failure(filename, "SOPS_KEY_IN_DATA", `${key} is under data (base64); river sets stringData values: remove it from data first`);
    }
    if (!encrypted(["stringData", key])) {
      return failure(filename, "SOPS_PLAINTEXT_VALUE", `the file's rule (${rule.kind}: ${rule.value}) would leave stringData.${key} unencrypted; refusing to write it`);
    }
    // sops leaves an empty string as it is, quoted so that it stays a string and does not read as null.
    if (value === "") {
      setPair(stringData, key, quoted(""));
      continue;
    }
    const ciphertext = encryptValue(value, "str", dataKey, additionalDataFor(["stringData", key]));
    plaintexts.set(ciphertext, Buffer.from(value, "utf8"));
    setPair(stringData, key, new Scalar(ciphertext));
  }
  return seal(opened, filename, options.now ?? new Date());
}

/**
 * Encrypts the data key of an existing file to exactly `recipients` (what `sops updatekeys` does): envelopes for
 * recipients that stay are kept, new ones are made with the data key (opened with `identities`), the values and the
 * MAC are untouched.
 */
export async function updateSopsRecipients(existing: string, filename: string, recipients: readonly string[], identities: readonly string[]): Promise<EditResult> {
  if (recipients.length === 0) return failure(filename, "SOPS_NO_RECIPIENT", "no age recipients to encrypt the data key to");
  const bad = badRecipient(filename, recipients);
  if (bad) return bad;
  const opened = await openExisting(existing, filename, identities);
  if ("ok" in opened) return opened;
  const { document, dataKey, metadata } = opened;
  const entries = new YAMLSeq();
  for (const recipient of recipients) {
    const kept = metadata.age.find((a) => a.recipient === recipient);
    entries.items.push(ageEntry(recipient, kept ? kept.enc : await wrapDataKey(dataKey, recipient)));
  }
  setPair(metadata.map, "age", entries);
  return finish(document, filename, dataKey);
}

/**
 * Replaces the data key (what `sops rotate` does): every value is encrypted again with a fresh key, which is encrypted
 * to `recipients`, and `lastmodified` and the MAC are renewed. The way out of a data key that others may hold, such as
 * the example file's, whose identity is public: `updateSopsRecipients` alone would keep that key.
 */
export async function rotateSopsDataKey(existing: string, filename: string, recipients: readonly string[], identities: readonly string[], now: Date = new Date()): Promise<EditResult> {
  if (recipients.length === 0) return failure(filename, "SOPS_NO_RECIPIENT", "no age recipients to encrypt the data key to");
  const bad = badRecipient(filename, recipients);
  if (bad) return bad;
  const opened = await openExisting(existing, filename, identities);
  if ("ok" in opened) return opened;
  const dataKey = new Uint8Array(randomBytes(DATA_KEY_BYTES));
  const plaintexts = new Map<string, Uint8Array | string>();
  for (const v of opened.values) {
    const old = v?.encrypted ? parseEncryptedValue(String(v.leaf.node.value)) : undefined;
    if (!v || old === undefined || typeof old === "string") continue; // plaintext parts and empty strings stay as they are
    const ciphertext = encryptValue(v.plaintext, old.type as SopsValueType, dataKey, additionalDataFor(v.leaf.path));
    v.leaf.node.value = ciphertext;
    plaintexts.set(ciphertext, v.bytes);
  }
  const entries = new YAMLSeq();
  for (const recipient of recipients) entries.items.push(ageEntry(recipient, await wrapDataKey(dataKey, recipient)));
  setPair(opened.metadata.map, "age", entries);
  return seal({ ...opened, dataKey, plaintexts }, filename, now);
}

interface Opened {
  readonly document: Document;
  readonly dataKey: Uint8Array;
  /** What the MAC hashes for each ciphertext in the file (ciphertexts are unique: every IV is random). */
  readonly plaintexts: Map<string, Uint8Array | string>;
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted: boolean;
}

interface OpenedFile extends Opened {
  readonly metadata: SopsMetadata;
  /** Every value of the file, decrypted, in order. */
  readonly values: readonly (DecryptedLeaf | undefined)[];
}

async function openExisting(text: string, filename: string, identities: readonly string[]): Promise<OpenedFile | EditResult> {
  const file = parseSopsFile(text, filename);
  const problems = structuralChecks(file, { requiredKeys: [] }).filter((d) => d.severity === "error");
  if (problems.length > 0 || !file.metadata || !file.document) return { ok: false, diagnostics: problems };
  if (identities.length === 0) {
    return failure(filename, "SOPS_NO_IDENTITY", "changing an existing file needs its data key: give an age identity the file is encrypted to (SOPS_AGE_KEY_FILE for the CLI)");
  }
  const decryption = await decryptSopsFile(file, file.metadata, { identities });
  if (decryption.diagnostics.length > 0 || !decryption.dataKey) return { ok: false, diagnostics: decryption.diagnostics };
  return {
    document: file.document,
    dataKey: decryption.dataKey,
    plaintexts: plaintextsOf(decryption.values),
    rule: file.metadata.rule,
    macOnlyEncrypted: file.metadata.macOnlyEncrypted,
    metadata: file.metadata,
    values: decryption.values,
  };
}

function plaintextsOf(values: readonly (DecryptedLeaf | undefined)[]): Map<string, Uint8Array | string> {
  const map = new Map<string, Uint8Array | string>();
  for (const v of values) if (v?.encrypted) map.set(String(v.leaf.node.value), v.bytes);
  return map;
}

/** A new Secret with no values yet and its `sops:` block (a fresh data key encrypted to every recipient). */
async function createSkeleton(create: NewSecret, filename: string): Promise<Opened | EditResult> {
  if (create.recipients.length === 0) {
    return failure(filename, "SOPS_NO_RECIPIENT", "the .sops.yaml creation rule for this file names no age recipient; add `age: age1…` to it");
  }
  const bad = badRecipient(filename, create.recipients);
  if (bad) return bad;
  const rule = create.encryptionRule ?? DEFAULT_ENCRYPTION_RULE;
  const dataKey = new Uint8Array(randomBytes(DATA_KEY_BYTES));
  const document = new Document({ apiVersion: "v1", kind: "Secret", metadata: { name: create.name, namespace: create.namespace }, type: "Opaque" }, { schema: "failsafe" });
  const sops = new YAMLMap();
  const age = new YAMLSeq();
  for (const recipient of create.recipients) age.items.push(ageEntry(recipient, await wrapDataKey(dataKey, recipient)));
  sops.set(new Scalar("age"), age);
  sops.set(new Scalar("lastmodified"), quoted(""));
  sops.set(new Scalar("mac"), new Scalar(""));
  if (create.encryptionRule) sops.set(new Scalar(rule.kind), new Scalar(rule.value));
  sops.set(new Scalar("version"), new Scalar(SOPS_FORMAT_VERSION));
  (document.contents as YAMLMap).set(new Scalar("sops"), sops);
  // The skeleton's own values (apiVersion, kind, metadata, type) are judged by the rule like any other, as sops does.
  const plaintexts = new Map<string, Uint8Array | string>();
  const root = document.contents as YAMLMap;
  const skeleton = root.items.filter((p) => !(p.key instanceof Scalar && p.key.value === "sops"));
  for (const leaf of collectLeaves(document, skeleton, compileEncryptionRule(rule))) {
    if (!leaf.encrypted) continue;
    if (READABLE.has(leaf.path[0] ?? "")) {
      const named = create.encryptionRule ? `its rule (${rule.kind}: ${rule.value})` : `it names no encryption rule, so sops' default (${rule.kind}: ${rule.value})`;
      return failure(filename, "SOPS_ENCRYPTED_METADATA", `the .sops.yaml creation rule for this file would encrypt ${leaf.path.join(".")}: ${named} encrypts it, but kustomize and Flux must read apiVersion, kind and metadata; add \`encrypted_regex: ${KUBERNETES_ENCRYPTED_REGEX}\` to the rule`);
    }
    const plaintext = String(leaf.node.value);
    const ciphertext = encryptValue(plaintext, "str", dataKey, additionalDataFor(leaf.path));
    plaintexts.set(ciphertext, plaintext);
    leaf.node.value = ciphertext;
  }
  return { document, dataKey, plaintexts, rule, macOnlyEncrypted: false };
}

function ageEntry(recipient: string, enc: string): YAMLMap {
  const entry = new YAMLMap();
  entry.set(new Scalar("recipient"), new Scalar(recipient));
  const armored = new Scalar(enc);
  armored.type = Scalar.BLOCK_LITERAL;
  entry.set(new Scalar("enc"), armored);
  return entry;
}

/** Sets `key` in `map`, in place if present, else at the end; keys are always Scalar nodes, as parsed ones are. */
function setPair(map: YAMLMap<unknown, unknown>, key: string, value: Scalar | YAMLMap | YAMLSeq): void {
  const pair = map.items.find((p) => p.key instanceof Scalar && p.key.value === key);
  if (pair) pair.value = value;
  else map.items.push(new Pair(new Scalar(key), value));
}

function quoted(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

/** Renews `lastmodified` and the MAC over the values as they now stand, then renders and checks the file. */
async function seal(opened: Opened, filename: string, now: Date): Promise<EditResult> {
  const { document, dataKey, plaintexts, rule, macOnlyEncrypted } = opened;
  const sops = (document.contents as YAMLMap).get("sops", true) as unknown as YAMLMap;
  const lastModified = formatLastModified(now);
  setPair(sops, "lastmodified", quoted(lastModified));
  const root = document.contents as YAMLMap;
  const data = root.items.filter((p) => !(p.key instanceof Scalar && p.key.value === "sops"));
  const inputs = collectLeaves(document, data, compileEncryptionRule(rule)).map((leaf) => {
    const text = String(leaf.node.value);
    if (!leaf.encrypted) return { bytes: sopsScalarText(text, leaf.node.type === "PLAIN", leaf.node.tag) ?? "", encrypted: false };
    const bytes = text === "" ? "" : plaintexts.get(text);
    if (bytes === undefined) throw new Error(`internal error: no plaintext for the value of ${leaf.path.join(".")}`);
    return { bytes, encrypted: true };
  });
  const mac = computeMac(inputs, macOnlyEncrypted);
  setPair(sops, "mac", new Scalar(encryptValue(mac, "str", dataKey, macAdditionalData(lastModified) ?? lastModified)));
  return finish(document, filename, dataKey);
}

/** Renders the document and reads it back: it must be a sound SOPS file whose MAC the data key verifies. */
async function finish(document: Document, filename: string, dataKey: Uint8Array): Promise<EditResult> {
  const text = render(document);
  const file = parseSopsFile(text, filename);
  const problems = structuralChecks(file, { requiredKeys: [] }).filter((d) => d.severity === "error");
  const decrypted = file.metadata && problems.length === 0 ? await decryptSopsFile(file, file.metadata, { dataKey }) : undefined;
  if (!decrypted || decrypted.diagnostics.length > 0) {
    throw new Error(`internal error: the file river wrote does not verify: ${[...problems, ...(decrypted?.diagnostics ?? [])].map((d) => d.message).join("; ")}`);
  }
  return { ok: true, text };
}

function render(document: Document): string {
  return document.toString({ indent: 2, lineWidth: 0 });
}

function badRecipient(filename: string, recipients: readonly string[]): EditResult | undefined {
  for (const r of recipients) {
    const problem = ageRecipientProblem(r);
    if (problem !== undefined) return failure(filename, "SOPS_BAD_RECIPIENT", `"${r}" is not a valid age recipient: ${problem}`);
  }
  return undefined;
}

/** A problem with the request rather than with a place in the file: reported at its start. */
function failure(filename: string, code: string, message: string): EditResult {
  return { ok: false, diagnostics: [{ severity: "error", code, message, filename, line: 1, column: 1 }] };
}
