/** Tick positions of an axis with their labels. */
export interface Ticks {
  values: number[];
  labels: string[];
}

/** "Nice" linear ticks (steps 1, 2 or 5 x 10^k), about `target` of them covering [min, max]. */
export function linearTicks(min: number, max: number, target = 6): Ticks & { step: number } {
  const span = max - min;
  const raw = span > 0 ? span / target : Math.abs(min) || 1;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  const last = Math.floor(max / step + 1e-9);
  for (let i = first; i <= last; i++) values.push(i * step);
  // toFixed on i * step avoids labels such as 0.30000000000000004; -0 prints as 0.
  const labels = values.map((v) => (Object.is(Number(v.toFixed(decimals)), -0) ? 0 : v).toFixed(decimals));
  return { values, labels, step };
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Fixed-length steps first, then calendar months (a month or year has no fixed length). */
const FIXED_STEPS = [1, 2, 5, 10, 15, 30].map((s) => s * SECOND)
  .concat([1, 2, 5, 10, 15, 30].map((m) => m * MINUTE))
  .concat([1, 2, 3, 6, 12].map((h) => h * HOUR))
  .concat([1, 2, 7, 14].map((d) => d * DAY));
const MONTH_STEPS = [1, 2, 3, 6, 12, 24, 60, 120, 240, 600, 1200];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function formatUtc(ms: number, unit: 'second' | 'minute' | 'day' | 'month' | 'year'): string {
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  switch (unit) {
    case 'second':
      return `${hm}:${pad(d.getUTCSeconds())}`;
    case 'minute':
      return `${date.slice(5)} ${hm}`;
    case 'day':
      return date;
    case 'month':
      return date.slice(0, 7);
    case 'year':
      return String(d.getUTCFullYear());
  }
}

/**
 * Time ticks in UTC at round instants (whole minutes, hours, days, first days of months or
 * years), at most `maxTicks` of them, labelled at the precision the step needs.
 */
export function timeTicks(min: number, max: number, maxTicks = 7): Ticks {
  const span = Math.max(max - min, 0);
  const fixed = FIXED_STEPS.find((s) => span / s <= maxTicks - 1);
  if (fixed !== undefined) {
    const values: number[] = [];
    for (let t = Math.ceil(min / fixed) * fixed; t <= max; t += fixed) values.push(t);
    const unit = fixed < MINUTE ? 'second' : fixed < DAY ? 'minute' : 'day';
    return { values, labels: values.map((v) => formatUtc(v, unit)) };
  }
  const months = MONTH_STEPS.find((m) => span / (m * 30.44 * DAY) <= maxTicks - 1) ?? Math.ceil(span / (365.25 * DAY * (maxTicks - 1))) * 12;
  const start = new Date(min);
  let index = start.getUTCFullYear() * 12 + start.getUTCMonth();
  if (Date.UTC(Math.floor(index / 12), index % 12, 1) < min) index++;
  index = Math.ceil(index / months) * months;
  const values: number[] = [];
  for (let t = Date.UTC(Math.floor(index / 12), index % 12, 1); t <= max; index += months, t = Date.UTC(Math.floor(index / 12), index % 12, 1)) values.push(t);
  return { values, labels: values.map((v) => formatUtc(v, months % 12 === 0 ? 'year' : 'month')) };
}
