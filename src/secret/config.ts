/**
 * `.sops.yaml`: the creation rules that say, for a new file, which recipients its data key is encrypted to and which
 * values are encrypted. As in sops, the first rule whose `path_regex` (Go syntax, unanchored) matches the file's path
 * relative to the directory of `.sops.yaml` wins, and a rule without `path_regex` matches everything. river reads the
 * age recipients (a comma-separated string or a list, directly or in a single key group) and the encryption rule.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from "yaml";
import { diagnosticAt, type Diagnostic } from "../diag/diagnostic.ts";
import { SourceFile } from "../source/source-file.ts";
import { compileGoRegexp, GoRegexpSyntaxError } from "../relabel/go-regexp.ts";
import { ageRecipientProblem, isAgeRecipient } from "./age.ts";
import { KUBERNETES_ENCRYPTED_REGEX, RULE_KINDS, type EncryptionRule } from "./rules.ts";

export const SOPS_CONFIG_FILENAME = ".sops.yaml";

/** The path_regex river writes: every `*.enc.yaml`, the naming the stack uses for encrypted files. */
export const ENC_YAML_PATH_REGEX = "\\.enc\\.yaml$";

export interface CreationRule {
  readonly pathRegex: string | undefined;
  readonly ageRecipients: readonly string[];
  /** undefined: sops' default (`unencrypted_suffix: _unencrypted`). */
  readonly encryptionRule: EncryptionRule | undefined;
  /** Why river cannot encrypt with this rule, when it cannot; such a rule still takes its place in the matching. */
  readonly unsupported?: string;
}

export interface SopsConfig {
  readonly rules: readonly CreationRule[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * The text of a `.sops.yaml` with one creation rule: `*.enc.yaml` files, only `data`/`stringData` encrypted (what Flux
 * expects of a Secret), the data key encrypted to `recipients`. The recipients are one comma-separated string, the
 * form every sops 3 release reads.
 */
export function sopsConfigYaml(recipients: readonly string[]): string {
  for (const r of recipients) {
    if (!isAgeRecipient(r)) throw new Error(`not an age recipient: ${JSON.stringify(r)} (expected age1…)`);
  }
  if (recipients.length === 0) throw new Error("sopsConfigYaml needs at least one age recipient");
  return [
    "# Read by sops and `river secret`: a file named *.enc.yaml below this directory gets its data key encrypted to",
    "# these age recipients, and only its data/stringData values are encrypted (Flux decrypts them in the cluster).",
    "creation_rules:",
    `  - path_regex: ${ENC_YAML_PATH_REGEX}`,
    `    encrypted_regex: ${KUBERNETES_ENCRYPTED_REGEX}`,
    `    age: ${recipients.join(",")}`,
    "",
  ].join("\n");
}

/** Reads a `.sops.yaml`. Never throws: problems are diagnostics, and a broken rule is left out. */
export function parseSopsConfig(text: string, filename: string): SopsConfig {
  const source = new SourceFile(filename, text);
  const diagnostics: Diagnostic[] = [];
  const error = (message: string, at: Node | Span | undefined | null): void => {
    const [start, end] = at === undefined || at === null ? [0, 0] : isSpan(at) ? at : (at.range ?? [0, 0]);
    diagnostics.push(diagnosticAt(source, "error", "SOPS_CONFIG", message, start, end));
  };
  const document = parseDocument(text, { schema: "failsafe", uniqueKeys: true, prettyErrors: false });
  for (const e of document.errors) {
    diagnostics.push(diagnosticAt(source, "error", "SOPS_CONFIG", `invalid YAML: ${e.message.split("\n")[0]}`, e.pos[0], e.pos[1]));
  }
  if (diagnostics.length > 0) return { rules: [], diagnostics };
  const root = document.contents;
  const list = isMap(root) ? root.get("creation_rules", true) : undefined;
  if (!isSeq(list)) {
    error("`.sops.yaml` has no `creation_rules` list", (list as Node | undefined) ?? root);
    return { rules: [], diagnostics };
  }
  const rules: CreationRule[] = [];
  for (const listed of list.items) {
    // .sops.yaml files share values between rules with anchors and aliases (`age: *age`).
    const item = isAlias(listed) ? listed.resolve(document) : listed;
    if (!isMap(item)) {
      error("a creation rule must be a mapping", item as Node);
      continue;
    }
    const rule = readRule(item, (n) => (isAlias(n) ? n.resolve(document) : n), error);
    if (rule) rules.push(rule);
  }
  return { rules, diagnostics };
}

/** A range of UTF-16 offsets in the text, for a part of a scalar. */
type Span = readonly [number, number];
type ErrorSink = (message: string, at: Node | Span | undefined | null) => void;
const isSpan = (at: Node | Span): at is Span => Array.isArray(at);

type Resolve = (node: unknown) => unknown;

function readRule(item: YAMLMap, resolve: Resolve, error: ErrorSink): CreationRule | undefined {
  const get = (map: YAMLMap, key: string): unknown => resolve(map.get(key, true));
  const text = (key: string): string | undefined => {
    const v = get(item, key);
    if (v === undefined) return undefined;
    if (isScalar(v)) return String(v.value);
    error(`\`${key}\` must be a string`, v as Node);
    return undefined;
  };
  const pathRegex = text("path_regex");
  if (pathRegex !== undefined) {
    try {
      compileGoRegexp(pathRegex);
    } catch (err) {
      if (!(err instanceof GoRegexpSyntaxError)) throw err;
      error(`invalid path_regex: ${err.message}`, get(item, "path_regex") as Node);
      return undefined;
    }
  }
  const kinds = RULE_KINDS.filter((k) => item.has(k));
  if (kinds.length > 1) error(`a creation rule may name only one of ${kinds.join(", ")}`, item);
  const kind = kinds[0];
  const encryptionRule = kind === undefined ? undefined : { kind, value: text(kind) ?? "" };

  const groups = get(item, "key_groups");
  let ageNode = get(item, "age");
  if (isSeq(groups) && groups.items.length > 1) {
    return { pathRegex, ageRecipients: [], encryptionRule, unsupported: "it has several key groups (Shamir secret sharing), which river does not implement" };
  }
  if (isSeq(groups)) {
    const group = resolve(groups.items[0]);
    ageNode = isMap(group) ? get(group, "age") : undefined;
  }
  const ageRecipients = recipientList(ageNode, resolve, error);
  return { pathRegex, ageRecipients, encryptionRule };
}

/** sops' `age:` field: a comma-separated string or a list of strings. Each recipient is checked (checksum too). */
function recipientList(node: unknown, resolve: Resolve, error: ErrorSink): string[] {
  if (node === undefined) return [];
  let listed: { text: string; at: Node | Span }[];
  if (isScalar(node)) {
    const value = String(node.value);
    // In a plain scalar the text is the source, so each recipient of "a,b" can be pointed at precisely.
    const start = node.type === "PLAIN" && node.range ? node.range[0] : undefined;
    let from = 0;
    listed = value.split(",").map((part) => {
      const text = part.trim();
      const offset = value.indexOf(text, from);
      from = offset + text.length;
      return { text, at: start === undefined ? node : ([start + offset, start + offset + text.length] as const) };
    });
    listed = listed.filter((r) => r.text !== "");
  } else if (isSeq(node)) {
    listed = node.items.map(resolve).flatMap((item) => (isScalar(item) ? [{ text: String(item.value).trim(), at: item }] : (error("`age` entries must be strings", item as Node), [])));
  } else {
    error("`age` must be a string of comma-separated recipients or a list", node as Node);
    return [];
  }
  return listed.flatMap((r) => {
    const problem = ageRecipientProblem(r.text);
    if (problem === undefined) return [r.text];
    error(`"${r.text}" is not a valid age recipient: ${problem}`, r.at);
    return [];
  });
}

/**
 * The creation rule for a file at `relativePath` (relative to the directory of `.sops.yaml`, `/`-separated), or
 * undefined when no rule matches.
 */
export function creationRuleFor(config: SopsConfig, relativePath: string): CreationRule | undefined {
  return config.rules.find((r) => r.pathRegex === undefined || compileGoRegexp(r.pathRegex).test(relativePath));
}
