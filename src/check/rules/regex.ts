import { RE2JS } from "re2js";

/**
 * Compiles a regular expression with RE2 semantics (Go's regexp package, which Alloy uses). JavaScript's RegExp
 * accepts and rejects different things, so it must not be used for this. Returns the error message or undefined.
 */
export function re2Error(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Relabel regexes are anchored by Alloy: `^(?:regex)$`. */
export function relabelRegexError(pattern: string): string | undefined {
  return re2Error(`^(?:${pattern})$`);
}
