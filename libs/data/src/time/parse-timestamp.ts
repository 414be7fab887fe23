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

/** UTC milliseconds, or NaN when the text is not a timestamp. */
export function parseTimestamp(text: string): number {
  const s = text.trim();
  const m = LAYOUT.exec(s);
  if (!m) return NaN;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = m[4] ? +m[4] : 0;
  const minute = m[5] ? +m[5] : 0;
  const second = m[6] ? +m[6] : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return NaN;
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
