/**
 * Timestamps from text, always as UTC milliseconds. A hand-written parser covers the
 * layouts real files use (ISO 8601, `2016-07-01 00:00:00`, `1990/1/1 0:00`, Monash's
 * `1975-12-01 00-00-00`): it is about fifty times faster than a general parser, which
 * matters at a million CSV rows. Text without a zone is read as UTC, never as local
 * time, so a result does not depend on the machine.
 */
const LAYOUT =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2})(?:[:-](\d{1,2}))?(?:[:-](\d{1,2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1];
}

const D0 = 48;

/** Digits at fixed positions, or -1 (the fast path for `YYYY-MM-DD[ T]HH:MM:SS[.fff][Z]`). */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - D0;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** The layouts machines write (ISO 8601 with a Z or no zone), read without a regular expression. */
function fastIso(s: string): number {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (n === 10) return Date.UTC(year, month - 1, day);
  const sep = s.charCodeAt(10);
  if ((sep !== 32 && sep !== 84) || n < 19 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  let end = n;
  if (s.charCodeAt(n - 1) === 90) end = n - 1; // Z
  let ms = 0;
  if (end > 19) {
    if (s.charCodeAt(19) !== 46 || end - 20 < 1 || end - 20 > 3) return NaN;
    const frac = digits(s, 20, end - 20);
    if (frac < 0) return NaN;
    ms = end - 20 === 1 ? frac * 100 : end - 20 === 2 ? frac * 10 : frac;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** UTC milliseconds, or NaN when the text is not a timestamp. */
export function parseTimestamp(text: string): number {
  const fast = fastIso(text);
  if (fast === fast) return fast;
  const s = text.trim();
  const m = LAYOUT.exec(s);
  if (!m) return NaN;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = m[4] ? +m[4] : 0;
  const minute = m[5] ? +m[5] : 0;
  const second = m[6] ? +m[6] : 0;
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return NaN;
  const ms = m[7] ? Math.round(+`0.${m[7]}` * 1000) : 0;
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Date.UTC maps years 0-99 to 1900-1999; Monash writes unknown years as 0000.
  if (year < 100) t = new Date(t).setUTCFullYear(year);
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = (+digits.slice(0, 2) * 60 + (digits.length > 2 ? +digits.slice(2, 4) : 0)) * 60_000;
    t -= sign * offset;
  }
  return t;
}

export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}
