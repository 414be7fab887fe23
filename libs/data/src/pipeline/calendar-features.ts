import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import dayOfYear from 'dayjs/plugin/dayOfYear';
import isoWeek from 'dayjs/plugin/isoWeek';
import { Frequency, FrequencyUnit, parseFrequency } from '../time/frequency';

dayjs.extend(utc);
dayjs.extend(dayOfYear);
dayjs.extend(isoWeek);

type Feature = { name: string; of: (d: dayjs.Dayjs) => number };

// Each feature is scaled to [-0.5, 0.5], as Time-Series-Library's `time_features` (timeenc=1) does.
const SECOND: Feature = { name: 'second_of_minute', of: (d) => d.second() / 59 - 0.5 };
const MINUTE: Feature = { name: 'minute_of_hour', of: (d) => d.minute() / 59 - 0.5 };
const HOUR: Feature = { name: 'hour_of_day', of: (d) => d.hour() / 23 - 0.5 };
// Monday = 0, as pandas' dayofweek.
const WEEKDAY: Feature = { name: 'day_of_week', of: (d) => ((d.day() + 6) % 7) / 6 - 0.5 };
const MONTHDAY: Feature = { name: 'day_of_month', of: (d) => (d.date() - 1) / 30 - 0.5 };
const YEARDAY: Feature = { name: 'day_of_year', of: (d) => (d.dayOfYear() - 1) / 365 - 0.5 };
const WEEK: Feature = { name: 'week_of_year', of: (d) => (d.isoWeek() - 1) / 52 - 0.5 };
const MONTH: Feature = { name: 'month_of_year', of: (d) => d.month() / 11 - 0.5 };

const BY_UNIT: Record<FrequencyUnit, Feature[]> = {
  ms: [SECOND, MINUTE, HOUR, WEEKDAY, MONTHDAY, YEARDAY],
  s: [SECOND, MINUTE, HOUR, WEEKDAY, MONTHDAY, YEARDAY],
  min: [MINUTE, HOUR, WEEKDAY, MONTHDAY, YEARDAY],
  h: [HOUR, WEEKDAY, MONTHDAY, YEARDAY],
  D: [WEEKDAY, MONTHDAY, YEARDAY],
  W: [MONTHDAY, WEEK],
  M: [MONTH],
  Q: [MONTH],
  Y: [],
};

export interface CalendarFeatures {
  names: string[];
  /** [rows x names.length], row-major. */
  values: Float32Array;
}

/** Calendar covariates for timestamps (UTC ms), chosen by frequency: known in the future, so usable as known covariates. */
export function calendarFeatures(times: ArrayLike<number>, frequency: Frequency | string): CalendarFeatures {
  const f = typeof frequency === 'string' ? parseFrequency(frequency) : frequency;
  if (!f) throw new RangeError(`unknown frequency ${String(frequency)}`);
  const features = BY_UNIT[f.unit];
  const values = new Float32Array(times.length * features.length);
  for (let i = 0; i < times.length; i++) {
    const d = dayjs.utc(times[i]);
    features.forEach((feat, j) => (values[i * features.length + j] = feat.of(d)));
  }
  return { names: features.map((x) => x.name), values };
}
