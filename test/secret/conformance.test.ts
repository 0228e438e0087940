/**
 * river reads what sops itself wrote: the age-encrypted fixtures of Flux's kustomize-controller (sops 3.9.0, 3.10.2
 * and 3.12.1 with a post-quantum hybrid recipient), with their published test keys, from ../shared. Each decrypts to
 * the documented value and its MAC, computed by river over the values, equals the one sops stored; and river sets a
 * value in each without disturbing what sops wrote.
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { decryptSops } from "sops-age";
import { parseAgeIdentities } from "../../src/secret/age.ts";
import { setSopsSecretValues } from "../../src/secret/edit.ts";
import { decryptSopsFile } from "../../src/secret/decrypt.ts";
import { parseSopsFile } from "../../src/secret/sops-file.ts";
import { verifySopsSecretDecrypting } from "../../src/secret/verify.ts";
import { SHARED_DIR } from "../helpers/shared.ts";

const DIR = `${SHARED_DIR}conformance/sops/`;
const present = existsSync(DIR);
if (!present) console.warn(`skipping the sops conformance tests: ${DIR} is not present (fine on a clean clone)`);

const CASES = [
  { file: "age", key: "age", value: "value", version: "3.9.0" },
  { file: "age-global", key: "age-global", value: "global-value", version: "3.10.2" },
  { file: "age-pq", key: "age-pq", value: undefined, version: "3.12.1" },
] as const;

describe.skipIf(!present)("files written by sops", () => {
  for (const c of CASES) {
    it(`decrypts ${c.file}.enc.yaml and its MAC matches`, async () => {
      const text = readFileSync(`${DIR}${c.file}.enc.yaml`, "utf8");
      const { identities } = parseAgeIdentities(readFileSync(`${DIR}${c.key}.key.txt`, "utf8"));
      const file = parseSopsFile(text, `${c.file}.enc.yaml`);
      expect(file.diagnostics).toEqual([]);
      expect(file.metadata).toBeDefined();
      const result = await decryptSopsFile(file, file.metadata!, { identities });
      expect(result.diagnostics).toEqual([]);
      const secret = result.values.filter((v) => v?.encrypted);
      expect(secret.map((v) => v?.leaf.path.join("."))).toEqual(["stringData.key"]);
      if (c.value !== undefined) expect(secret[0]?.plaintext.toString("utf8")).toBe(c.value);
      else expect(secret[0]?.plaintext.length).toBeGreaterThan(0);
    });
  }

  for (const c of CASES) {
    it(`river sets a value in ${c.file}.enc.yaml, keeping sops' ciphertext, data key and metadata layout`, async () => {
      const text = readFileSync(`${DIR}${c.file}.enc.yaml`, "utf8");
      const { identities } = parseAgeIdentities(readFileSync(`${DIR}${c.key}.key.txt`, "utf8"));
      const result = await setSopsSecretValues({ filename: "s.enc.yaml", existing: text, values: new Map([["added", "new-value"]]), identities, now: new Date("2026-05-06T07:08:09Z") });
      if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
      const keyLine = (t: string) => t.split("\n").find((l) => l.startsWith("  key: "));
      expect(keyLine(result.text)).toBe(keyLine(text));
      const untouched = (t: string) => t.replace(/\n {2}added: .*/, "").replace(/\n {2}(lastmodified|mac): .*/g, "");
      expect(untouched(result.text)).toBe(untouched(text));
      expect(await verifySopsSecretDecrypting(result.text, "s.enc.yaml", { requiredKeys: ["key", "added"], identities })).toEqual([]);
      if (c.value !== undefined) {
        // sops-age has no post-quantum recipients, so it reads only the X25519 files.
        const decrypted = (await decryptSops(result.text, { secretKey: identities[0] as string, fileType: "yaml" })) as { stringData: Record<string, string> };
        expect(decrypted.stringData).toEqual({ key: c.value, added: "new-value" });
      }
    });
  }

  it("a file edited by hand fails: a plaintext field the MAC covers, or one byte of a ciphertext", async () => {
    const text = readFileSync(`${DIR}age.enc.yaml`, "utf8");
    const { identities } = parseAgeIdentities(readFileSync(`${DIR}age.key.txt`, "utf8"));
    // Swapping the plaintext metadata.name changes what the MAC covers without touching any ciphertext.
    const edited = text.replace("name: age", "name: agf");
    const diagnostics = await verifySopsSecretDecrypting(edited, "age.enc.yaml", { requiredKeys: ["key"], identities });
    expect(diagnostics.map((d) => d.code)).toEqual(["SOPS_MAC_MISMATCH"]);
    expect(diagnostics[0]?.line).toBe(text.split("\n").findIndex((l) => l.trimStart().startsWith("mac:")) + 1);
    const byte = text.replace("data:mHeXsmQ=", "data:nHeXsmQ=");
    expect(byte).not.toBe(text);
    const found = await verifySopsSecretDecrypting(byte, "age.enc.yaml", { requiredKeys: ["key"], identities });
    expect(found.map((d) => [d.code, d.line])).toEqual([["SOPS_MAC_MISMATCH", text.split("\n").findIndex((l) => l.startsWith("  key: ")) + 1]]);
  });

  it("the wrong key does not open the file", async () => {
    const text = readFileSync(`${DIR}age.enc.yaml`, "utf8");
    const { identities } = parseAgeIdentities(readFileSync(`${DIR}age-global.key.txt`, "utf8"));
    const diagnostics = await verifySopsSecretDecrypting(text, "age.enc.yaml", { requiredKeys: ["key"], identities });
    expect(diagnostics.map((d) => d.code)).toEqual(["SOPS_NO_IDENTITY"]);
  });
});
