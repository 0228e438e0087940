/**
 * The example Secret the repo ships (manifests/monitoring/secret.enc.yaml) is a real SOPS file encrypted to the
 * example key in test/fixtures/sops: river verifies it completely (keys, recipients of manifests/.sops.yaml, MAC) and
 * sops-age decrypts it to the obviously fake example values.
 */
import { readFileSync } from "node:fs";
import { decryptSops } from "sops-age";
import { describe, expect, it } from "vitest";
import { parseAgeIdentities } from "../../src/secret/age.ts";
import { creationRuleFor, parseSopsConfig } from "../../src/secret/config.ts";
import { STACK_SECRET } from "../../src/secret/stack.ts";
import { verifySopsSecret, verifySopsSecretDecrypting } from "../../src/secret/verify.ts";

const root = new URL("../../manifests/", import.meta.url);
const text = readFileSync(new URL(STACK_SECRET.file, root), "utf8");
const config = parseSopsConfig(readFileSync(new URL(".sops.yaml", root), "utf8"), "manifests/.sops.yaml");
const identities = parseAgeIdentities(readFileSync(new URL("../fixtures/sops/example.agekey", import.meta.url), "utf8")).identities;

describe("manifests/monitoring/secret.enc.yaml", () => {
  const rule = creationRuleFor(config, STACK_SECRET.file);
  const expectations = { requiredKeys: STACK_SECRET.keys, recipients: rule?.ageRecipients ?? [], name: STACK_SECRET.name, namespace: STACK_SECRET.namespace };

  it("matches the .sops.yaml creation rule and passes every check, MAC included", async () => {
    expect(config.diagnostics).toEqual([]);
    expect(rule?.ageRecipients).toHaveLength(1);
    expect(verifySopsSecret(text, STACK_SECRET.file, expectations)).toEqual([]);
    expect(await verifySopsSecretDecrypting(text, STACK_SECRET.file, { ...expectations, identities })).toEqual([]);
  });

  it("decrypts with sops-age to example values only", async () => {
    const secret = (await decryptSops(text, { secretKey: identities[0] as string, fileType: "yaml" })) as { stringData: Record<string, string> };
    expect(Object.keys(secret.stringData)).toEqual(STACK_SECRET.keys);
    for (const [key, value] of Object.entries(secret.stringData)) expect(`${key}=${value}`).toMatch(/=(example-|admin$)/);
  });
});
