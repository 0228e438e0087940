/** `.sops.yaml`: what river writes, and reading creation rules as sops does (first match, aliases, both `age` forms). */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ageRecipientProblem } from "../../src/secret/age.ts";
import { creationRuleFor, parseSopsConfig, sopsConfigYaml } from "../../src/secret/config.ts";
import { SHARED_DIR } from "../helpers/shared.ts";

const A = "age1kydetq2jc3narnk5049stkxz28kk5f8dy56jpffcdrkkd37kduesgtk8fg";
const B = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const FIXTURE = `${SHARED_DIR}conformance/sops/sops.yaml`;

describe(".sops.yaml", () => {
  it("sopsConfigYaml writes one rule for *.enc.yaml with encrypted_regex and the recipients", () => {
    const text = sopsConfigYaml([A, B]);
    expect(text).toContain("creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    age: " + `${A},${B}\n`);
    const config = parseSopsConfig(text, ".sops.yaml");
    expect(config.diagnostics).toEqual([]);
    expect(creationRuleFor(config, "monitoring/secret.enc.yaml")).toEqual({ pathRegex: "\\.enc\\.yaml$", ageRecipients: [A, B], encryptionRule: { kind: "encrypted_regex", value: "^(data|stringData)$" } });
    expect(creationRuleFor(config, "monitoring/secret.yaml")).toBeUndefined();
    expect(() => sopsConfigYaml(["not-a-recipient"])).toThrow(/not an age recipient/);
    expect(() => sopsConfigYaml([])).toThrow(/at least one/);
  });

  it("takes the first matching rule, a rule without path_regex matches everything, age as a list or in one key group", () => {
    const config = parseSopsConfig(
      [
        "creation_rules:",
        "  - path_regex: ^dev/",
        `    age: [${B}]`,
        "  - path_regex: \\.enc\\.yaml$",
        "    unencrypted_suffix: _plain",
        "    key_groups:",
        `      - age: [${A}, ${B}]`,
        `  - age: " ${A} , "`,
      ].join("\n"),
      ".sops.yaml",
    );
    expect(config.diagnostics).toEqual([]);
    expect(creationRuleFor(config, "dev/x.enc.yaml")?.ageRecipients).toEqual([B]);
    expect(creationRuleFor(config, "prod/x.enc.yaml")).toMatchObject({ ageRecipients: [A, B], encryptionRule: { kind: "unencrypted_suffix", value: "_plain" } });
    expect(creationRuleFor(config, "notes.txt")).toEqual({ pathRegex: undefined, ageRecipients: [A], encryptionRule: undefined });
  });

  it("reports broken rules with their position", () => {
    const config = parseSopsConfig("creation_rules:\n  - path_regex: '(unclosed'\n    age: " + A + "\n  - age: {a: b}\n", ".sops.yaml");
    expect(config.diagnostics.map((d) => [d.line, d.column, d.message.split(":")[0]])).toEqual([
      [2, 17, "invalid path_regex"],
      [4, 10, "`age` must be a string of comma-separated recipients or a list"],
    ]);
    expect(parseSopsConfig("rules: []\n", ".sops.yaml").diagnostics[0]?.message).toBe("`.sops.yaml` has no `creation_rules` list");
  });

  it.skipIf(!existsSync(FIXTURE))("reads the .sops.yaml Flux's tests encrypt with (anchors and aliases)", () => {
    const config = parseSopsConfig(readFileSync(FIXTURE, "utf8"), "sops.yaml");
    expect(config.diagnostics).toEqual([]);
    const recipient = "age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29";
    expect(creationRuleFor(config, "algorithms/age.yaml")).toEqual({ pathRegex: "\\.yaml$", ageRecipients: [recipient], encryptionRule: { kind: "encrypted_regex", value: "^(data|stringData)$" } });
    expect(creationRuleFor(config, "x.json.yaml")?.encryptionRule).toEqual({ kind: "encrypted_regex", value: ".*" });
    expect(creationRuleFor(config, "secret.env")).toEqual({ pathRegex: "\\.(env|txt)$", ageRecipients: [recipient], encryptionRule: undefined });
    expect(creationRuleFor(config, "secret.ini")?.unsupported).toMatch(/several key groups/);
  });
});

describe("age recipients", () => {
  it("are checked with their bech32 checksum, without loading age", async () => {
    expect(ageRecipientProblem(A)).toBeUndefined();
    expect(ageRecipientProblem(B)).toBeUndefined();
    expect(ageRecipientProblem(A.slice(0, -1) + "h")).toBe("wrong checksum (a character is mistyped)");
    expect(ageRecipientProblem("age1tag1qqqqqqqqqq")).toMatch(/^expected age1/);
    expect(ageRecipientProblem("age1KYDETQ")).toMatch(/^not bech32/);
    const pq = existsSync(`${SHARED_DIR}conformance/sops/age-pq.key.txt`) ? /public key: (age1pq1\w+)/.exec(readFileSync(`${SHARED_DIR}conformance/sops/age-pq.key.txt`, "utf8"))?.[1] : undefined;
    if (pq) expect(ageRecipientProblem(pq)).toBeUndefined();
    // Agrees with age-encryption, which refuses what we refuse.
    const { Encrypter } = await import("age-encryption");
    expect(() => new Encrypter().addRecipient(A.slice(0, -1) + "h")).toThrow();
  });

  it("a mistyped recipient in .sops.yaml is an error at its position", () => {
    const config = parseSopsConfig(`creation_rules:\n  - age: ${A},${A.slice(0, -1)}h\n`, ".sops.yaml");
    expect(config.diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([[2, 10 + A.length + 1, `"${A.slice(0, -1)}h" is not a valid age recipient: wrong checksum (a character is mistyped)`]]);
    expect(config.rules[0]?.ageRecipients).toEqual([A]);
  });
});
