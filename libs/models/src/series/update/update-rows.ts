import { splitByFractions } from '@seqcast/data';
import type { ChannelSeries } from '../../series-data';

/** What the model has learnt of one series: its first `rows` rows, the last at time `until`. */
export interface SeenSeries {
  key: string;
  rows: number;
  /** Time of the last row learnt (UTC ms, or the dataset's numeric time). */
  until: number;
}

/**
 * The rows of each series a model version has learnt from, kept in its artifact's manifest
 * (`dataSchema.seen`). `series[i]` is the model's i-th series, the one an update's
 * `newObservations[i]` continues (the order the model keeps its series' tails in).
 */
export interface SeenRows {
  series: SeenSeries[];
}

/** The rows of one series an update feeds the model, in the model's series order. */
export interface UpdateObservation {
  key: string;
  /** One array per target channel; empty when the series has no new rows. */
  channels: Float32Array[];
  /** false: a series the model has not seen, scaled by its own rows and kept after the others. */
  known: boolean;
}

export interface NewRows {
  observations: UpdateObservation[];
  /** New rows in all series together. */
  rows: number;
  /** Series with at least one new row. */
  series: number;
  /** Series the model had not seen. */
  newSeries: number;
  /** What the model will have seen once updated with `observations`. */
  seen: SeenRows;
}

/**
 * What the train job fits a model on: the train split of every series long enough for a
 * window (the first floor(n * split.train) rows; see train-model.handler.ts), or all of its
 * rows when `split` is null (a version refitted on every row), in the dataset's series order,
 * which is the order the model keeps them in.
 */
export function seenAfterTraining(
  series: ChannelSeries[],
  lookback: number,
  horizon: number,
  split: { train: number; test: number } | null,
): SeenRows {
  const out: SeenSeries[] = [];
  for (const s of series) {
    const n = s.times.length;
    if (n < lookback + horizon + 2) continue;
    const end = split ? splitByFractions(n, split, lookback).train.end : n;
    out.push({ key: s.key, rows: end, until: s.times[end - 1] });
  }
  return { series: out };
}

/** Index of the first time after `t` in ascending `times`. */
function firstAfter(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows of `data` after those the model has seen: for each series it knows, the rows
 * later than the last one it learnt (in its order, an empty entry where there is none, so
 * positions keep matching), then every series it does not know, whole. Rows are matched by
 * time, so a dataset version the model has already learnt gives no rows.
 */
export function rowsAfter(seen: SeenRows, data: ChannelSeries[], channels: number): NewRows {
  const byKey = new Map(data.map((s) => [s.key, s]));
  const known = new Set(seen.series.map((s) => s.key));
  const observations: UpdateObservation[] = [];
  const next: SeenSeries[] = [];
  let rows = 0;
  let withRows = 0;
  for (const was of seen.series) {
    const s = byKey.get(was.key);
    const from = s ? firstAfter(s.times, was.until) : 0;
    const n = s ? s.times.length - from : 0;
    observations.push({
      key: was.key,
      channels: s
        ? s.channels.map((ch) => ch.slice(from))
        : Array.from({ length: channels }, () => new Float32Array(0)),
      known: true,
    });
    next.push(n > 0 ? { key: was.key, rows: was.rows + n, until: s!.times[s!.times.length - 1] } : was);
    rows += n;
    if (n > 0) withRows++;
  }
  let newSeries = 0;
  for (const s of data) {
    const n = s.times.length;
    if (known.has(s.key) || n === 0) continue;
    observations.push({ key: s.key, channels: s.channels.map((ch) => ch.slice()), known: false });
    next.push({ key: s.key, rows: n, until: s.times[n - 1] });
    rows += n;
    withRows++;
    newSeries++;
  }
  return { observations, rows, series: withRows, newSeries, seen: { series: next } };
}

/** The `seen` a manifest's dataSchema holds, or undefined (artifacts of the train job). */
export function seenOf(dataSchema: unknown): SeenRows | undefined {
  const seen = (dataSchema as { seen?: SeenRows } | null | undefined)?.seen;
  return seen && Array.isArray(seen.series) ? seen : undefined;
}
