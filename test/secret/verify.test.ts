/**
 * The key-less checks of `verifySopsSecret`: each problem gets its code and points at the YAML node at fault
 * (line, and column in UTF-8 bytes), and a sound file gets none.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAgeIdentities } from "../../src/secret/age.ts";
import { setSopsSecretValues } from "../../src/secret/edit.ts";
import { KUBERNETES_ENCRYPTED_REGEX } from "../../src/secret/rules.ts";
import { verifySopsSecret, type SopsSecretExpectations } from "../../src/secret/verify.ts";

const KEY_TEXT = readFileSync(new URL("../fixtures/sops/example.agekey", import.meta.url), "utf8");
const RECIPIENT = /public key: (age1\w+)/.exec(KEY_TEXT)?.[1] as string;
const KEYS = ["user", "token"] as const;
const EXPECT = { requiredKeys: KEYS, recipients: [RECIPIENT], name: "s", namespace: "ns" };
let good: string;

beforeAll(async () => {
  const r = await setSopsSecretValues({
    filename: "s.enc.yaml",
    values: new Map([["user", "u"], ["token", "t"]]),
    create: { name: "s", namespace: "ns", recipients: [RECIPIENT], encryptionRule: { kind: "encrypted_regex", value: KUBERNETES_ENCRYPTED_REGEX } },
  });
  if (!r.ok) throw new Error("setup failed");
  good = r.text;
  expect(parseAgeIdentities(KEY_TEXT).identities).toHaveLength(1);
});

/** [code, line, column] of each diagnostic. */
function problems(text: string, expectations: SopsSecretExpectations = EXPECT): [string, number, number][] {
  return verifySopsSecret(text, "s.enc.yaml", expectations).map((d) => [d.code, d.line, d.column]);
}
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("verifySopsSecret", () => {
  it("accepts the file river wrote", () => {
    expect(problems(good)).toEqual([]);
  });

  it("points at a plaintext value, a malformed ciphertext and a value left out by the rule", () => {
    const plaintext = good.replace(/( {2}user: ).*/, "$1hünter2");
    expect(problems(plaintext)).toEqual([["SOPS_PLAINTEXT_VALUE", lineOf(good, "  user:"), 9]]);
    const broken = good.replace(/(  token: ENC\[AES256_GCM,data:[^,]*,iv:)[^,]*/, "$1!!");
    expect(problems(broken)).toEqual([["SOPS_BAD_VALUE", lineOf(good, "  token:"), 10]]);
    const narrowRule = good.replace("encrypted_regex: ^(data|stringData)$", "encrypted_regex: ^data$");
    expect(problems(narrowRule).map(([c]) => c)).toEqual(["SOPS_PLAINTEXT_VALUE", "SOPS_PLAINTEXT_VALUE"]);
  });

  it("reports missing keys at stringData, unknown keys as warnings, and a wrong name or namespace", () => {
    const missing = good.replace(/\n {2}token: .*/, "\n  tokn: ENC[AES256_GCM,data:AA==,iv:AAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:str]");
    const found = verifySopsSecret(missing, "s.enc.yaml", EXPECT);
    expect(found.map((d) => [d.code, d.severity, d.line])).toEqual([
      ["SOPS_MISSING_KEY", "error", lineOf(good, "stringData:")],
      ["SOPS_UNKNOWN_KEY", "warning", lineOf(good, "  token:")],
    ]);
    expect(found[0]?.message).toBe("the Secret lacks the key token that the stack needs; add it with `river secret set token`");
    expect(problems(good.replace("namespace: ns", "namespace: other"))).toEqual([["SOPS_SECRET_NAME", lineOf(good, "namespace:"), 14]]);
  });

  it("reports recipients that differ from .sops.yaml at the sops block or the extra recipient", () => {
    const other = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    expect(problems(good, { ...EXPECT, recipients: [other] })).toEqual([
      ["SOPS_RECIPIENT_MISMATCH", lineOf(good, "sops:"), 1],
      ["SOPS_RECIPIENT_MISMATCH", lineOf(good, "recipient:"), 18],
    ]);
  });

  it("refuses files that are not SOPS, not a Secret, or whose rule hides the metadata from kustomize", () => {
    expect(problems("apiVersion: v1\nkind: Secret\nstringData:\n  user: u\n  token: t\n", { requiredKeys: KEYS }).map(([c]) => c)).toEqual([
      "SOPS_NOT_ENCRYPTED",
      "SOPS_PLAINTEXT_VALUE",
      "SOPS_PLAINTEXT_VALUE",
    ]);
    expect(problems(good.replace("kind: Secret", "kind: ConfigMap"))).toEqual([["SOPS_NOT_SECRET", 2, 7]]);
    const everything = good.replace("  encrypted_regex: ^(data|stringData)$\n", "");
    expect(problems(everything).map(([c]) => c)).toContain("SOPS_ENCRYPTED_METADATA");
    expect(problems("")).toEqual([["SOPS_NOT_ENCRYPTED", 1, 1]]);
    expect(problems("a: [\n")[0]?.[0]).toBe("SOPS_YAML");
    expect(problems(`${good}---\n${good}`)[0]?.[0]).toBe("SOPS_YAML");
  });

  it("warns about plaintext comments among the values, not about encrypted ones or comments elsewhere", () => {
    const encryptedComment = "#ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAAAAAAAAAAAAAAAAAAAA==,type:comment]";
    const commented = good
      .replace("stringData:\n", `# top comment\nstringData:\n  # old token: hunter2\n  ${encryptedComment}\n`)
      .replace(/(\n {2}token: \S+)/, "$1 # trailing note");
    const found = verifySopsSecret(commented, "s.enc.yaml", EXPECT);
    const line = lineOf(commented, "# old token");
    expect(found.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([
      ["SOPS_PLAINTEXT_COMMENT", "warning", line, 3],
      ["SOPS_PLAINTEXT_COMMENT", "warning", lineOf(commented, "# trailing note"), commented.split("\n")[lineOf(commented, "# trailing note") - 1]!.indexOf("#") + 1],
    ]);
    expect(found.map((d) => d.message).join()).not.toContain("hunter2");
  });

  it("a YAML error in a hand-edited value does not quote the value", () => {
    for (const value of ["|hunter2", '"hunter2\\q"']) {
      const found = verifySopsSecret(good.replace(/( {2}user: ).*/, `$1${value}`), "s.enc.yaml", EXPECT);
      expect(found.map((d) => d.code)).toContain("SOPS_YAML");
      expect(found.map((d) => d.message).join("\n")).not.toMatch(/hunter2|\\q/);
    }
  });

  it("reports a damaged sops block: missing mac, two rules, unsupported key groups", () => {
    expect(problems(good.replace(/\n {2}mac: .*/, ""))).toContainEqual(["SOPS_METADATA", lineOf(good, "sops:"), 1]);
    expect(problems(good.replace("  version:", "  unencrypted_suffix: _x\n  version:")).map(([c]) => c)).toContain("SOPS_METADATA");
    expect(problems(good.replace("  version:", "  key_groups: []\n  version:")).map(([c]) => c)).toContain("SOPS_UNSUPPORTED");
  });
});
