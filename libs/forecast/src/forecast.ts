import { ValidationFailed } from '@seqcast/core';
import { quantile } from '@seqcast/numeric';

/** The calendar of a frequency: the time `steps` steps after `origin` (UTC ms). */
export type StepClock = (origin: number, steps: number) => number;

/** What a forecast is of and who made it; every field optional, so bare model output stays valid. */
export interface ForecastMeta {
  seriesKey?: string;
  /** Time of the last observation the forecast starts from (UTC ms). */
  origin?: number | null;
  /** Frequency label of the series (`1h`, `1M`, ...). */
  frequency?: string | null;
  /**
   * Steps the frequency's calendar (months have no fixed length, so the label alone does not
   * give timestamps). Kept out of JSON; whoever restores a forecast gives it again.
   */
  clock?: StepClock;
  /** One name per channel (the series' value columns). */
  channelNames?: string[];
  /** The model version that made the forecast. */
  modelVersion?: string;
  /**
   * Where the intervals came from (a conformal calibrator), when they did. `calibratedSteps`:
   * the horizon steps the calibrator has residuals for; later steps reuse the last one's.
   */
  intervalSource?: { calibratorId: string; method: string; calibratedSteps?: number };
  /**
   * The online adapter state that produced the point forecast, when one did: the adapter,
   * its method, the stream time the forecast starts at (its first step is time `at`) and the
   * adaptation steps taken by then.
   */
  adaptation?: { adapterId: string; method: string; at: number; steps: number };
}

/** Bounds of one interval level, per channel: lower[channel][step] and upper[channel][step]. */
export interface IntervalBands {
  lower: Float64Array[];
  upper: Float64Array[];
}

type Paths = ReadonlyArray<ArrayLike<number>>;

export interface ForecastInit {
  /** Point forecast per channel, each of length `horizon`. */
  point: Float32Array[];
  /** Quantile forecasts by level in (0, 1), each per channel like `point`. */
  quantiles?: Map<number, Float32Array[]>;
  /** Sample paths: samples[s][channel] of length `horizon`. */
  samples?: Float32Array[][];
  /** Central intervals by level name ('90' for 90%), per channel like `point`. */
  intervals?: Map<string, IntervalBands>;
  meta?: ForecastMeta;
}

/** Plain JSON of a forecast: what the API serves and the database stores. */
export interface ForecastJSON {
  horizon: number;
  channels: number;
  point: number[][];
  quantiles?: Record<string, number[][]>;
  intervals?: Record<string, { lower: number[][]; upper: number[][] }>;
  samples?: number[][][];
  meta?: Omit<ForecastMeta, 'clock'>;
}

/** '90' for a 90% interval; the bounds are then named lo-90 and hi-90 (StatsForecast style). */
export function intervalLevelName(coverage: number): string {
  return String(Number((coverage * 100).toFixed(6)));
}

const copies = (paths: Float32Array[]) => paths.map((p) => p.slice());
const plain = (paths: ArrayLike<number>[]) => paths.map((p) => Array.from(p));

/**
 * A forecast as a value object (GluonTS style): point values per step and channel, with
 * its own quantiles, sample paths or intervals when it has them, and what it is of (series,
 * origin, frequency, channel names, model version). Immutable once made: the `with*` verbs
 * return new forecasts sharing the unchanged arrays.
 */
export class Forecast {
  readonly horizon: number;
  readonly channels: number;
  private readonly pointValues: Float32Array[];
  private readonly quantileValues: Map<number, Float32Array[]>;
  private readonly sampleValues: Float32Array[][] | undefined;
  private readonly intervalValues: Map<string, IntervalBands>;
  private readonly metaValues: ForecastMeta;

  constructor(init: ForecastInit) {
    if (init.point.length === 0)
      throw new ValidationFailed('A forecast needs at least one channel', [
        { field: 'point', reason: 'empty' },
      ]);
    this.channels = init.point.length;
    this.horizon = init.point[0].length;
    const check = (paths: Paths, field: string) => {
      if (paths.length !== this.channels || paths.some((p) => p.length !== this.horizon))
        throw new ValidationFailed(`Forecast ${field} do not match ${this.channels} x ${this.horizon}`, [
          { field, reason: `must be ${this.channels} channels of ${this.horizon} steps` },
        ]);
    };
    for (const p of init.point) {
      if (p.length !== this.horizon)
        throw new ValidationFailed('Forecast channels differ in length', [
          { field: 'point', reason: 'ragged' },
        ]);
    }
    for (const [q, paths] of init.quantiles ?? []) check(paths, `quantiles[${q}]`);
    init.samples?.forEach((s, i) => check(s, `samples[${i}]`));
    for (const [level, b] of init.intervals ?? []) {
      check(b.lower, `intervals[${level}].lower`);
      check(b.upper, `intervals[${level}].upper`);
    }
    const names = init.meta?.channelNames;
    if (names && names.length !== this.channels)
      throw new ValidationFailed(`Forecast has ${this.channels} channels but ${names.length} names`, [
        { field: 'meta.channelNames', reason: `must name ${this.channels} channels` },
      ]);
    this.pointValues = init.point;
    this.quantileValues = init.quantiles ?? new Map();
    this.sampleValues = init.samples;
    this.intervalValues = init.intervals ?? new Map();
    this.metaValues = { ...init.meta };
  }

  private init(): ForecastInit {
    return {
      point: this.pointValues,
      quantiles: this.quantileValues,
      samples: this.sampleValues,
      intervals: this.intervalValues,
      meta: this.metaValues,
    };
  }

  /** Point value at a step (0-based, 0 = first step after the context) and channel. */
  at(step: number, channel = 0): number {
    return this.pointValues[channel][step];
  }

  /** The point path of one channel (a copy). */
  channel(channel = 0): Float32Array {
    return this.pointValues[channel].slice();
  }

  /** All point paths, per channel (copies). */
  point(): Float32Array[] {
    return copies(this.pointValues);
  }

  get meta(): Readonly<ForecastMeta> {
    return this.metaValues;
  }

  /** Channel names from the meta, else '0', '1', ... */
  get channelNames(): string[] {
    return this.metaValues.channelNames?.slice() ?? this.pointValues.map((_, c) => String(c));
  }

  /** Quantile levels the forecast stores (not those it could derive from samples). */
  get levels(): number[] {
    return [...this.quantileValues.keys()].sort((a, b) => a - b);
  }

  get hasSamples(): boolean {
    return !!this.sampleValues;
  }

  get sampleCount(): number {
    return this.sampleValues?.length ?? 0;
  }

  /** Sample paths, samples[s][channel][step] (copies), or null for a model without samples. */
  samples(): Float32Array[][] | null {
    return this.sampleValues ? this.sampleValues.map(copies) : null;
  }

  /** Level names of the stored intervals ('80', '90', ...), widest last. */
  get intervalLevels(): string[] {
    return [...this.intervalValues.keys()].sort((a, b) => Number(a) - Number(b));
  }

  /**
   * The central interval of a level ('90' or 0.9): stored bounds directly, otherwise the
   * (1 - c)/2 and (1 + c)/2 quantiles (stored or from the samples).
   */
  interval(level: string | number): IntervalBands {
    const name = typeof level === 'number' ? intervalLevelName(level) : level;
    const stored = this.intervalValues.get(name);
    if (stored)
      return { lower: stored.lower.map((p) => p.slice()), upper: stored.upper.map((p) => p.slice()) };
    const c = Number(name) / 100;
    const q = (x: number) => Number(x.toFixed(9));
    const widen = (paths: Float32Array[]) => paths.map((p) => Float64Array.from(p));
    return { lower: widen(this.quantile(q((1 - c) / 2))), upper: widen(this.quantile(q((1 + c) / 2))) };
  }

  /** Time of each step (UTC ms), or null when the origin or the frequency's calendar is unknown. */
  timestamps(): number[] | null {
    const { origin, clock } = this.metaValues;
    if (origin === undefined || origin === null || !clock) return null;
    return Array.from({ length: this.horizon }, (_, i) => clock(origin, i + 1));
  }

  /** Time of the first step (UTC ms), when known. */
  get start(): number | null {
    return this.timestamps()?.[0] ?? null;
  }

  /**
   * Quantile paths per channel: stored levels directly, otherwise from the samples
   * (empirical quantile), otherwise the point forecast when q = 0.5 only.
   */
  quantile(q: number): Float32Array[] {
    if (!(q > 0 && q < 1))
      throw new ValidationFailed(`Quantile level ${q} is not in (0, 1)`, [
        { field: 'quantile', reason: 'must be in (0, 1)' },
      ]);
    const stored = this.quantileValues.get(q);
    if (stored) return copies(stored);
    if (this.sampleValues) {
      const S = this.sampleValues.length;
      return this.pointValues.map((_, c) => {
        const out = new Float32Array(this.horizon);
        const col = new Float64Array(S);
        for (let t = 0; t < this.horizon; t++) {
          for (let s = 0; s < S; s++) col[s] = this.sampleValues![s][c][t];
          out[t] = quantile(col.sort(), q);
        }
        return out;
      });
    }
    if (q === 0.5) return this.point();
    throw new ValidationFailed(`This forecast has no quantile ${q}: the model is not probabilistic`, [
      { field: 'quantile', reason: 'not available' },
    ]);
  }

  /** The same forecast with more (or replaced) meta fields. */
  withMeta(meta: ForecastMeta): Forecast {
    return new Forecast({ ...this.init(), meta: { ...this.metaValues, ...meta } });
  }

  /** The same forecast with intervals by level name, per channel; `source` names who made them. */
  withIntervals(
    bands: Record<string, { lower: Paths; upper: Paths }>,
    source?: ForecastMeta['intervalSource'],
  ): Forecast {
    const intervals = new Map(this.intervalValues);
    for (const [level, b] of Object.entries(bands))
      intervals.set(level, {
        lower: b.lower.map((p) => Float64Array.from(p)),
        upper: b.upper.map((p) => Float64Array.from(p)),
      });
    const meta = source ? { ...this.metaValues, intervalSource: source } : this.metaValues;
    return new Forecast({ ...this.init(), intervals, meta });
  }

  /** The same forecast with its quantile levels (stored, or from the samples) kept as stored levels. */
  withQuantiles(levels: readonly number[]): Forecast {
    const quantiles = new Map(this.quantileValues);
    for (const q of levels) if (!quantiles.has(q)) quantiles.set(q, this.quantile(q));
    return new Forecast({ ...this.init(), quantiles });
  }

  /** The same forecast without its sample paths (they can be large; quantiles derived first stay). */
  withoutSamples(): Forecast {
    return new Forecast({ ...this.init(), samples: undefined });
  }

  /**
   * Every path (point, quantiles, samples, interval bounds) mapped channel by channel, e.g.
   * back from a model's scale to the data's: f(values, channel) returns the new path.
   */
  mapValues(f: (values: Float32Array | Float64Array, channel: number) => ArrayLike<number>): Forecast {
    const map32 = (paths: Float32Array[]) => paths.map((p, c) => Float32Array.from(f(p, c)));
    const map64 = (paths: Float64Array[]) => paths.map((p, c) => Float64Array.from(f(p, c)));
    return new Forecast({
      point: map32(this.pointValues),
      quantiles: new Map([...this.quantileValues].map(([q, v]) => [q, map32(v)])),
      samples: this.sampleValues?.map(map32),
      intervals: new Map(
        [...this.intervalValues].map(([l, b]) => [l, { lower: map64(b.lower), upper: map64(b.upper) }]),
      ),
      meta: this.metaValues,
    });
  }

  /** Plain JSON: {horizon, channels, point[channel][step]} and whichever of quantiles, intervals, samples, meta it has. */
  toJSON(): ForecastJSON {
    const out: ForecastJSON = {
      horizon: this.horizon,
      channels: this.channels,
      point: plain(this.pointValues),
    };
    if (this.quantileValues.size) {
      out.quantiles = {};
      for (const [q, v] of this.quantileValues) out.quantiles[String(q)] = plain(v);
    }
    if (this.intervalValues.size) {
      out.intervals = {};
      for (const [l, b] of this.intervalValues)
        out.intervals[l] = { lower: plain(b.lower), upper: plain(b.upper) };
    }
    if (this.sampleValues) out.samples = this.sampleValues.map(plain);
    const { clock: _clock, ...meta } = this.metaValues;
    if (Object.keys(meta).length) out.meta = meta;
    return out;
  }

  /** Back from `toJSON` (values exact: float32 paths survive JSON's float64 numbers). */
  static fromJSON(json: ForecastJSON, clock?: StepClock): Forecast {
    const f32 = (paths: number[][]) => paths.map((p) => Float32Array.from(p));
    const f64 = (paths: number[][]) => paths.map((p) => Float64Array.from(p));
    return new Forecast({
      point: f32(json.point),
      quantiles: new Map(Object.entries(json.quantiles ?? {}).map(([q, v]) => [Number(q), f32(v)])),
      samples: json.samples?.map(f32),
      intervals: new Map(
        Object.entries(json.intervals ?? {}).map(([l, b]) => [
          l,
          { lower: f64(b.lower), upper: f64(b.upper) },
        ]),
      ),
      meta: { ...json.meta, ...(clock ? { clock } : {}) },
    });
  }
}
