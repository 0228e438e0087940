/**
 * Files river writes are real SOPS files: an independent implementation (the npm package sops-age) decrypts them, the
 * `age` CLI opens their data key, and a MAC computed here from sops' documented recipe (SHA-512 over the values in
 * order, encrypted with the data key and `lastmodified` as additional data) matches.
 */
import { execFileSync } from "node:child_process";
import { createDecipheriv, createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { decryptSops } from "sops-age";
import { findTool } from "../helpers/tools.ts";
import { parse as parseYaml, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { parseAgeIdentities } from "../../src/secret/age.ts";
import { rotateSopsDataKey, setSopsSecretValues, updateSopsRecipients, type EditResult } from "../../src/secret/edit.ts";
import { KUBERNETES_ENCRYPTED_REGEX } from "../../src/secret/rules.ts";
import { verifySopsSecret, verifySopsSecretDecrypting } from "../../src/secret/verify.ts";
import { SHARED_DIR } from "../helpers/shared.ts";

const KEY_FILE = new URL("../fixtures/sops/example.agekey", import.meta.url);
const KEY_TEXT = readFileSync(KEY_FILE, "utf8");
const IDENTITY = parseAgeIdentities(KEY_TEXT).identities[0] as string;
const RECIPIENT = /public key: (age1\w+)/.exec(KEY_TEXT)?.[1] as string;
const NEW = { name: "monitoring-secrets", namespace: "monitoring", recipients: [RECIPIENT], encryptionRule: { kind: "encrypted_regex", value: KUBERNETES_ENCRYPTED_REGEX } } as const;
const NOW = new Date("2026-01-02T03:04:05.678Z");
const PQ_KEY = `${SHARED_DIR}conformance/sops/age-pq.key.txt`;
// CI lists age in RIVER_REQUIRE_TOOLS: there, a missing CLI fails instead of skipping.
const hasAgeCli = findTool("age") !== undefined;

function text(result: EditResult): string {
  if (!result.ok) throw new Error(result.diagnostics.map((d) => `${d.code}: ${d.message}`).join("\n"));
  return result.text;
}

async function create(values: Record<string, string>): Promise<string> {
  return text(await setSopsSecretValues({ filename: "secret.enc.yaml", values: new Map(Object.entries(values)), create: NEW, now: NOW }));
}

interface SopsYaml {
  stringData: Record<string, string>;
  sops: { age: { recipient: string; enc: string }[]; lastmodified: string; mac: string; encrypted_regex: string; version: string };
}

describe("creating the Secret", () => {
  it("writes sops' layout, readable metadata and encrypted stringData", async () => {
    const out = await create({ pushover_user_key: "example-pushover-user-key" });
    expect(out).toMatch(/^apiVersion: v1\nkind: Secret\nmetadata:\n  name: monitoring-secrets\n  namespace: monitoring\ntype: Opaque\nstringData:\n  pushover_user_key: ENC\[AES256_GCM,data:[A-Za-z0-9+/=]+,iv:[A-Za-z0-9+/=]{44},tag:[A-Za-z0-9+/=]{24},type:str\]\nsops:\n  age:\n    - recipient: age1\w+\n      enc: \|\n        -----BEGIN AGE ENCRYPTED FILE-----\n/);
    expect(out).toMatch(/\n  lastmodified: "2026-01-02T03:04:05Z"\n  mac: ENC\[AES256_GCM,[^\n]+type:str\]\n  encrypted_regex: \^\(data\|stringData\)\$\n  version: 3\.10\.2\n$/);
    expect(out).not.toContain("example-pushover-user-key");
  });

  it("sops-age, an independent implementation, decrypts every value", async () => {
    const out = await create({ pushover_user_key: "example-user", pushover_api_token: "tök€n with spaces\nand a newline", grafana_admin_password: "" });
    const decrypted = (await decryptSops(out, { secretKey: IDENTITY, fileType: "yaml" })) as { stringData: Record<string, string>; metadata: { name: string } };
    expect(decrypted.stringData).toEqual({ pushover_user_key: "example-user", pushover_api_token: "tök€n with spaces\nand a newline", grafana_admin_password: "" });
    expect(decrypted.metadata.name).toBe("monitoring-secrets");
  });

  it.skipIf(!hasAgeCli)("the age CLI opens the data key, and the MAC follows sops' recipe", async () => {
    const out = await create({ grafana_admin_user: "admin", grafana_admin_password: "example-password" });
    const doc = parseYaml(out) as SopsYaml;
    const dataKey = execFileSync("age", ["--decrypt", "--identity", KEY_FILE.pathname], { input: doc.sops.age[0]?.enc });
    expect(dataKey.length).toBe(32);
    const m = /^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:str\]$/.exec(doc.sops.mac);
    const decipher = createDecipheriv("aes-256-gcm", dataKey, Buffer.from(m?.[2] ?? "", "base64"));
    decipher.setAAD(Buffer.from(doc.sops.lastmodified));
    decipher.setAuthTag(Buffer.from(m?.[3] ?? "", "base64"));
    const storedMac = Buffer.concat([decipher.update(Buffer.from(m?.[1] ?? "", "base64")), decipher.final()]).toString();
    const values = ["v1", "Secret", "monitoring-secrets", "monitoring", "Opaque", "admin", "example-password"];
    expect(storedMac).toBe(createHash("sha512").update(values.join("")).digest("hex").toUpperCase());
  });

  it("refuses to create a file without recipients, and writes nothing in plaintext with a rule that would not encrypt", async () => {
    const none = await setSopsSecretValues({ filename: "s.enc.yaml", values: new Map([["k", "v"]]), create: { ...NEW, recipients: [] } });
    expect(!none.ok && none.diagnostics.map((d) => d.code)).toEqual(["SOPS_NO_RECIPIENT"]);
    const leaky = await setSopsSecretValues({ filename: "s.enc.yaml", values: new Map([["k", "v"]]), create: { ...NEW, encryptionRule: { kind: "encrypted_regex", value: "^data$" } } });
    expect(!leaky.ok && leaky.diagnostics.map((d) => d.code)).toEqual(["SOPS_PLAINTEXT_VALUE"]);
    const badKey = await setSopsSecretValues({ filename: "s.enc.yaml", values: new Map([["no/slash", "v"]]), create: NEW });
    expect(!badKey.ok && badKey.diagnostics.map((d) => d.code)).toEqual(["SOPS_BAD_KEY"]);
  });
});

describe("creation rules and the Secret's own fields", () => {
  it("a rule that would encrypt apiVersion, kind or metadata is refused, not an internal error", async () => {
    for (const encryptionRule of [undefined, { kind: "encrypted_regex", value: "." }, { kind: "unencrypted_regex", value: "^apiVersion$" }] as const) {
      const r = await setSopsSecretValues({ filename: "s.enc.yaml", values: new Map([["k", "v"]]), create: { ...NEW, ...(encryptionRule ? { encryptionRule } : { encryptionRule: undefined }) } });
      expect(!r.ok && r.diagnostics.map((d) => d.code)).toEqual(["SOPS_ENCRYPTED_METADATA"]);
    }
  });

  it("a rule that encrypts `type` too gets it encrypted, as sops would, and the file verifies", async () => {
    const out = text(await setSopsSecretValues({ filename: "s.enc.yaml", values: new Map([["k", "v"]]), create: { ...NEW, encryptionRule: { kind: "unencrypted_regex", value: "^(apiVersion|kind|metadata)$" } }, now: NOW }));
    expect(out).toMatch(/\ntype: ENC\[AES256_GCM,/);
    expect(await verifySopsSecretDecrypting(out, "s.enc.yaml", { requiredKeys: ["k"], identities: [IDENTITY] })).toEqual([]);
    const decrypted = (await decryptSops(out, { secretKey: IDENTITY, fileType: "yaml" })) as { type: string; stringData: Record<string, string> };
    expect([decrypted.type, decrypted.stringData]).toEqual(["Opaque", { k: "v" }]);
  });
});

describe("setting values in an existing file", () => {
  it("keeps the other ciphertexts and the data key, renews lastmodified and the MAC", async () => {
    const before = await create({ pushover_user_key: "one", pushover_api_token: "two" });
    const after = text(await setSopsSecretValues({ filename: "s.enc.yaml", existing: before, values: new Map([["pushover_api_token", "three"], ["grafana_admin_user", "admin"]]), identities: [IDENTITY], now: new Date("2026-02-03T00:00:00Z") }));
    const [b, a] = [parseYaml(before) as SopsYaml, parseYaml(after) as SopsYaml];
    expect(a.stringData.pushover_user_key).toBe(b.stringData.pushover_user_key);
    expect(a.stringData.pushover_api_token).not.toBe(b.stringData.pushover_api_token);
    expect(Object.keys(a.stringData)).toEqual(["pushover_user_key", "pushover_api_token", "grafana_admin_user"]);
    expect(a.sops.age).toEqual(b.sops.age);
    expect(a.sops.lastmodified).toBe("2026-02-03T00:00:00Z");
    expect(await verifySopsSecretDecrypting(after, "s.enc.yaml", { requiredKeys: [], identities: [IDENTITY] })).toEqual([]);
    const decrypted = (await decryptSops(after, { secretKey: IDENTITY, fileType: "yaml" })) as SopsYaml;
    expect(decrypted.stringData).toEqual({ pushover_user_key: "one", pushover_api_token: "three", grafana_admin_user: "admin" });
  });

  it("updates a file sops wrote with 4-space indentation and comments, keeping them", async () => {
    const first = await create({ a: "1" });
    const sopsStyle = `# the stack's secret\n${parseDocument(first).toString({ indent: 4, lineWidth: 0 })}`;
    expect(sopsStyle).toContain("\n        - recipient: ");
    expect(await verifySopsSecretDecrypting(sopsStyle, "s.enc.yaml", { requiredKeys: ["a"], identities: [IDENTITY] })).toEqual([]);
    const after = text(await setSopsSecretValues({ filename: "s.enc.yaml", existing: sopsStyle, values: new Map([["b", "2"]]), identities: [IDENTITY] }));
    expect(after.startsWith("# the stack's secret\n")).toBe(true);
    expect(await verifySopsSecretDecrypting(after, "s.enc.yaml", { requiredKeys: ["a", "b"], identities: [IDENTITY] })).toEqual([]);
  });

  it("needs an identity, and refuses a file whose MAC fails or that holds plaintext", async () => {
    const before = await create({ a: "1", b: "2" });
    const set = (existing: string, identities: string[] = [IDENTITY]) => setSopsSecretValues({ filename: "s.enc.yaml", existing, values: new Map([["c", "3"]]), identities });
    const codes = (r: EditResult) => (r.ok ? [] : r.diagnostics.map((d) => d.code));
    expect(codes(await set(before, []))).toEqual(["SOPS_NO_IDENTITY"]);
    const ciphertexts = [...before.matchAll(/ENC\[AES256_GCM,[^\n]*?type:str\]/g)].map((m) => m[0]);
    const swapped = before.replace(ciphertexts[0] as string, "X").replace(ciphertexts[1] as string, ciphertexts[0] as string).replace("X", ciphertexts[1] as string);
    expect(codes(await set(swapped))).toEqual(["SOPS_MAC_MISMATCH", "SOPS_MAC_MISMATCH"]);
    expect(codes(await set(before.replace("namespace: monitoring", "namespace: elsewhere")))).toEqual(["SOPS_MAC_MISMATCH"]);
    expect(codes(await set(before.replace(/(\n  a: )\S+/, "$1plaintext")))).toEqual(["SOPS_PLAINTEXT_VALUE"]);
  });
});

describe("updating recipients", () => {
  it("re-encrypts the data key to the new recipients and keeps values and MAC", async () => {
    const before = await create({ a: "1" });
    const other = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    const after = text(await updateSopsRecipients(before, "s.enc.yaml", [RECIPIENT, other], [IDENTITY]));
    const [b, a] = [parseYaml(before) as SopsYaml, parseYaml(after) as SopsYaml];
    expect(a.sops.age.map((e) => e.recipient)).toEqual([RECIPIENT, other]);
    expect(a.sops.age[0]).toEqual(b.sops.age[0]);
    expect(a.sops.mac).toBe(b.sops.mac);
    expect(verifySopsSecret(after, "s.enc.yaml", { requiredKeys: ["a"], recipients: [RECIPIENT, other] })).toEqual([]);
    expect(await verifySopsSecretDecrypting(after, "s.enc.yaml", { requiredKeys: ["a"], identities: [IDENTITY] })).toEqual([]);
  });
});

describe("rotating the data key", () => {
  it("re-encrypts every value with a new key for the new recipients; the old identity no longer opens the file", async () => {
    const before = await create({ a: "1", b: "two", c: "" });
    const { generateIdentity, identityToRecipient } = await import("age-encryption");
    const mine = await generateIdentity();
    const after = text(await rotateSopsDataKey(before, "s.enc.yaml", [await identityToRecipient(mine)], [IDENTITY], new Date("2026-03-01T00:00:00Z")));
    const [b, a] = [parseYaml(before) as SopsYaml, parseYaml(after) as SopsYaml];
    expect(a.stringData.a).not.toBe(b.stringData.a);
    expect(a.stringData.c).toBe("");
    expect(a.sops.lastmodified).toBe("2026-03-01T00:00:00Z");
    expect(await verifySopsSecretDecrypting(after, "s.enc.yaml", { requiredKeys: ["a", "b", "c"], identities: [mine] })).toEqual([]);
    expect((await verifySopsSecretDecrypting(after, "s.enc.yaml", { requiredKeys: [], identities: [IDENTITY] })).map((d) => d.code)).toEqual(["SOPS_NO_IDENTITY"]);
    const decrypted = (await decryptSops(after, { secretKey: mine, fileType: "yaml" })) as SopsYaml;
    expect(decrypted.stringData).toEqual({ a: "1", b: "two", c: "" });
  });
});

describe("any value, any recipient type", () => {
  it("random values (any Unicode, newlines, YAML-looking text) round-trip through river and sops-age", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 40 }), fc.oneof(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("true", "~", "0x1F", "- a", "k: v", "#c", "ENC[x]")), async (a, b) => {
        const out = await create({ pushover_user_key: a, pushover_api_token: b });
        const decrypted = (await decryptSops(out, { secretKey: IDENTITY, fileType: "yaml" })) as SopsYaml;
        expect(decrypted.stringData).toEqual({ pushover_user_key: a, pushover_api_token: b });
        expect(await verifySopsSecretDecrypting(out, "s.enc.yaml", { requiredKeys: [], identities: [IDENTITY] })).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it.skipIf(!existsSync(PQ_KEY))("encrypts to a post-quantum hybrid recipient (age1pq1…) and opens it with its identity", async () => {
    const pqText = readFileSync(PQ_KEY, "utf8");
    const pqRecipient = /public key: (age1pq1\w+)/.exec(pqText)?.[1] as string;
    const out = text(await setSopsSecretValues({ filename: "s.enc.yaml", values: new Map([["k", "v"]]), create: { ...NEW, recipients: [pqRecipient] } }));
    expect(out).toContain(`recipient: ${pqRecipient}`);
    expect(await verifySopsSecretDecrypting(out, "s.enc.yaml", { requiredKeys: ["k"], identities: parseAgeIdentities(pqText).identities })).toEqual([]);
    expect((await verifySopsSecretDecrypting(out, "s.enc.yaml", { requiredKeys: ["k"], identities: [IDENTITY] })).map((d) => d.code)).toEqual(["SOPS_NO_IDENTITY"]);
  });
});
