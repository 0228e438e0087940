/**
 * Go's `time.Parse` / `time.ParseInLocation` with reference layouts (`2006-01-02T15:04:05Z07:00`), and RFC 3339
 * printing, on instants held as bigint nanoseconds since the Unix epoch (log timestamps need all nine digits, and
 * Go's range goes far beyond a double's).
 *
 * Time zones come from the IANA database of Node's ICU (Intl), where Go embeds its own copy (`time/tzdata`); the two
 * agree for any realistic date.
 */

export const NS_PER_SECOND = 1_000_000_000n;

/** A parse failure, with Go's wording where it matters to users. */
export class GoTimeError extends Error {}

/** A time zone: UTC, or an IANA name resolved through Intl. */
export interface GoLocation {
  readonly name: string;
  /** Offset east of UTC in seconds at the instant `unixSeconds`. */
  offsetAt(unixSeconds: number): number;
  /** Zone abbreviation in use at `unixSeconds` (e.g. EST), when known. */
  abbreviationAt(unixSeconds: number): string | undefined;
}

export const UTC: GoLocation = { name: "UTC", offsetAt: () => 0, abbreviationAt: () => "UTC" };

/** Go's `time.LoadLocation`: "" and "UTC" are UTC; anything else must be an IANA zone name. Throws GoTimeError. */
export function loadLocation(name: string): GoLocation {
  if (name === "" || name === "UTC") return UTC;
  let wall: Intl.DateTimeFormat;
  let abbr: Intl.DateTimeFormat;
  try {
    wall = new Intl.DateTimeFormat("en-US", {
      timeZone: name,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      era: "short",
    });
    abbr = new Intl.DateTimeFormat("en-US", { timeZone: name, timeZoneName: "short" });
  } catch {
    throw new GoTimeError(`unknown time zone ${name}`);
  }
  return {
    name,
    offsetAt(unixSeconds) {
      const date = new Date(unixSeconds * 1000);
      if (Number.isNaN(date.getTime())) return 0;
      const parts: Record<string, string> = {};
      for (const p of wall.formatToParts(date)) parts[p.type] = p.value;
      let year = Number(parts.year);
      if (parts.era === "BC" || parts.era === "B") year = 1 - year;
      const local = daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86400 + Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
      return local - Math.floor(unixSeconds);
    },
    abbreviationAt(unixSeconds) {
      const part = abbr.formatToParts(new Date(unixSeconds * 1000)).find((p) => p.type === "timeZoneName");
      return part?.value;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, year 0 exists, as in Go)

/** Days since 1970-01-01 of a civil date (any month/day overflow is normalised, like Go's time.Date). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y0 = year + Math.floor((month - 1) / 12);
  const m0 = ((((month - 1) % 12) + 12) % 12) + 1;
  const y = m0 <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m0 + (m0 > 2 ? -3 : 9)) + 2) / 5) + 1 - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468 + (day - 1);
}

/** The civil date of a day count since 1970-01-01. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

function isLeap(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

/** Wall-clock fields of a time in a location. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanosecond: number;
}

/** Go's time.Date: the instant of a wall-clock time in `loc` (fields may overflow and are normalised). */
export function instantOf(w: WallTime, loc: GoLocation): bigint {
  const wallSeconds = daysFromCivil(w.year, w.month, 1) * 86400 + (w.day - 1) * 86400 + w.hour * 3600 + w.minute * 60 + w.second;
  let offset = loc.offsetAt(wallSeconds);
  if (offset !== 0) {
    const utc = wallSeconds - offset;
    const again = loc.offsetAt(utc);
    if (again !== offset) offset = again;
  }
  return BigInt(wallSeconds - offset) * NS_PER_SECOND + BigInt(w.nanosecond);
}

/** The wall-clock fields of `ns` in `loc`. */
export function wallOf(ns: bigint, loc: GoLocation = UTC): WallTime {
  let seconds = ns / NS_PER_SECOND;
  let nanos = ns % NS_PER_SECOND;
  if (nanos < 0n) {
    nanos += NS_PER_SECOND;
    seconds -= 1n;
  }
  const local = Number(seconds) + loc.offsetAt(Number(seconds));
  const days = Math.floor(local / 86400);
  const rest = local - days * 86400;
  const { year, month, day } = civilFromDays(days);
  return { year, month, day, hour: Math.floor(rest / 3600), minute: Math.floor((rest % 3600) / 60), second: rest % 60, nanosecond: Number(nanos) };
}

/** Go's Time.AddDate(years, 0, 0) in `loc`: same wall clock, another year (Feb 29 may roll over to Mar 1). */
export function addYears(ns: bigint, years: number, loc: GoLocation): bigint {
  const w = wallOf(ns, loc);
  return instantOf({ ...w, year: w.year + years }, loc);
}

/** `time.RFC3339Nano` in UTC: `2006-01-02T15:04:05.999999999Z` (trailing zeros of the fraction dropped). */
export function formatRFC3339Nano(ns: bigint): string {
  const w = wallOf(ns);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const year = w.year < 0 ? `-${pad(-w.year, 4)}` : pad(w.year, 4);
  let frac = "";
  if (w.nanosecond !== 0) frac = `.${pad(w.nanosecond, 9).replace(/0+$/, "")}`;
  return `${year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${frac}Z`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Layouts

/** Go's named layouts (time.ANSIC ... time.RFC3339Nano). */
export const NAMED_LAYOUTS: Readonly<Record<string, string>> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
};

type Std =
  | "January" | "Jan" | "Monday" | "Mon" | "MST"
  | "01" | "1" | "02" | "2" | "_2" | "002" | "__2"
  | "15" | "03" | "3" | "04" | "4" | "05" | "5"
  | "2006" | "06" | "PM" | "pm"
  | "-070000" | "-07:00:00" | "-0700" | "-07:00" | "-07"
  | "Z070000" | "Z07:00:00" | "Z0700" | "Z07:00" | "Z07"
  | "frac0" | "frac9";

interface Chunk {
  readonly prefix: string;
  readonly std?: Std;
  /** The element as written in the layout (`01`, `.000`). */
  readonly text?: string;
  /** For fractional seconds: the number of digits in the layout. */
  readonly digits?: number;
}

const CHUNKS = new Map<string, Chunk[]>();

/** Go's nextStdChunk, applied to a whole layout: literal prefixes and the elements after them (memoised). */
function chunks(layout: string): Chunk[] {
  const known = CHUNKS.get(layout);
  if (known !== undefined) return known;
  const out: Chunk[] = [];
  let rest = layout;
  while (rest.length > 0) {
    const found = nextStd(rest);
    if (found === undefined) {
      out.push({ prefix: rest });
      break;
    }
    out.push({ prefix: rest.slice(0, found.at), std: found.std, text: rest.slice(found.at, found.at + found.length), digits: found.digits });
    rest = rest.slice(found.at + found.length);
  }
  if (CHUNKS.size >= 256) CHUNKS.clear();
  CHUNKS.set(layout, out);
  return out;
}

function nextStd(layout: string): { at: number; length: number; std: Std; digits?: number } | undefined {
  const starts = (i: number, s: string) => layout.startsWith(s, i);
  const isDigit = (i: number) => i < layout.length && layout.charCodeAt(i) >= 48 && layout.charCodeAt(i) <= 57;
  for (let i = 0; i < layout.length; i++) {
    const c = layout[i];
    const hit = (std: Std, length: number) => ({ at: i, length, std });
    switch (c) {
      case "J":
        if (starts(i, "Jan")) return starts(i, "January") ? hit("January", 7) : hit("Jan", 3);
        break;
      case "M":
        if (starts(i, "Mon")) {
          if (starts(i, "Monday")) return hit("Monday", 6);
          if (!(i + 3 < layout.length && /[a-z]/.test(layout[i + 3] as string))) return hit("Mon", 3);
        }
        if (starts(i, "MST")) return hit("MST", 3);
        break;
      case "0":
        if (i + 1 < layout.length && layout[i + 1] !== undefined && "123456".includes(layout[i + 1] as string)) {
          const two = layout.slice(i, i + 2) as Std;
          return hit(two, 2);
        }
        if (starts(i, "002")) return hit("002", 3);
        break;
      case "1":
        if (starts(i, "15")) return hit("15", 2);
        return hit("1", 1);
      case "2":
        if (starts(i, "2006")) return hit("2006", 4);
        return hit("2", 1);
      case "_":
        if (starts(i, "_2")) {
          if (starts(i, "_2006")) return { at: i + 1, length: 4, std: "2006" };
          return hit("_2", 2);
        }
        if (starts(i, "__2")) return hit("__2", 3);
        break;
      case "3":
      case "4":
      case "5":
        return hit(c as Std, 1);
      case "P":
        if (starts(i, "PM")) return hit("PM", 2);
        break;
      case "p":
        if (starts(i, "pm")) return hit("pm", 2);
        break;
      case "-":
        for (const s of ["-070000", "-07:00:00", "-0700", "-07:00", "-07"] as const) if (starts(i, s)) return hit(s, s.length);
        break;
      case "Z":
        for (const s of ["Z070000", "Z07:00:00", "Z0700", "Z07:00", "Z07"] as const) if (starts(i, s)) return hit(s, s.length);
        break;
      case ".":
      case ",":
        if (i + 1 < layout.length && (layout[i + 1] === "0" || layout[i + 1] === "9")) {
          const ch = layout[i + 1];
          let j = i + 1;
          while (j < layout.length && layout[j] === ch) j++;
          if (!isDigit(j)) return { at: i, length: j - i, std: ch === "0" ? "frac0" : "frac9", digits: j - i - 1 };
        }
        break;
    }
  }
  return undefined;
}

const LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function lookup(names: readonly string[], value: string, length?: number): [number, string] {
  for (let i = 0; i < names.length; i++) {
    const name = length === undefined ? (names[i] as string) : (names[i] as string).slice(0, length);
    if (value.length >= name.length && value.slice(0, name.length).toLowerCase() === name.toLowerCase()) return [i, value.slice(name.length)];
  }
  throw new GoTimeError("bad value");
}

const isDigitAt = (s: string, i: number) => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] {
  if (!isDigitAt(s, 0)) throw new GoTimeError("bad value");
  if (!isDigitAt(s, 1)) {
    if (fixed) throw new GoTimeError("bad value");
    return [s.charCodeAt(0) - 48, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 48) * 10 + (s.charCodeAt(1) - 48), s.slice(2)];
}

function getnum3(s: string, fixed: boolean): [number, string] {
  let n = 0;
  let i = 0;
  for (; i < 3 && isDigitAt(s, i); i++) n = n * 10 + s.charCodeAt(i) - 48;
  if (i === 0 || (fixed && i !== 3)) throw new GoTimeError("bad value");
  return [n, s.slice(i)];
}

/** Go's skip: the literal must match, except that a run of spaces matches a run of spaces. */
function skip(value: string, prefix: string): string {
  let v = value;
  let p = prefix;
  while (p.length > 0) {
    if (p[0] === " ") {
      if (v.length > 0 && v[0] !== " ") throw new GoTimeError("bad literal");
      p = p.replace(/^ +/, "");
      v = v.replace(/^ +/, "");
      continue;
    }
    if (v.length === 0 || v[0] !== p[0]) throw new GoTimeError("bad literal");
    p = p.slice(1);
    v = v.slice(1);
  }
  return v;
}

/** Go's parseNanoseconds: a separator, then up to nine digits (more are truncated). */
function parseNanoseconds(value: string, nbytes: number): number {
  if (value[0] !== "." && value[0] !== ",") throw new GoTimeError("bad fraction");
  const digits = value.slice(1, nbytes);
  if (!/^[0-9]*$/.test(digits) || digits.length === 0) throw new GoTimeError("bad fraction");
  return Number(digits.slice(0, 9).padEnd(9, "0"));
}

function signedOffset(value: string, std: Std): [number, string] {
  const sign = value[0];
  if (sign !== "+" && sign !== "-") throw new GoTimeError("bad zone");
  const form = std.replace(/^Z/, "-");
  let hh: string;
  let mm = "00";
  let ss = "00";
  let rest: string;
  const take = (n: number) => value.slice(1, 1 + n);
  switch (form) {
    case "-07":
      if (value.length < 3) throw new GoTimeError("bad zone");
      hh = take(2);
      rest = value.slice(3);
      break;
    case "-0700":
      if (value.length < 5) throw new GoTimeError("bad zone");
      hh = value.slice(1, 3);
      mm = value.slice(3, 5);
      rest = value.slice(5);
      break;
    case "-07:00":
      if (value.length < 6 || value[3] !== ":") throw new GoTimeError("bad zone");
      hh = value.slice(1, 3);
      mm = value.slice(4, 6);
      rest = value.slice(6);
      break;
    case "-070000":
      if (value.length < 7) throw new GoTimeError("bad zone");
      hh = value.slice(1, 3);
      mm = value.slice(3, 5);
      ss = value.slice(5, 7);
      rest = value.slice(7);
      break;
    default: // -07:00:00
      if (value.length < 9 || value[3] !== ":" || value[6] !== ":") throw new GoTimeError("bad zone");
      hh = value.slice(1, 3);
      mm = value.slice(4, 6);
      ss = value.slice(7, 9);
      rest = value.slice(9);
  }
  for (const part of [hh, mm, ss]) if (!/^[0-9]{2}$/.test(part)) throw new GoTimeError("bad zone");
  const h = Number(hh);
  const m = Number(mm);
  const s = Number(ss);
  if (h > 24 || m > 60 || s > 60) throw new GoTimeError("time zone offset out of range");
  const offset = (h * 3600 + m * 60 + s) * (sign === "-" ? -1 : 1);
  return [offset, rest];
}

/** Go's parseTimeZone, simplified to what it accepts: an upper-case abbreviation, `GMT±h` or ChST/MeST. */
function zoneAbbreviation(value: string): number {
  if (value.length < 3) return 0;
  if (value.startsWith("ChST") || value.startsWith("MeST")) return 4;
  if (value.startsWith("GMT")) {
    const m = /^GMT([+-][0-9]{1,2})?/.exec(value) as RegExpExecArray;
    return m[0].length;
  }
  if (value[0] === "+" || value[0] === "-") {
    const m = /^[+-][0-9]{2}([0-9]{2})?/.exec(value);
    return m ? m[0].length : 0;
  }
  let n = 0;
  while (n < value.length && value.charCodeAt(n) >= 65 && value.charCodeAt(n) <= 90) n++;
  if (n === 3) return 3;
  if ((n === 4 || n === 5) && value[n - 1] === "T") return n;
  if (n === 4 && value.startsWith("WITA")) return 4;
  return 0;
}

/**
 * Go's `time.ParseInLocation(layout, value, loc)` (with `loc` UTC it is `time.Parse`). Returns the instant in
 * nanoseconds and whether the layout had a year (the timestamp stage treats year-less layouts specially).
 */
export function parseGoTime(layout: string, value: string, loc: GoLocation = UTC): bigint {
  const original = value;
  let year = 0;
  let month = -1;
  let day = -1;
  let yday = -1;
  let hour = 0;
  let min = 0;
  let sec = 0;
  let nsec = 0;
  let pmSet = false;
  let amSet = false;
  let utc = false;
  let zoneOffset: number | undefined;
  let zoneName: string | undefined;
  const parts = chunks(layout);
  const bad = (): never => {
    throw new GoTimeError("bad value");
  };
  const prefix = `parsing time ${JSON.stringify(original)} as ${JSON.stringify(layout)}`;
  // Where parsing stands, for Go's `cannot parse "<rest>" as "<element>"`.
  let at = { value, element: "" };
  try {
    for (let k = 0; k < parts.length; k++) {
      const chunk = parts[k] as Chunk;
      at = { value, element: chunk.prefix };
      value = skip(value, chunk.prefix);
      if (chunk.std === undefined) break;
      at = { value, element: chunk.text as string };
      switch (chunk.std) {
        case "2006":
          if (value.length < 4 || !/^[0-9]{4}/.test(value)) bad();
          year = Number(value.slice(0, 4));
          value = value.slice(4);
          break;
        case "06": {
          if (value.length < 2 || !/^[0-9]{2}/.test(value)) bad();
          const y = Number(value.slice(0, 2));
          year = y >= 69 ? 1900 + y : 2000 + y;
          value = value.slice(2);
          break;
        }
        case "January":
          [month, value] = lookup(LONG_MONTHS, value);
          month++;
          break;
        case "Jan":
          [month, value] = lookup(LONG_MONTHS, value, 3);
          month++;
          break;
        case "Monday":
          [, value] = lookup(LONG_DAYS, value);
          break;
        case "Mon":
          [, value] = lookup(LONG_DAYS, value, 3);
          break;
        case "01":
        case "1":
          [month, value] = getnum(value, chunk.std === "01");
          if (month <= 0 || month > 12) throw new GoTimeError("month out of range");
          break;
        case "02":
        case "2":
        case "_2":
          if (chunk.std === "_2" && value[0] === " ") value = value.slice(1);
          [day, value] = getnum(value, chunk.std === "02");
          break;
        case "002":
        case "__2":
          if (chunk.std === "__2") value = value.replace(/^ {1,2}/, "");
          [yday, value] = getnum3(value, chunk.std === "002");
          if (yday < 1 || yday > 366) throw new GoTimeError("day-of-year out of range");
          break;
        case "15":
          [hour, value] = getnum(value, false);
          if (hour < 0 || hour >= 24) throw new GoTimeError("hour out of range");
          break;
        case "03":
        case "3":
          [hour, value] = getnum(value, chunk.std === "03");
          if (hour < 0 || hour > 12) throw new GoTimeError("hour out of range");
          break;
        case "04":
        case "4":
          [min, value] = getnum(value, chunk.std === "04");
          if (min < 0 || min >= 60) throw new GoTimeError("minute out of range");
          break;
        case "05":
        case "5": {
          [sec, value] = getnum(value, chunk.std === "05");
          if (sec < 0 || sec >= 60) throw new GoTimeError("second out of range");
          // A fraction after the seconds is accepted even if the layout has none, unless the layout parses it next.
          if (value.length >= 2 && (value[0] === "." || value[0] === ",") && isDigitAt(value, 1)) {
            const next = parts[k + 1];
            if (next !== undefined && next.prefix === "" && (next.std === "frac0" || next.std === "frac9")) break;
            let n = 2;
            while (n < value.length && isDigitAt(value, n)) n++;
            nsec = parseNanoseconds(value, n);
            value = value.slice(n);
          }
          break;
        }
        case "PM":
        case "pm": {
          if (value.length < 2) bad();
          const p = value.slice(0, 2);
          const want = chunk.std === "PM" ? ["PM", "AM"] : ["pm", "am"];
          if (p === want[0]) pmSet = true;
          else if (p === want[1]) amSet = true;
          else bad();
          value = value.slice(2);
          break;
        }
        case "-070000":
        case "-07:00:00":
        case "-0700":
        case "-07:00":
        case "-07":
        case "Z070000":
        case "Z07:00:00":
        case "Z0700":
        case "Z07:00":
        case "Z07":
          if (chunk.std.startsWith("Z") && value.length >= 1 && value[0] === "Z") {
            value = value.slice(1);
            utc = true;
            break;
          }
          [zoneOffset, value] = signedOffset(value, chunk.std);
          break;
        case "MST": {
          if (value.length >= 3 && value.startsWith("UTC")) {
            value = value.slice(3);
            utc = true;
            break;
          }
          const n = zoneAbbreviation(value);
          if (n === 0) bad();
          zoneName = value.slice(0, n);
          value = value.slice(n);
          break;
        }
        case "frac0": {
          const n = 1 + (chunk.digits as number);
          if (value.length < n) bad();
          nsec = parseNanoseconds(value, n);
          value = value.slice(n);
          break;
        }
        case "frac9": {
          if (value.length < 2 || (value[0] !== "." && value[0] !== ",") || !isDigitAt(value, 1)) break;
          let i = 0;
          while (i < 9 && i + 1 < value.length && isDigitAt(value, i + 1)) i++;
          nsec = parseNanoseconds(value, 1 + i);
          value = value.slice(1 + i);
          break;
        }
      }
    }
  } catch (err) {
    if (!(err instanceof GoTimeError)) throw err;
    const generic = err.message === "bad value" || err.message === "bad literal" || err.message === "bad zone" || err.message === "bad fraction";
    throw new GoTimeError(`${prefix}: ${generic ? `cannot parse ${JSON.stringify(at.value)} as ${JSON.stringify(at.element)}` : err.message}`);
  }
  if (value.length > 0) throw new GoTimeError(`parsing time ${JSON.stringify(original)}: extra text: ${JSON.stringify(value)}`);
  if (pmSet && hour < 12) hour += 12;
  else if (amSet && hour === 12) hour = 0;
  if (yday >= 0) {
    let d = 0;
    let m = 0;
    if (isLeap(year)) {
      if (yday === 31 + 29) {
        m = 2;
        d = 29;
      } else if (yday > 31 + 29) yday--;
    }
    if (m === 0) {
      if (yday > 365) throw new GoTimeError(`parsing time ${JSON.stringify(original)}: day-of-year out of range`);
      m = 1;
      let left = yday;
      while (left > daysIn(m, 2001)) left -= daysIn(m++, 2001);
      d = left;
    }
    if ((month >= 0 && month !== m) || (day >= 0 && day !== d)) throw new GoTimeError(`parsing time ${JSON.stringify(original)}: day-of-year does not match month or day`);
    month = m;
    day = d;
  } else {
    if (month < 0) month = 1;
    if (day < 0) day = 1;
  }
  if (day < 1 || day > daysIn(month, year)) throw new GoTimeError(`parsing time ${JSON.stringify(original)}: day out of range`);
  const wall: WallTime = { year, month, day, hour, minute: min, second: sec, nanosecond: nsec };
  if (utc) return instantOf(wall, UTC);
  if (zoneOffset !== undefined) return instantOf(wall, UTC) - BigInt(zoneOffset) * NS_PER_SECOND;
  if (zoneName !== undefined) {
    // Go uses the location's offset when the abbreviation is one the location uses at that time, else zero.
    const guess = instantOf(wall, loc);
    if (loc !== UTC && loc.abbreviationAt(Number(guess / NS_PER_SECOND)) === zoneName) return guess;
    const gmt = /^GMT([+-][0-9]{1,2})$/.exec(zoneName);
    const offset = gmt ? Number(gmt[1]) * 3600 : 0;
    return instantOf(wall, UTC) - BigInt(offset) * NS_PER_SECOND;
  }
  return instantOf(wall, loc);
}

/** Does the layout name a year (Go's timestamp stage checks the text for `06` / `2006`)? */
export function layoutHasYear(layout: string): boolean {
  return layout.includes("06") || layout.includes("2006");
}

/** The year of an instant in `loc`. */
export function yearOf(ns: bigint, loc: GoLocation = UTC): number {
  return wallOf(ns, loc).year;
}

/** Parses an RFC 3339 timestamp (as Go's time.RFC3339Nano layout accepts it) into nanoseconds. */
export function parseRFC3339(text: string): bigint {
  return parseGoTime(NAMED_LAYOUTS.RFC3339Nano as string, text);
}
