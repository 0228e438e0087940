import { unquoteString } from "../syntax/strings.ts";

/**
 * The value of a string literal as written in the source (`"..."` with Go escapes, or a raw backtick string), or
 * undefined for text that is not a complete literal (the parser reports those).
 */
export function stringLiteralValue(raw: string): string | undefined {
  const quote = raw[0];
  if (raw.length < 2 || (quote !== '"' && quote !== "`") || !raw.endsWith(quote)) return undefined;
  return unquoteString(raw);
}
