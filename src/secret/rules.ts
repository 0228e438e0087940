/**
 * Which values sops encrypts. A file (and a `.sops.yaml` creation rule) names at most one rule; without one, sops
 * encrypts every value except those under a key ending in `_unencrypted`. A value is judged by every key on its path:
 * with `encrypted_regex: ^(data|stringData)$`, everything below `stringData` is encrypted and `metadata.name` is not.
 * Regexes are Go's (RE2, unanchored `MatchString`).
 */
import { compileGoRegexp, type GoRegexp } from "../relabel/go-regexp.ts";

export const RULE_KINDS = ["unencrypted_suffix", "encrypted_suffix", "unencrypted_regex", "encrypted_regex"] as const;
export type EncryptionRuleKind = (typeof RULE_KINDS)[number];

/** The comment-based rules, which river does not implement (they need sops' comment model). */
export const COMMENT_RULE_KINDS = ["unencrypted_comment_regex", "encrypted_comment_regex"] as const;

export interface EncryptionRule {
  readonly kind: EncryptionRuleKind;
  readonly value: string;
}

/** sops' default when neither the file nor the creation rule names a rule. */
export const DEFAULT_ENCRYPTION_RULE: EncryptionRule = { kind: "unencrypted_suffix", value: "_unencrypted" };

/** The rule Flux expects for Kubernetes Secrets: metadata stays readable, `data`/`stringData` are encrypted. */
export const KUBERNETES_ENCRYPTED_REGEX = "^(data|stringData)$";

/** A compiled rule: is the value at `path` (its keys, outermost first) encrypted? */
export type PathPredicate = (path: readonly string[]) => boolean;

/** Compiles `rule`; throws GoRegexpSyntaxError for an invalid regex. */
export function compileEncryptionRule(rule: EncryptionRule): PathPredicate {
  const { kind, value } = rule;
  switch (kind) {
    case "unencrypted_suffix":
      return (path) => !path.some((k) => k.endsWith(value));
    case "encrypted_suffix":
      return (path) => path.some((k) => k.endsWith(value));
    case "unencrypted_regex": {
      const re: GoRegexp = compileGoRegexp(value);
      return (path) => !path.some((k) => re.test(k));
    }
    case "encrypted_regex": {
      const re: GoRegexp = compileGoRegexp(value);
      return (path) => path.some((k) => re.test(k));
    }
  }
}
