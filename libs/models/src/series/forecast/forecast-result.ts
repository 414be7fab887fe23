import { Forecast, StepClock } from '@seqcast/forecast';
import { isoTime } from './iso-time';
import type { TimingView } from '../time-axis';

/** Who made a served forecast, and its id (also the stored row's). */
export interface ForecastIds {
  id: string;
  modelId: string;
  modelVersionId: string;
}

export type ForecastStep = { step: number; timestamp: string | null; value: number } & Record<
  string,
  number | string | null
>;

/** A served forecast, as JSON. */
export interface ForecastResult extends ForecastIds {
  seriesKey: string;
  horizon: number;
  /** Time of the last observation the forecast starts from (ISO), when known. */
  origin: string | null;
  frequency: string | null;
  /**
   * The zone of the dataset's timestamps (IANA name or offset, as uploaded), null when they
   * were naive or dates. Step times are UTC instants (ISO with Z) either way; Arrow answers
   * tag their timestamp column with this zone (UTC when null).
   */
  timeZone?: string | null;
  /** Time of the first step (ISO), when known. */
  start: string | null;
  /** Conformal calibrator behind the bounds, when the model has one for this series. */
  interval: ForecastInterval | null;
  /** The online adapter state behind the point forecast, when an adapter is attached (see ForecastMeta.adaptation). */
  adaptation: { adapterId: string; method: string; at: number; steps: number } | null;
  /**
   * Per step of the first channel: the point value and, with a calibrator, bounds named like
   * lo-90 and hi-90 (and q-0.1 ... for requested quantiles).
   */
  steps: ForecastStep[];
  /** One name per channel. */
  channels: string[];
  /** Point values per channel: point[channel][step]. */
  point: number[][];
  /** Interval bounds per channel by name: bounds['lo-90'][channel][step]. */
  bounds?: Record<string, number[][]>;
  /** Quantiles per channel by level: quantiles['0.1'][channel][step]. */
  quantiles?: Record<string, number[][]>;
  /** Sample paths: samples[sample][channel][step]. */
  samples?: number[][][];
  /**
   * Set when a 'timed' model (LS4) read the context's gaps (unevenly spaced stamps): the
   * nominal gap (dt 1) and its unit; the steps are one nominal gap apart (`frequency`).
   */
  timing?: TimingView;
}

/**
 * Who made the bounds. A calibrator has residuals for `calibratedSteps` horizon steps; when the
 * forecast is longer, the later steps' bounds reuse the last calibrated step's residual model,
 * and `extrapolated` says so (the widths there are not calibrated for those steps).
 */
export interface ForecastInterval {
  calibratorId: string;
  method: string;
  levels: string[];
  calibratedSteps: number | null;
  extrapolated: { fromStep: number; toStep: number; note: string } | null;
}

function intervalOf(f: Forecast, levels: string[]): ForecastInterval | null {
  const src = f.meta.intervalSource;
  if (!src || !levels.length) return null;
  const calibrated = src.calibratedSteps ?? null;
  const beyond = calibrated !== null && f.horizon > calibrated;
  return {
    calibratorId: src.calibratorId,
    method: src.method,
    levels,
    calibratedSteps: calibrated,
    extrapolated: beyond
      ? {
          fromStep: calibrated + 1,
          toStep: f.horizon,
          note:
            `the calibrator has residuals for ${calibrated} steps: the bounds of steps ${calibrated + 1}-${f.horizon} ` +
            `reuse step ${calibrated}'s widths; calibrate with steps >= ${f.horizon} for calibrated bounds there`,
        }
      : null,
  };
}

const iso = (t: number | null | undefined) => (t === null || t === undefined ? null : isoTime(t));
const plain = (paths: ArrayLike<number>[]) => paths.map((p) => Array.from(p));

/** Bound names of an interval level, StatsForecast style. */
export const boundName = (side: 'lo' | 'hi', level: string) => `${side}-${level}`;
export const quantileName = (q: number) => `q-${q}`;

/** The JSON answer for a forecast value. */
export function toForecastResult(f: Forecast, ids: ForecastIds): ForecastResult {
  const stamps = f.timestamps();
  const levels = f.intervalLevels;
  const bands = levels.map((l) => [l, f.interval(l)] as const);
  const quantiles = f.levels.map((q) => [q, f.quantile(q)] as const);
  const point = f.channel(0);
  const samples = f.samples();
  const result: ForecastResult = {
    ...ids,
    seriesKey: f.meta.seriesKey ?? '',
    horizon: f.horizon,
    origin: iso(f.meta.origin),
    frequency: f.meta.frequency ?? null,
    start: iso(stamps?.[0]),
    interval: intervalOf(f, levels),
    adaptation: f.meta.adaptation ?? null,
    steps: Array.from(point, (v, i) => {
      const step: ForecastStep = { step: i + 1, timestamp: iso(stamps?.[i]), value: v };
      for (const [l, b] of bands) {
        step[boundName('lo', l)] = b.lower[0][i];
        step[boundName('hi', l)] = b.upper[0][i];
      }
      for (const [q, paths] of quantiles) step[quantileName(q)] = paths[0][i];
      return step;
    }),
    channels: f.channelNames,
    point: plain(f.point()),
  };
  if (bands.length) {
    result.bounds = {};
    for (const [l, b] of bands) {
      result.bounds[boundName('lo', l)] = plain(b.lower);
      result.bounds[boundName('hi', l)] = plain(b.upper);
    }
  }
  if (quantiles.length)
    result.quantiles = Object.fromEntries(quantiles.map(([q, p]) => [String(q), plain(p)]));
  if (samples) result.samples = samples.map(plain);
  return result;
}

/** Interval bands from bounds named lo-XX and hi-XX. */
export function bandsOf(
  bounds: Record<string, number[][]>,
): Record<string, { lower: number[][]; upper: number[][] }> {
  const out: Record<string, { lower: number[][]; upper: number[][] }> = {};
  for (const name of Object.keys(bounds)) {
    const m = /^lo-(.+)$/.exec(name);
    if (m && bounds[boundName('hi', m[1])])
      out[m[1]] = { lower: bounds[name], upper: bounds[boundName('hi', m[1])] };
  }
  return out;
}

/** The forecast value back from its JSON answer (a client's view, exact values). */
export function forecastFromResult(r: ForecastResult, clock?: StepClock): Forecast {
  const f32 = (paths: number[][]) => paths.map((p) => Float32Array.from(p));
  const f = new Forecast({
    point: f32(r.point),
    quantiles: new Map(Object.entries(r.quantiles ?? {}).map(([q, p]) => [Number(q), f32(p)])),
    samples: r.samples?.map(f32),
    meta: {
      seriesKey: r.seriesKey,
      origin: r.origin === null ? null : Date.parse(r.origin),
      frequency: r.frequency,
      channelNames: r.channels,
      modelVersion: r.modelVersionId,
      ...(clock ? { clock } : {}),
    },
  });
  if (!r.bounds) return f;
  const source = r.interval
    ? {
        calibratorId: r.interval.calibratorId,
        method: r.interval.method,
        ...(r.interval.calibratedSteps != null ? { calibratedSteps: r.interval.calibratedSteps } : {}),
      }
    : undefined;
  return f.withIntervals(bandsOf(r.bounds), source);
}
