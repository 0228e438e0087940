import { compileGoRegexp } from "../../relabel/go-regexp.ts";

/**
 * Compiles a regular expression with Go's regexp syntax (which Alloy uses), through the relabel engine's compiler:
 * re2js alone rejects patterns Go accepts (duplicate group names, Go ≥ 1.25 `\p{...}` aliases), and JavaScript's
 * RegExp differs even more. Returns the error message or undefined.
 */
export function re2Error(pattern: string): string | undefined {
  try {
    compileGoRegexp(pattern);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Relabel regexes are anchored by Alloy: `^(?s:regex)$`. */
export function relabelRegexError(pattern: string): string | undefined {
  return re2Error(`^(?s:${pattern})$`);
}
