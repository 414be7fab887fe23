import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

/** Calendar units; quarters are three months and years twelve, so they share month arithmetic. */
export type FrequencyUnit = 'ms' | 's' | 'min' | 'h' | 'D' | 'W' | 'M' | 'Q' | 'Y';

export interface Frequency {
  unit: FrequencyUnit;
  multiple: number;
  /** `15min`, `1h`, `1D`, `1M`...: what metadata and the API show. */
  label: string;
  /** Monthly data stamped on the last day of each month (2020-01-31, 2020-02-29, ...). */
  monthEnd?: boolean;
}

const FIXED_MS: Record<Exclude<FrequencyUnit, 'M' | 'Q' | 'Y'>, number> = {
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
  D: 86_400_000,
  W: 604_800_000,
};

const DAYJS_UNIT: Record<FrequencyUnit, dayjs.ManipulateType> = {
  ms: 'millisecond',
  s: 'second',
  min: 'minute',
  h: 'hour',
  D: 'day',
  W: 'week',
  M: 'month',
  Q: 'month',
  Y: 'month',
};

export function makeFrequency(multiple: number, unit: FrequencyUnit, monthEnd = false): Frequency {
  return {
    unit,
    multiple,
    label: `${multiple}${unit}${monthEnd ? 'E' : ''}`,
    ...(monthEnd ? { monthEnd } : {}),
  };
}

/** Parses labels such as `1h`, `15min`, `1D`, `3M`, `1Q` (and Monash's words: `hourly`, `half_hourly`, `10_minutes`). */
export function parseFrequency(text: string): Frequency | null {
  const words: Record<string, [number, FrequencyUnit]> = {
    yearly: [1, 'Y'],
    quarterly: [1, 'Q'],
    monthly: [1, 'M'],
    weekly: [1, 'W'],
    daily: [1, 'D'],
    hourly: [1, 'h'],
    half_hourly: [30, 'min'],
    minutely: [1, 'min'],
    secondly: [1, 's'],
  };
  const w = words[text.toLowerCase()];
  if (w) return makeFrequency(w[0], w[1]);
  const monash = /^(\d+)_(minutes?|seconds?|hours?|days?|weeks?|months?|years?)$/i.exec(text);
  if (monash) {
    const unit: Record<string, FrequencyUnit> = {
      minute: 'min',
      second: 's',
      hour: 'h',
      day: 'D',
      week: 'W',
      month: 'M',
      year: 'Y',
    };
    return makeFrequency(+monash[1], unit[monash[2].toLowerCase().replace(/s$/, '')]);
  }
  const m = /^(\d*)(ms|s|min|h|D|W|M|Q|Y)(E)?$/.exec(text);
  if (!m) return null;
  return makeFrequency(m[1] ? +m[1] : 1, m[2] as FrequencyUnit, !!m[3]);
}

function monthsOf(f: Frequency): number {
  return f.unit === 'M' ? f.multiple : f.unit === 'Q' ? 3 * f.multiple : f.unit === 'Y' ? 12 * f.multiple : 0;
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

function isMonthEnd(t: number): boolean {
  const d = new Date(t);
  return d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
}

/** `t` moved by whole months, keeping the day of month (or the month end), or NaN if that day does not exist. */
export function addMonths(t: number, months: number, monthEnd = false): number {
  const d = new Date(t);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const last = daysInMonth(year, month0);
  const day = monthEnd ? last : d.getUTCDate();
  if (day > last) return NaN;
  const out = new Date(
    Date.UTC(
      2000,
      month0,
      day,
      d.getUTCHours(),
      d.getUTCMinutes(),
      d.getUTCSeconds(),
      d.getUTCMilliseconds(),
    ),
  );
  out.setUTCFullYear(year);
  return out.getTime();
}

/** `t` plus `n` steps of `f`. */
export function addSteps(t: number, n: number, f: Frequency): number {
  const months = monthsOf(f);
  if (months) return addMonths(t, n * months, f.monthEnd);
  return t + n * f.multiple * FIXED_MS[f.unit as keyof typeof FIXED_MS];
}

/**
 * How many steps of `f` lead from `a` to `b`: 1 for consecutive stamps, k > 1 across a
 * gap of k - 1 missing stamps, NaN when `b` is not on `a`'s grid (irregular).
 */
export function stepsBetween(a: number, b: number, f: Frequency): number {
  const months = monthsOf(f);
  if (!months) {
    const q = (b - a) / (f.multiple * FIXED_MS[f.unit as keyof typeof FIXED_MS]);
    return Number.isInteger(q) ? q : NaN;
  }
  const da = new Date(a);
  const db = new Date(b);
  const diff = (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + db.getUTCMonth() - da.getUTCMonth();
  if (diff % months !== 0) return NaN;
  return addMonths(a, diff, f.monthEnd) === b ? diff / months : NaN;
}

function mode(values: number[]): number {
  const counts = new Map<number, number>();
  let best = values[0];
  let bestCount = 0;
  for (const v of values) {
    const c = (counts.get(v) ?? 0) + 1;
    counts.set(v, c);
    if (c > bestCount || (c === bestCount && v < best)) {
      best = v;
      bestCount = c;
    }
  }
  return best;
}

/**
 * The frequency of consecutive (earlier, later) timestamp pairs, or null when they
 * are not on any grid. The step is the most common difference (so gaps and a few
 * off-grid stamps do not hide it; the validator reports those against the step),
 * measured in calendar months when the stamps sit on a month grid (dayjs counts the
 * months; month lengths differ, so milliseconds cannot), otherwise in the largest
 * fixed unit that divides it. At least half the pairs must be whole steps apart.
 */
export function inferFrequencyFromPairs(pairs: [number, number][]): Frequency | null {
  const usable = pairs.filter(([a, b]) => b > a);
  if (usable.length === 0) return null;
  const diffs = usable.map(([a, b]) => b - a);
  const step = mode(diffs);
  const enough = (n: number) => n * 2 >= usable.length;
  if (step >= 28 * 86_400_000) {
    const ends = usable.filter(([a, b]) => isMonthEnd(a) && isMonthEnd(b));
    const monthEnd =
      enough(ends.length) && !ends.every(([a, b]) => new Date(a).getUTCDate() === new Date(b).getUTCDate());
    const months = usable
      .map(([a, b]) => {
        const k = dayjs.utc(b).diff(dayjs.utc(a), 'month');
        return k > 0 && addMonths(a, k, monthEnd) === b ? k : NaN;
      })
      .filter((k) => k === k);
    if (enough(months.length)) {
      const m = mode(months);
      if (enough(months.filter((k) => k % m === 0).length)) {
        return m % 12 === 0
          ? makeFrequency(m / 12, 'Y', monthEnd)
          : m % 3 === 0
            ? makeFrequency(m / 3, 'Q', monthEnd)
            : makeFrequency(m, 'M', monthEnd);
      }
    }
  }
  if (!enough(diffs.filter((d) => d % step === 0).length)) return null;
  for (const unit of ['W', 'D', 'h', 'min', 's', 'ms'] as const) {
    const size = FIXED_MS[unit];
    if (step % size === 0) {
      const f = makeFrequency(step / size, unit);
      // dayjs agrees that the step is a whole number of units (a cross-check of the arithmetic).
      const [a, b] = usable[diffs.indexOf(step)];
      return dayjs.utc(b).diff(dayjs.utc(a), DAYJS_UNIT[unit] as dayjs.OpUnitType, true) === f.multiple
        ? f
        : null;
    }
  }
  return null;
}

/** The frequency of one series' sorted timestamps. */
export function inferFrequency(times: ArrayLike<number>): Frequency | null {
  const pairs: [number, number][] = [];
  for (let i = 1; i < times.length; i++) pairs.push([times[i - 1], times[i]]);
  return inferFrequencyFromPairs(pairs);
}
