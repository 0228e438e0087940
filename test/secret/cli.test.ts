/**
 * `river secret` end to end, in-process, in a temporary directory: values from the environment, a file and standard
 * input; creation from `.sops.yaml`; updates that need the key; verification with and without the key; and every
 * refusal leaves the file byte for byte as it was.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decryptSops } from "sops-age";
import { main } from "../../src/cli/main.ts";
import { sopsConfigYaml } from "../../src/secret/config.ts";
import { STACK_SECRET } from "../../src/secret/stack.ts";
import { loadStackOptions, requiredSecretKeys } from "../../src/stack/options.ts";
import { fakeIO } from "../helpers/cli.ts";

const KEY_FILE = new URL("../fixtures/sops/example.agekey", import.meta.url).pathname;
const KEY_TEXT = readFileSync(KEY_FILE, "utf8");
const IDENTITY = /^AGE-SECRET-KEY-1\w+$/m.exec(KEY_TEXT)?.[0] as string;
const RECIPIENT = /public key: (age1\w+)/.exec(KEY_TEXT)?.[1] as string;
const FILE = "manifests/monitoring/secret.enc.yaml";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "river-secret-"));
  mkdirSync(join(dir, "manifests"));
  writeFileSync(join(dir, "manifests/.sops.yaml"), sopsConfigYaml([RECIPIENT]));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function river(args: string[], options: { env?: Record<string, string>; stdin?: string; tty?: string } = {}) {
  const io = Object.assign(fakeIO(dir, options.stdin ?? ""), { env: options.env ?? {} });
  if (options.tty !== undefined) {
    const typed = options.tty;
    Object.assign(io, { readSecret: async (prompt: string) => (io.stderr(prompt), typed) });
  }
  const code = await main(["node", "river", "secret", ...args], io);
  return { code, out: io.out, err: io.err };
}

const withKey = { SOPS_AGE_KEY_FILE: KEY_FILE };
const read = () => readFileSync(join(dir, FILE), "utf8");
async function decrypted(): Promise<Record<string, string>> {
  return ((await decryptSops(read(), { secretKey: IDENTITY, fileType: "yaml" })) as { stringData: Record<string, string> }).stringData;
}

describe("river secret set", () => {
  it("creates the Secret from .sops.yaml, then updates it with the key; values from env, file, stdin and a prompt", async () => {
    let r = await river(["set", "pushover_user_key", "--from-env", "PUSHOVER_USER"], { env: { PUSHOVER_USER: "u-123" } });
    expect(r).toMatchObject({ code: 0, out: "" });
    expect(r.err).toContain(`created ${FILE}`);
    expect(read()).not.toContain("u-123");
    expect(await decrypted()).toEqual({ pushover_user_key: "u-123" });

    writeFileSync(join(dir, "token.txt"), "t-456\n");
    r = await river(["set", "pushover_api_token", "--from-file", "token.txt"], { env: withKey });
    expect(r.code).toBe(0);
    expect(r.err).toContain("warning: the value from token.txt ends with a newline, which is kept");
    r = await river(["set", "grafana_admin_user"], { env: withKey, stdin: "admin\n" });
    expect(r.code).toBe(0);
    r = await river(["set", "grafana_admin_password"], { env: { SOPS_AGE_KEY: IDENTITY }, tty: "s3cret" });
    expect(r.code).toBe(0);
    expect(r.err).toContain("(not echoed)");
    expect(r.err).not.toContain("s3cret");
    expect(await decrypted()).toEqual({ pushover_user_key: "u-123", pushover_api_token: "t-456\n", grafana_admin_user: "admin", grafana_admin_password: "s3cret" });
    expect(readdirSync(join(dir, "manifests/monitoring"))).toEqual(["secret.enc.yaml"]);
    expect(readdirSync(dir).sort()).toEqual(["manifests", "token.txt"]);

    r = await river(["verify"], { env: withKey });
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toBe(`${FILE}: ok (4 keys, recipients match manifests/.sops.yaml; decrypted, MAC verified)\n`);
  });

  it("refuses an unknown key, two value sources, a missing key file, and leaves the file untouched", async () => {
    expect((await river(["set", "pushover_user_key"], { stdin: "x" })).code).toBe(0);
    const before = read();
    let r = await river(["set", "pushover_user_ky"], { env: withKey, stdin: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toBe('river secret: unknown key "pushover_user_ky"; did you mean "pushover_user_key"?; the stack\'s Secret holds pushover_user_key, pushover_api_token, grafana_admin_user, grafana_admin_password\n');
    r = await river(["set", "pushover_api_token", "--from-env", "A", "--from-file", "b"], { env: withKey });
    expect(r.code).toBe(2);
    r = await river(["set", "pushover_api_token"], { stdin: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toContain("set SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY, or put it in ~/.config/sops/age/keys.txt)");
    r = await river(["set", "pushover_api_token", "--from-env", "UNSET"], { env: withKey });
    expect(r).toMatchObject({ code: 2, err: "river secret: --from-env UNSET: the variable is not set\n" });
    r = await river(["set", "pushover_api_token"], { env: withKey, stdin: "\n" });
    expect(r).toMatchObject({ code: 1, err: "river secret: the value for pushover_api_token is empty; nothing was written\n" });
    writeFileSync(join(dir, "binary"), Uint8Array.from([0xff, 0xfe, 0x00]));
    r = await river(["set", "pushover_api_token", "--from-file", "binary"], { env: withKey });
    expect(r).toMatchObject({ code: 2, err: "river secret: --from-file binary is not UTF-8 text; stringData values are text (base64-encode binary values)\n" });
    r = await river(["set", "pushover_api_token"], { env: { SOPS_AGE_KEY_FILE: "nope.txt" }, stdin: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toBe("river secret: SOPS_AGE_KEY_FILE: cannot read nope.txt: no such file or directory\n");
    r = await river(["set", "pushover_api_token", "--from-file", "missing.txt"], { env: withKey });
    expect(r).toMatchObject({ code: 2, err: "river secret: --from-file missing.txt: no such file or directory\n" });
    expect(read()).toBe(before);
  });

  it("refuses a file edited by hand (MAC) or holding plaintext, with file:line:col, and leaves it untouched", async () => {
    expect((await river(["set", "pushover_user_key"], { stdin: "x" })).code).toBe(0);
    const edited = read().replace("namespace: monitoring", "namespace: monitoring2");
    writeFileSync(join(dir, FILE), edited);
    let r = await river(["set", "pushover_api_token"], { env: withKey, stdin: "y" });
    expect(r.code).toBe(1);
    const macLine = edited.split("\n").findIndex((l) => l.startsWith("  mac: ")) + 1;
    expect(r.err).toContain(`${FILE}:${macLine}:8: MAC mismatch`);
    expect(r.err).toContain(`${FILE} was not changed`);
    expect(read()).toBe(edited);

    const plaintext = edited.replace(/( {2}pushover_user_key: ).*/, "$1my-real-key");
    writeFileSync(join(dir, FILE), plaintext);
    r = await river(["verify"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${FILE}:8:22: stringData.pushover_user_key is in plaintext; set it with \`river secret set pushover_user_key\``);
    r = await river(["set", "pushover_api_token"], { env: withKey, stdin: "y" });
    expect(r.code).toBe(1);
    expect(read()).toBe(plaintext);
  });

  it("replaces a symbolic link's target, not the link, and keeps the file's permissions", async () => {
    expect((await river(["set", "pushover_user_key"], { stdin: "x" })).code).toBe(0);
    renameSync(join(dir, FILE), join(dir, "real.enc.yaml"));
    chmodSync(join(dir, "real.enc.yaml"), 0o600);
    symlinkSync(join(dir, "real.enc.yaml"), join(dir, FILE));
    expect((await river(["set", "pushover_api_token"], { env: withKey, stdin: "y" })).code).toBe(0);
    expect(lstatSync(join(dir, FILE)).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, "real.enc.yaml")).mode & 0o777).toBe(0o600);
    expect(Object.keys(await decrypted())).toEqual(["pushover_user_key", "pushover_api_token"]);
  });

  it("refuses a read-only file and a dangling symbolic link before asking for the value, and changes neither", async () => {
    expect((await river(["set", "pushover_user_key"], { stdin: "x" })).code).toBe(0);
    const before = read();
    chmodSync(join(dir, FILE), 0o444);
    let asked = false;
    const io = Object.assign(fakeIO(dir, ""), { env: withKey, readSecret: async () => ((asked = true), "y") });
    expect(await main(["node", "river", "secret", "set", "pushover_api_token"], io)).toBe(2);
    expect(io.err).toBe(`river secret: ${FILE} is read-only; make it writable (chmod u+w) to change it\n`);
    expect(asked).toBe(false);
    expect(read()).toBe(before);
    expect(statSync(join(dir, FILE)).mode & 0o777).toBe(0o444);
    expect((await river(["rotate"], { env: withKey })).err).toContain("is read-only");
    expect(read()).toBe(before);

    symlinkSync(join(dir, "missing/secret.enc.yaml"), join(dir, "manifests/link.enc.yaml"));
    const r = await river(["set", "pushover_user_key", "--file", "manifests/link.enc.yaml"], { stdin: "x" });
    expect(r).toMatchObject({ code: 2, err: "river secret: manifests/link.enc.yaml: a symbolic link to a file that does not exist; create the file where it points, or remove the link\n" });
    expect(lstatSync(join(dir, "manifests/link.enc.yaml")).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(dir, "manifests")).sort()).toEqual([".sops.yaml", "link.enc.yaml", "monitoring"]);
  });

  it("a creation rule that would encrypt the metadata (sops' default rule) is a clear error before the value is asked for", async () => {
    writeFileSync(join(dir, "manifests/.sops.yaml"), `creation_rules:\n  - path_regex: \\.enc\\.yaml$\n    age: ${RECIPIENT}\n`);
    let asked = false;
    const io = Object.assign(fakeIO(dir, ""), { env: {}, readSecret: async () => ((asked = true), "y") });
    expect(await main(["node", "river", "secret", "set", "pushover_user_key"], io)).toBe(1);
    expect(io.err).toContain(`${FILE}:1:1: the .sops.yaml creation rule for this file would encrypt apiVersion: it names no encryption rule, so sops' default (unencrypted_suffix: _unencrypted) encrypts it`);
    expect(io.err).toContain("add `encrypted_regex: ^(data|stringData)$` to the rule");
    expect(io.err).not.toContain("internal error");
    expect(asked).toBe(false);
    expect(existsSync(join(dir, FILE))).toBe(false);

    writeFileSync(join(dir, "manifests/.sops.yaml"), `creation_rules:\n  - encrypted_regex: ^data$\n    age: ${RECIPIENT}\n`);
    io.err = "";
    expect(await main(["node", "river", "secret", "set", "pushover_user_key"], io)).toBe(1);
    expect(io.err).toContain("would leave stringData.pushover_user_key unencrypted; refusing to write it");
    expect(asked).toBe(false);
    expect(existsSync(join(dir, FILE))).toBe(false);
  });

  it("needs a creation rule with a recipient to create the file", async () => {
    rmSync(join(dir, "manifests/.sops.yaml"));
    let r = await river(["set", "pushover_user_key"], { stdin: "x" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("no .sops.yaml in the directories above");
    mkdirSync(join(dir, "manifests/.sops.yaml"));
    r = await river(["set", "pushover_user_key"], { stdin: "x" });
    expect(r).toMatchObject({ code: 2, err: "river secret: manifests/.sops.yaml: is a directory\n" });
    rmSync(join(dir, "manifests/.sops.yaml"), { recursive: true });
    writeFileSync(join(dir, "manifests/.sops.yaml"), "creation_rules:\n  - path_regex: \\.env$\n    age: " + RECIPIENT + "\n");
    r = await river(["set", "pushover_user_key"], { stdin: "x" });
    expect(r.code).toBe(1);
    expect(r.err).toContain("no creation rule matches monitoring/secret.enc.yaml");
    expect(existsSync(join(dir, FILE))).toBe(false);
  });
});

describe("the Secret the stack options ask for", () => {
  it("STACK_SECRET is the stack's default Secret", () => {
    const { options } = loadStackOptions();
    expect({ name: options.secret.name, namespace: options.namespace, keys: requiredSecretKeys(options) }).toEqual({
      name: STACK_SECRET.name,
      namespace: STACK_SECRET.namespace,
      keys: [...STACK_SECRET.keys],
    });
  });

  it("takes the name, namespace and keys from pipelines/stack.yaml (--stack for another file)", async () => {
    mkdirSync(join(dir, "pipelines"));
    writeFileSync(join(dir, "pipelines/stack.yaml"), "namespace: observability\nsecret:\n  name: creds\n  keys:\n    pushoverUserKey: po_user\n");
    let r = await river(["set", "pushover_user_key"], { stdin: "x" });
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown key "pushover_user_key"');
    r = await river(["set", "po_user"], { stdin: "x" });
    expect(r.code).toBe(0);
    expect(read()).toMatch(/metadata:\n {2}name: creds\n {2}namespace: observability\n/);
    r = await river(["verify"]);
    expect(r.err).toContain("lacks the keys pushover_api_token, grafana_admin_user, grafana_admin_password");
    r = await river(["verify", "--stack", "elsewhere.yaml"]);
    expect(r.err).toContain('metadata.name is "creds"; the stack expects "monitoring-secrets"');
    writeFileSync(join(dir, "pipelines/stack.yaml"), "secret:\n  nmae: x\n");
    r = await river(["verify"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("pipelines/stack.yaml has errors");
  });
});

describe("river secret verify and updatekeys", () => {
  it("reports missing keys and recipients that differ from .sops.yaml; updatekeys fixes the recipients", async () => {
    expect((await river(["set", "pushover_user_key"], { stdin: "x" })).code).toBe(0);
    const other = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    writeFileSync(join(dir, "manifests/.sops.yaml"), sopsConfigYaml([RECIPIENT, other]));
    let r = await river(["verify"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("lacks the keys pushover_api_token, grafana_admin_user, grafana_admin_password");
    expect(r.err).toContain(`is not encrypted to ${other}, which .sops.yaml names`);
    r = await river(["set", "pushover_api_token"], { env: withKey, stdin: "t" });
    expect(r.code).toBe(0);
    expect(r.err).toContain(`warning: the file is not encrypted to ${other}, which .sops.yaml names; re-encrypt the data key with \`river secret updatekeys\``);
    r = await river(["updatekeys"], { env: withKey });
    expect(r.code).toBe(0);
    r = await river(["verify"], { env: withKey });
    expect(r.err).not.toContain("encrypted to");
    expect(r.err).toContain("lacks the keys grafana_admin_user, grafana_admin_password");
  });

  it("finds identities where sops does: several in SOPS_AGE_KEY, and the user's sops keys file", async () => {
    for (const key of ["pushover_user_key", "pushover_api_token", "grafana_admin_user", "grafana_admin_password"]) {
      expect((await river(["set", key], { stdin: "x", env: withKey })).code).toBe(0);
    }
    const otherKey = "AGE-SECRET-KEY-1RH87A5Z54ZGUR9S0AS3R6WHFSEFNPLYMAKF5Z2CEU7R06VRJ0A3Q7242AM";
    let r = await river(["verify"], { env: { SOPS_AGE_KEY: `${otherKey} ${IDENTITY}` } });
    expect(r.out).toContain("decrypted, MAC verified");
    mkdirSync(join(dir, "home/.config/sops/age"), { recursive: true });
    writeFileSync(join(dir, "home/.config/sops/age/keys.txt"), KEY_TEXT);
    r = await river(["verify"], { env: { HOME: join(dir, "home") } });
    expect(r.out).toContain("decrypted, MAC verified");
    writeFileSync(join(dir, "empty.agekey"), "# created: 2026-01-01\n\n");
    r = await river(["verify"], { env: { SOPS_AGE_KEY_FILE: "empty.agekey" } });
    expect(r).toMatchObject({ code: 2, out: "", err: "river secret: SOPS_AGE_KEY_FILE (empty.agekey) holds no age identity (AGE-SECRET-KEY-1…)\n" });
    r = await river(["verify"], { env: { SOPS_AGE_KEY: "AGE-SECRET-KEY-1NOTAKEY x" } });
    expect(r).toMatchObject({ code: 2, err: "river secret: SOPS_AGE_KEY: line 1 is not an age identity (AGE-SECRET-KEY-1…) nor a # comment\n" });
  });

  it("rotate moves the Secret from the example key to one's own: a new data key, values kept", async () => {
    expect((await river(["set", "pushover_user_key"], { stdin: "kept" })).code).toBe(0);
    const { generateIdentity, identityToRecipient } = await import("age-encryption");
    const mine = await generateIdentity();
    writeFileSync(join(dir, "manifests/.sops.yaml"), sopsConfigYaml([await identityToRecipient(mine)]));
    const r = await river(["rotate"], { env: withKey });
    expect(r.code).toBe(0);
    expect(r.err).toContain("every value encrypted with a new data key");
    expect((await river(["verify"], { env: withKey })).err).toContain("none of the 1 age identities given");
    const secret = (await decryptSops(read(), { secretKey: mine, fileType: "yaml" })) as { stringData: Record<string, string> };
    expect(secret.stringData).toEqual({ pushover_user_key: "kept" });
  });

  it("verify without .sops.yaml still checks the file and fails", async () => {
    expect((await river(["set", "pushover_user_key"], { stdin: "x" })).code).toBe(0);
    rmSync(join(dir, "manifests/.sops.yaml"));
    const r = await river(["verify"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${FILE}:1:1: no .sops.yaml in the directories above ${FILE}`);
    expect(r.err).toContain("lacks the keys");
  });

  it("verify without a file says how to create it", async () => {
    const r = await river(["verify"]);
    expect(r).toMatchObject({ code: 2, err: `river secret: ${FILE}: no such file; create it with \`river secret set KEY --file ${FILE}\`\n` });
  });
});
