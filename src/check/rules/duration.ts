const UNITS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  "µs": 1e3,
  "μs": 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/**
 * Parses a duration exactly as Go's time.ParseDuration does (which is what Alloy uses for `duration` arguments):
 * a sequence of decimal numbers with units ns, us/µs, ms, s, m, h, optionally signed; "0" alone is allowed.
 * Returns nanoseconds, or an error message.
 */
export function parseGoDuration(text: string): { ok: true; nanos: number } | { ok: false; error: string } {
  let s = text;
  const bad = { ok: false as const, error: `invalid duration "${text}"` };
  let neg = false;
  if (s.startsWith("-") || s.startsWith("+")) {
    neg = s[0] === "-";
    s = s.slice(1);
  }
  if (s === "0") return { ok: true, nanos: 0 };
  if (s === "") return bad;
  let total = 0;
  while (s !== "") {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s);
    if (!num || (num[1] === "" && (num[2] === undefined || num[2] === ""))) return bad;
    s = s.slice(num[0].length);
    const unit = /^[^\d.]+/.exec(s);
    if (!unit) return { ok: false, error: `missing unit in duration "${text}"` };
    const mult = UNITS[unit[0]];
    if (mult === undefined) return { ok: false, error: `unknown unit "${unit[0]}" in duration "${text}"` };
    s = s.slice(unit[0].length);
    total += parseFloat(`${num[1] || "0"}.${num[2] ?? "0"}`) * mult;
  }
  if (total > 9223372036854775807) return { ok: false, error: `invalid duration "${text}": out of range` };
  return { ok: true, nanos: neg ? -total : total };
}
