/**
 * The value of a string literal as written in the source: `"..."` with Go escapes, or a raw backtick string.
 * Returns undefined for a malformed literal (the parser reports those). The syntax module will export an
 * `unquoteString`; this small copy keeps the checker independent of it.
 */
export function stringLiteralValue(raw: string): string | undefined {
  if (raw.length >= 2 && raw.startsWith("`") && raw.endsWith("`")) return raw.slice(1, -1).replace(/\r/g, "");
  if (raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) return undefined;
  let out = "";
  const s = raw.slice(1, -1);
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = s[++i];
    switch (e) {
      case "a": out += "\x07"; break;
      case "b": out += "\b"; break;
      case "f": out += "\f"; break;
      case "n": out += "\n"; break;
      case "r": out += "\r"; break;
      case "t": out += "\t"; break;
      case "v": out += "\v"; break;
      case "\\": out += "\\"; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case "x":
      case "u":
      case "U": {
        const len = e === "x" ? 2 : e === "u" ? 4 : 8;
        const hex = s.slice(i + 1, i + 1 + len);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return undefined;
        const cp = parseInt(hex, 16);
        if (e === "x") out += String.fromCharCode(cp);
        else if (cp > 0x10ffff) return undefined;
        else out += String.fromCodePoint(cp);
        i += len;
        break;
      }
      default: {
        if (e !== undefined && /[0-7]/.test(e)) {
          const oct = s.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) return undefined;
          out += String.fromCharCode(parseInt(oct, 8));
          i += 2;
          break;
        }
        return undefined;
      }
    }
  }
  return out;
}
