import { isPrintable } from "./scanner.ts";

/**
 * The value of a string literal as alloy decodes it (Go's strconv.Unquote): double-quoted strings with Go escapes,
 * backtick strings raw with carriage returns removed. The literal must be one the scanner accepted.
 */
export function unquoteString(raw: string): string {
  if (raw.startsWith("`")) return raw.slice(1, raw.endsWith("`") && raw.length > 1 ? -1 : undefined).replace(/\r/g, "");
  const body = raw.slice(1, raw.length > 1 && raw.endsWith('"') ? -1 : undefined);
  if (!body.includes("\\")) return body;
  let out = "";
  // Octal and \x escapes denote bytes; collect runs of them and decode as UTF-8 like Go does.
  let bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length > 0) {
      out += new TextDecoder().decode(new Uint8Array(bytes));
      bytes = [];
    }
  };
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== "\\") {
      flushBytes();
      out += ch;
      continue;
    }
    const e = body[++i] as string;
    switch (e) {
      case "a":
        flushBytes();
        out += "\x07";
        break;
      case "b":
        flushBytes();
        out += "\b";
        break;
      case "f":
        flushBytes();
        out += "\f";
        break;
      case "n":
        flushBytes();
        out += "\n";
        break;
      case "r":
        flushBytes();
        out += "\r";
        break;
      case "t":
        flushBytes();
        out += "\t";
        break;
      case "v":
        flushBytes();
        out += "\v";
        break;
      case "\\":
      case '"':
        flushBytes();
        out += e;
        break;
      case "x":
        bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      case "u":
        flushBytes();
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      case "U":
        flushBytes();
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      default:
        bytes.push(parseInt(body.slice(i, i + 3), 8));
        i += 2;
    }
  }
  flushBytes();
  return out;
}

/** Go's `%q` / strconv.Quote: a double-quoted literal using Go escapes for non-printable characters. */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number;
    switch (cp) {
      case 0x22:
        out += '\\"';
        continue;
      case 0x5c:
        out += "\\\\";
        continue;
      case 0x07:
        out += "\\a";
        continue;
      case 0x08:
        out += "\\b";
        continue;
      case 0x0c:
        out += "\\f";
        continue;
      case 0x0a:
        out += "\\n";
        continue;
      case 0x0d:
        out += "\\r";
        continue;
      case 0x09:
        out += "\\t";
        continue;
      case 0x0b:
        out += "\\v";
        continue;
    }
    if (isPrintable(cp)) out += ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\ufffd";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, "0")}`;
    else out += `\\U${cp.toString(16).padStart(8, "0")}`;
  }
  return out + '"';
}
