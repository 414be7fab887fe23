import { ForecastEntity } from '@seqcast/db';
import { Forecast, ForecastJSON, StepClock } from '@seqcast/forecast';
import { ForecastIds } from './forecast-result';

/** `values` of a stored forecast, format 2: the Forecast value's JSON, every channel and level. */
interface StoredV2 {
  format: 2;
  frequency: string | null;
  forecast: ForecastJSON;
  observed?: number[];
}

/** `values` of rows written before format 2: one channel, bounds named lo-90 and hi-90. */
interface StoredV1 {
  frequency: string | null;
  point: number[];
  bounds?: Record<string, number[]>;
  calibratorId?: string;
  observed?: number[];
}

/** The row that stores a served forecast (timestamps are not stored: origin and frequency give them back). */
export function toForecastRow(f: Forecast, ids: ForecastIds, jobId: string | null = null): ForecastEntity {
  const { origin } = f.meta;
  const values: StoredV2 = { format: 2, frequency: f.meta.frequency ?? null, forecast: f.toJSON() };
  return Object.assign(new ForecastEntity(), {
    id: ids.id,
    modelId: ids.modelId,
    modelVersionId: ids.modelVersionId,
    seriesKey: f.meta.seriesKey ?? '',
    origin: origin === null || origin === undefined ? null : new Date(origin),
    horizon: f.horizon,
    channels: f.channels,
    levels: f.intervalLevels.length ? f.intervalLevels : null,
    quantiles: f.levels.length ? f.levels : null,
    samples: f.sampleCount,
    values: values as unknown as Record<string, unknown>,
    jobId,
    createdAt: new Date(),
  });
}

/** The forecast value of a stored row, whichever format wrote it; `clock` gives its timestamps back. */
export function forecastFromRow(row: ForecastEntity, clock?: StepClock): Forecast {
  const v = row.values as unknown as StoredV2 | StoredV1;
  const meta = {
    seriesKey: row.seriesKey,
    origin: row.origin ? row.origin.getTime() : null,
    frequency: v.frequency ?? null,
    ...(row.modelVersionId ? { modelVersion: row.modelVersionId } : {}),
  };
  if ('format' in v && v.format === 2) return Forecast.fromJSON(v.forecast, clock).withMeta(meta);
  const old = v as StoredV1;
  const f = new Forecast({
    point: [Float32Array.from(old.point)],
    meta: { ...meta, ...(clock ? { clock } : {}) },
  });
  if (!old.bounds) return f;
  const bands: Record<string, { lower: number[][]; upper: number[][] }> = {};
  for (const [name, b] of Object.entries(old.bounds)) {
    const [side, level] = [name.slice(0, 2), name.slice(3)];
    bands[level] ??= { lower: [], upper: [] };
    (side === 'lo' ? bands[level].lower : bands[level].upper).push(b);
  }
  return f.withIntervals(bands);
}

/**
 * The truth given so far for one channel of a stored forecast: observed[h] is step h + 1's
 * truth, null where it has not come yet (truths may come in pieces); `observed` for the first
 * channel (as rows always had it), `observedChannels[name]` for the others.
 */
export function observedOf(row: ForecastEntity, channel: number, name: string): Array<number | null> {
  const v = row.values as {
    observed?: Array<number | null>;
    observedChannels?: Record<string, Array<number | null>>;
  };
  return (channel === 0 ? v.observed : v.observedChannels?.[name]) ?? [];
}

/** The truths so far with `values` placed at steps from + 1 .. from + values.length. */
export function mergeObserved(
  before: ReadonlyArray<number | null>,
  from: number,
  values: readonly number[],
): Array<number | null> {
  const out: Array<number | null> = Array.from(
    { length: Math.max(before.length, from + values.length) },
    (_, h) => before[h] ?? null,
  );
  values.forEach((v, i) => (out[from + i] = v));
  return out;
}

/** The row's values with the truth of one channel replaced by `observed` (see mergeObserved). */
export function withObserved(
  row: ForecastEntity,
  channel: number,
  name: string,
  observed: Array<number | null>,
): Record<string, unknown> {
  if (channel === 0) return { ...row.values, observed };
  const prev = (row.values as { observedChannels?: Record<string, number[]> }).observedChannels;
  return { ...row.values, observedChannels: { ...prev, [name]: observed } };
}
