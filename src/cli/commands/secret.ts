/**
 * `river secret`: the stack's SOPS-encrypted Secret without the sops binary.
 *
 *  - `set KEY`: creates the file (data key encrypted to the recipients of the `.sops.yaml` creation rule that matches
 *    it) or sets one value in it (which needs an age identity, found where sops finds it). The value comes
 *    from `--from-env VAR`, `--from-file F` (its bytes as they are, like `kubectl create secret --from-file`), a
 *    prompt without echo on a terminal, or standard input (one final newline dropped).
 *  - `verify [FILE]`: the structure, the keys the stack needs, the recipients against `.sops.yaml`; with an identity,
 *    decryption and the MAC.
 *  - `updatekeys [FILE]`: encrypts the data key to exactly the recipients `.sops.yaml` names now.
 *  - `rotate [FILE]`: a new data key for those recipients, every value encrypted again with it (after the example key,
 *    or anyone's, had the old one).
 *
 * `.sops.yaml` is looked up from the file's directory upwards (sops itself looks from the working directory, so run
 * sops from the directory that holds `.sops.yaml`). The file is replaced atomically, and only when the result has been
 * read back and its MAC checked; on any error it is left untouched. Plaintext exists only in memory.
 */
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import type { Command } from "commander";
import { formatDiagnosticLine, type Diagnostic } from "../../diag/diagnostic.ts";
import { CliExit, type CliIO } from "../io.ts";
import { EXIT_PROBLEMS, EXIT_USAGE } from "../exit.ts";
import { describeFsError } from "../files.ts";
import { suggestion } from "../../check/suggest.ts";
import { STACK_SECRET } from "../../secret/stack.ts";
import { SecretCancelled } from "../tty-secret.ts";

const DEFAULT_FILE = join("manifests", STACK_SECRET.file);

const DEFAULT_STACK = join("pipelines", "stack.yaml");

interface StackOption {
  /** The stack options the Secret's name, namespace and keys come from. */
  readonly stack: string;
}

interface SetOptions extends StackOption {
  readonly fromEnv?: string;
  readonly fromFile?: string;
  readonly file: string;
}

export function registerSecret(program: Command, io: CliIO): void {
  const secret = program
    .command("secret")
    .description("Create, update and check the stack's SOPS-encrypted Secret (age), without the sops binary");
  secret
    .command("set")
    .description(`Set one value of the Secret (by default ${STACK_SECRET.keys.join(", ")}), creating the file if needed`)
    .argument("<key>", "the Secret key to set")
    .option("--from-env <var>", "take the value from this environment variable")
    .option("--from-file <file>", "take the value from this file (its bytes as they are)")
    .option("--file <file>", "the encrypted Secret", DEFAULT_FILE)
    .option(...STACK_FLAG)
    .action(async (key: string, options: SetOptions) => {
      await run(io, () => setValue(io, key, options));
    });
  secret
    .command("verify")
    .description("Check the Secret: SOPS structure, keys, recipients; decryption and MAC with SOPS_AGE_KEY_FILE or SOPS_AGE_KEY")
    .argument("[file]", "the encrypted Secret", DEFAULT_FILE)
    .option(...STACK_FLAG)
    .action(async (file: string, options: StackOption) => {
      await run(io, () => verify(io, file, options));
    });
  secret
    .command("updatekeys")
    .description("Encrypt the Secret's data key to exactly the age recipients .sops.yaml names (needs an identity)")
    .argument("[file]", "the encrypted Secret", DEFAULT_FILE)
    .action(async (file: string) => {
      await run(io, () => rekey(io, file, "updatekeys"));
    });
  secret
    .command("rotate")
    .description("Replace the Secret's data key: re-encrypt every value with a new key for the recipients .sops.yaml names")
    .argument("[file]", "the encrypted Secret", DEFAULT_FILE)
    .action(async (file: string) => {
      await run(io, () => rekey(io, file, "rotate"));
    });
}

const STACK_FLAG = ["--stack <file>", "stack options: the Secret's name, namespace and keys (defaults when absent)", DEFAULT_STACK] as const;

/** What the Secret must be, from the stack options as `river build` reads them. */
interface SecretSpec {
  readonly name: string;
  readonly namespace: string;
  readonly keys: readonly string[];
}

/**
 * The Secret `river build` expects: its name, namespace and keys (the S3 credentials too with the scalable profile)
 * from stack.yaml, or the defaults (STACK_SECRET) when there is none. A stack.yaml with errors stops the command.
 */
async function secretSpec(io: CliIO, stackArg: string): Promise<SecretSpec> {
  const { loadStackOptions, requiredSecretKeys } = await import("../../stack/options.ts");
  const text = readOptional(resolve(io.cwd, stackArg), stackArg);
  const loaded = text === undefined ? loadStackOptions() : loadStackOptions({ filename: stackArg, text });
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    printDiagnostics(io, errors);
    throw new SecretUsageError(`${stackArg} has errors; fix them (river build reports them too) so that the Secret's keys are known`, EXIT_PROBLEMS);
  }
  const { options } = loaded;
  return { name: options.secret.name, namespace: options.namespace, keys: requiredSecretKeys(options) };
}

/** A problem that is not about a place in a file: printed as `river secret: message`, with an exit code. */
class SecretUsageError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT_USAGE) {
    super(message);
    this.exitCode = exitCode;
  }
}

async function run(io: CliIO, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof SecretUsageError) {
      io.stderr(`river secret: ${err.message}\n`);
      throw new CliExit(err.exitCode);
    }
    if (err instanceof SecretCancelled) {
      io.stderr("river secret: cancelled; nothing was written\n");
      throw new CliExit(EXIT_PROBLEMS);
    }
    throw err;
  }
}

async function setValue(io: CliIO, key: string, options: SetOptions): Promise<void> {
  const spec = await secretSpec(io, options.stack);
  if (!spec.keys.includes(key)) {
    throw new SecretUsageError(`unknown key "${key}"${suggestion(key, spec.keys)}; the stack's Secret holds ${spec.keys.join(", ")}`);
  }
  if (options.fromEnv !== undefined && options.fromFile !== undefined) {
    throw new SecretUsageError("give the value with --from-env or with --from-file, not both");
  }
  const lib = await import("../../secret/index.ts");
  const path = resolve(io.cwd, options.file);
  // Everything that can fail before the value is asked for is checked first, so nobody types a secret for nothing.
  const target = writableTarget(path, options.file);
  const existing = readOptional(path, options.file);
  const identities = existing === undefined ? [] : readIdentities(lib, io);
  const create = existing === undefined ? await newSecret(lib, io, spec, key, path, options.file) : undefined;
  if (existing !== undefined && identities.length === 0) {
    throw new SecretUsageError(`${options.file} exists: changing it needs its data key; set SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY, or put it in ~/.config/sops/age/keys.txt) to an age key it is encrypted to`);
  }
  if (existing !== undefined) {
    const problems = (await lib.verifySopsSecretDecrypting(existing, options.file, { requiredKeys: [], identities })).filter((d) => d.severity === "error");
    if (problems.length > 0) {
      printDiagnostics(io, problems);
      io.stderr(`river secret: ${options.file} was not changed\n`);
      throw new CliExit(EXIT_PROBLEMS);
    }
  }
  const value = await readValue(io, key, options);
  if (value === "") throw new SecretUsageError(`the value for ${key} is empty; nothing was written`, EXIT_PROBLEMS);
  const result = await lib.setSopsSecretValues({
    filename: options.file,
    values: new Map([[key, value]]),
    ...(existing === undefined ? { create } : { existing, identities }),
  });
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    io.stderr(`river secret: ${options.file} was not changed\n`);
    throw new CliExit(EXIT_PROBLEMS);
  }
  writeAtomically(target, options.file, result.text);
  io.stderr(`river secret: ${existing === undefined ? "created" : "updated"} ${options.file}: ${key} set (encrypted)\n`);
  if (existing !== undefined) {
    // set keeps the file's recipients; say so when .sops.yaml has moved on.
    const config = loadConfig(lib, io.cwd, path, options.file);
    const recipients = config.rule?.ageRecipients;
    const mismatches = recipients ? lib.verifySopsSecret(result.text, options.file, { requiredKeys: [], recipients }).filter((d) => d.code === "SOPS_RECIPIENT_MISMATCH") : [];
    printDiagnostics(io, mismatches.map((d) => ({ ...d, severity: "warning" })));
  }
}

async function verify(io: CliIO, file: string, options: StackOption): Promise<void> {
  const spec = await secretSpec(io, options.stack);
  const lib = await import("../../secret/index.ts");
  const path = resolve(io.cwd, file);
  const text = readOptional(path, file);
  if (text === undefined) throw new SecretUsageError(`${file}: no such file; create it with \`river secret set KEY --file ${file}\``);
  const config = loadConfig(lib, io.cwd, path, file);
  const recipients = config.rule?.ageRecipients;
  const expectations = { requiredKeys: spec.keys, name: spec.name, namespace: spec.namespace, ...(recipients ? { recipients } : {}) };
  const identities = readIdentities(lib, io);
  const diagnostics =
    identities.length > 0
      ? await lib.verifySopsSecretDecrypting(text, file, { ...expectations, identities })
      : lib.verifySopsSecret(text, file, expectations);
  printDiagnostics(io, [...config.diagnostics, ...diagnostics]);
  if ([...config.diagnostics, ...diagnostics].some((d) => d.severity === "error")) throw new CliExit(EXIT_PROBLEMS);
  const checked = identities.length > 0 ? "decrypted, MAC verified" : "not decrypted (set SOPS_AGE_KEY_FILE to check the MAC)";
  io.stdout(`${file}: ok (${spec.keys.length} keys, recipients match ${config.label}; ${checked})\n`);
}

/** `updatekeys` (the data key encrypted to the recipients of .sops.yaml) and `rotate` (a new data key for them). */
async function rekey(io: CliIO, file: string, command: "updatekeys" | "rotate"): Promise<void> {
  const lib = await import("../../secret/index.ts");
  const path = resolve(io.cwd, file);
  const text = readOptional(path, file);
  if (text === undefined) throw new SecretUsageError(`${file}: no such file`);
  const target = writableTarget(path, file);
  const config = loadConfig(lib, io.cwd, path, file);
  printDiagnostics(io, config.diagnostics);
  if (!config.rule) throw new CliExit(EXIT_PROBLEMS);
  const identities = readIdentities(lib, io);
  if (identities.length === 0) throw new SecretUsageError(`${command} needs the data key: set SOPS_AGE_KEY_FILE (or SOPS_AGE_KEY, or put it in ~/.config/sops/age/keys.txt) to an age key the file is encrypted to`);
  const recipients = config.rule.ageRecipients;
  const result = command === "rotate" ? await lib.rotateSopsDataKey(text, file, recipients, identities) : await lib.updateSopsRecipients(text, file, recipients, identities);
  if (!result.ok) {
    printDiagnostics(io, result.diagnostics);
    io.stderr(`river secret: ${file} was not changed\n`);
    throw new CliExit(EXIT_PROBLEMS);
  }
  if (result.text === text) {
    io.stderr(`river secret: ${file} is already encrypted to ${recipients.join(", ")}\n`);
    return;
  }
  writeAtomically(target, file, result.text);
  io.stderr(`river secret: ${file}: ${command === "rotate" ? "every value encrypted with a new data key, " : "data key "}encrypted to ${recipients.join(", ")}\n`);
}

type SecretLib = typeof import("../../secret/index.ts");

interface LoadedConfig {
  /** The creation rule for the file; undefined when there is none (the diagnostics say why). */
  readonly rule: import("../../secret/index.ts").CreationRule | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** The path of `.sops.yaml` as shown to the user. */
  readonly label: string;
}

/** The `.sops.yaml` creation rule for the file at `path`, looked up from its directory upwards. */
function loadConfig(lib: SecretLib, cwd: string, path: string, shown: string): LoadedConfig {
  const configPath = findUp(dirname(path), lib.SOPS_CONFIG_FILENAME);
  if (configPath === undefined) {
    const message = `no ${lib.SOPS_CONFIG_FILENAME} in the directories above ${shown}: \`river build\` writes one, or write one with a creation rule for *.enc.yaml and your age recipient`;
    return { rule: undefined, diagnostics: [{ severity: "error", code: "SOPS_CONFIG", message, filename: shown, line: 1, column: 1 }], label: lib.SOPS_CONFIG_FILENAME };
  }
  const label = relative(cwd, configPath);
  let configText: string;
  try {
    configText = readFileSync(configPath, "utf8");
  } catch (err) {
    throw new SecretUsageError(`${label}: ${describeFsError(err)}`);
  }
  const config = lib.parseSopsConfig(configText, label);
  const relativePath = relative(dirname(configPath), path).split(sep).join("/");
  const rule = lib.creationRuleFor(config, relativePath);
  const diagnostics = [...config.diagnostics];
  if (!rule && config.diagnostics.length === 0) {
    diagnostics.push({ severity: "error", code: "SOPS_CONFIG", message: `no creation rule matches ${relativePath}; add one with path_regex: ${lib.ENC_YAML_PATH_REGEX}`, filename: label, line: 1, column: 1 });
  } else if (rule?.unsupported) {
    diagnostics.push({ severity: "error", code: "SOPS_CONFIG", message: `the creation rule for ${relativePath} cannot be used: ${rule.unsupported}`, filename: label, line: 1, column: 1 });
  } else if (rule && rule.ageRecipients.length === 0) {
    diagnostics.push({ severity: "error", code: "SOPS_CONFIG", message: `the creation rule for ${relativePath} names no age recipient; add \`age: age1…\``, filename: label, line: 1, column: 1 });
  }
  return { rule: rule && !rule.unsupported && rule.ageRecipients.length > 0 ? rule : undefined, diagnostics, label };
}

/** What to create the file from; a creation rule river cannot honour is reported now, before the value is asked for. */
async function newSecret(lib: SecretLib, io: CliIO, spec: SecretSpec, key: string, path: string, shown: string): Promise<import("../../secret/index.ts").NewSecret> {
  const config = loadConfig(lib, io.cwd, path, shown);
  if (!config.rule) {
    throw new SecretUsageError(`cannot create ${shown}:\n${config.diagnostics.map((d) => formatDiagnosticLine(d)).join("\n")}`, EXIT_PROBLEMS);
  }
  const create = {
    name: spec.name,
    namespace: spec.namespace,
    recipients: config.rule.ageRecipients,
    ...(config.rule.encryptionRule ? { encryptionRule: config.rule.encryptionRule } : {}),
  };
  // A trial in memory, with a stand-in value: the rule must keep the metadata readable and encrypt stringData.KEY.
  const trial = await lib.setSopsSecretValues({ filename: shown, values: new Map([[key, "trial"]]), create });
  if (!trial.ok) {
    printDiagnostics(io, trial.diagnostics);
    throw new SecretUsageError(`cannot create ${shown} with the creation rule of ${config.label}; nothing was written`, EXIT_PROBLEMS);
  }
  return create;
}

function findUp(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    const candidate = join(d, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/**
 * The age identities sops would use, from every place it reads them: SOPS_AGE_KEY (keys separated by whitespace or
 * newlines), SOPS_AGE_KEY_FILE, and the user's keys file `$XDG_CONFIG_HOME/sops/age/keys.txt` (default
 * `~/.config/sops/age/keys.txt`, as sops finds it on Linux) when it exists.
 */
function readIdentities(lib: SecretLib, io: CliIO): string[] {
  const env = io.env ?? {};
  const sources: { label: string; text: string; multiplePerLine: boolean; explicit: boolean }[] = [];
  if (env.SOPS_AGE_KEY) sources.push({ label: "SOPS_AGE_KEY", text: env.SOPS_AGE_KEY, multiplePerLine: true, explicit: true });
  const read = (label: string, file: string): void => {
    try {
      sources.push({ label: `${label} (${file})`, text: readFileSync(resolve(io.cwd, file), "utf8"), multiplePerLine: false, explicit: label === "SOPS_AGE_KEY_FILE" });
    } catch (err) {
      throw new SecretUsageError(`${label}: cannot read ${file}: ${describeFsError(err)}`);
    }
  };
  if (env.SOPS_AGE_KEY_FILE) read("SOPS_AGE_KEY_FILE", env.SOPS_AGE_KEY_FILE);
  const configDir = env.XDG_CONFIG_HOME || (env.HOME ? join(env.HOME, ".config") : undefined);
  const userKeys = configDir === undefined ? undefined : join(configDir, "sops", "age", "keys.txt");
  if (userKeys !== undefined && existsSync(userKeys)) read("the sops keys file", userKeys);
  const identities: string[] = [];
  for (const source of sources) {
    const parsed = lib.parseAgeIdentities(source.text, { multiplePerLine: source.multiplePerLine });
    if (parsed.badLines.length > 0) {
      throw new SecretUsageError(`${source.label}: line ${parsed.badLines.join(", ")} is not an age identity (AGE-SECRET-KEY-1…) nor a # comment`);
    }
    // A variable set to nothing usable would pass for "no key given": verify would skip the MAC check and say ok.
    if (source.explicit && parsed.identities.length === 0) throw new SecretUsageError(`${source.label} holds no age identity (AGE-SECRET-KEY-1…)`);
    identities.push(...parsed.identities);
  }
  return identities;
}

async function readValue(io: CliIO, key: string, options: SetOptions): Promise<string> {
  if (options.fromEnv !== undefined) {
    const value = io.env?.[options.fromEnv];
    if (value === undefined) throw new SecretUsageError(`--from-env ${options.fromEnv}: the variable is not set`);
    return value;
  }
  if (options.fromFile !== undefined) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(resolve(io.cwd, options.fromFile));
    } catch (err) {
      throw new SecretUsageError(`--from-file ${options.fromFile}: ${describeFsError(err)}`);
    }
    const text = decodeUtf8(bytes, `--from-file ${options.fromFile}`);
    if (text.endsWith("\n")) io.stderr(`river secret: warning: the value from ${options.fromFile} ends with a newline, which is kept (as kubectl keeps it)\n`);
    return text;
  }
  const text = io.readSecret ? await io.readSecret(`value for ${key} (not echoed): `) : decodeUtf8(await io.readStdin(), "standard input");
  return text.replace(/\r?\n$/, "");
}

/** stringData holds text: bytes that are not UTF-8 would be silently replaced, so they are refused. */
function decodeUtf8(bytes: Uint8Array, source: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SecretUsageError(`${source} is not UTF-8 text; stringData values are text (base64-encode binary values)`);
  }
}

function readOptional(path: string, shown: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    if (!statSync(path).isFile()) throw new SecretUsageError(`${shown}: not a regular file`);
    return readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof SecretUsageError) throw err;
    throw new SecretUsageError(`${shown}: ${describeFsError(err)}`);
  }
}

/**
 * The path the file is written to: a symbolic link is followed (its target is replaced, not the link). Refused before
 * anything is asked or written: a dangling link (replacing it would turn the link into a file) and a read-only file
 * (its owner said it is not to change; a rename would replace it all the same, even as a user who may not write it).
 */
function writableTarget(path: string, shown: string): string {
  let link: boolean;
  try {
    link = lstatSync(path).isSymbolicLink();
  } catch {
    return path; // a new file
  }
  let target: string;
  try {
    target = realpathSync(path);
  } catch (err) {
    const dangling = link && (err as NodeJS.ErrnoException).code === "ENOENT";
    throw new SecretUsageError(`${shown}: ${dangling ? "a symbolic link to a file that does not exist; create the file where it points, or remove the link" : describeFsError(err)}`);
  }
  const st = statSync(target);
  if (st.isFile() && ((st.mode & 0o222) === 0 || !canWrite(target))) throw new SecretUsageError(`${shown} is read-only; make it writable (chmod u+w) to change it`);
  return target;
}

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes the (encrypted) text to a new temporary file beside `target` (from writableTarget) and renames it over, so a
 * crash never leaves half a file. The file's permissions are kept.
 */
function writeAtomically(target: string, shown: string, text: string): void {
  const mode = existsSync(target) ? statSync(target).mode & 0o777 : 0o644;
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.river-secret.tmp`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(temporary, text, { mode, flag: "wx" });
    renameSync(temporary, target);
  } catch (err) {
    // EEXIST: the name was taken by something that is not ours, which is left alone.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") rmSync(temporary, { force: true });
    throw new SecretUsageError(`cannot write ${shown}: ${describeFsError(err)}; it was not changed`, EXIT_PROBLEMS);
  }
}

function printDiagnostics(io: CliIO, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    io.stderr(`${formatDiagnosticLine(d.severity === "warning" ? { ...d, message: `warning: ${d.message}` } : d)}\n`);
  }
}
