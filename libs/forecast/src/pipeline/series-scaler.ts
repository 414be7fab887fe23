import { ValidationFailed } from '@seqcast/core';
import { fitSeriesScale, scaleValues, SeriesScale, unscaleValues } from './series-scale';

/**
 * The JSON of a per-series scaler, as artifacts store it: one scale per series key, or one
 * per channel. Artifacts saved before the pipeline hold this same shape in their manifest's
 * `scaler` field (one scale per key).
 */
export interface SeriesScalerJSON {
  kind: 'per-series-standard';
  series: Record<string, SeriesScale | SeriesScale[]>;
  /**
   * The keys in fit order (the model's series order, which `update` continues by position):
   * a JSON object alone would list integer-like keys ("2" before "10") first. Absent in
   * artifacts written before it; their object order is then all there is.
   */
  order?: string[];
}

/** The scale of a model that reads the data's own values. */
export const IDENTITY_SCALE: Readonly<SeriesScale> = Object.freeze({ mean: 0, std: 1 });

/**
 * Standardisation per series key, fitted on each series' training rows and kept with the
 * model. A series the model never saw is scaled by the history it is forecast from.
 *
 * An identity scaler (for a scale-free model, ForecasterCapabilities.scaleFree) fits and
 * derives mean 0, std 1 for every series instead, and records them like fitted scales;
 * scales it already holds (an artifact saved when the model was still standardised) are
 * used as they are, so such a model forecasts its trained series as before.
 */
export class SeriesScaler {
  private readonly scales = new Map<string, SeriesScale[] | SeriesScale>();

  constructor(readonly identity = false) {}

  /** The same held scales, fitting identity scales or not (this scaler when it already does). */
  withIdentity(identity: boolean): SeriesScaler {
    if (identity === this.identity) return this;
    const out = new SeriesScaler(identity);
    for (const [k, s] of this.scales) out.scales.set(k, s);
    return out;
  }

  /** Fits a series' scale on its first `trainEnd` rows, per channel. */
  fit(key: string, channels: ReadonlyArray<ArrayLike<number>>, trainEnd?: number): SeriesScale[] {
    const s = channels.map((v) => this.fitOne(v, trainEnd ?? v.length));
    this.scales.set(key, s.length === 1 ? s[0] : s);
    return s;
  }

  private fitOne(values: ArrayLike<number>, end?: number): SeriesScale {
    return this.identity ? { ...IDENTITY_SCALE } : fitSeriesScale(values, end);
  }

  has(key: string): boolean {
    return this.scales.has(key);
  }

  get keys(): string[] {
    return [...this.scales.keys()];
  }

  /** The scales of a known series per channel, or undefined. */
  scalesOf(key: string, channels = 1): SeriesScale[] | undefined {
    const s = this.scales.get(key);
    if (!s) return undefined;
    return Array.isArray(s) ? s : Array.from({ length: channels }, () => s);
  }

  /**
   * The scales a series has without looking at its values: its own when held, identity
   * scales when this scaler fits no others, else undefined (they depend on the history).
   */
  knownScales(key: string | undefined, channels = 1): SeriesScale[] | undefined {
    const held = key !== undefined ? this.scalesOf(key, channels) : undefined;
    if (held || !this.identity) return held;
    return Array.from({ length: channels }, () => ({ ...IDENTITY_SCALE }));
  }

  /**
   * The scales to forecast a series from `history` with: the known ones, else fitted on the
   * history (rounded to float32 first, as stored series are).
   */
  scalesFor(key: string | undefined, history: ReadonlyArray<ArrayLike<number>>): SeriesScale[] {
    return this.knownScales(key, history.length) ?? history.map((v) => fitSeriesScale(Float32Array.from(v)));
  }

  /** A known series' values on the model's scale. */
  apply(key: string, channels: ReadonlyArray<ArrayLike<number>>): Float32Array[] {
    const s = this.scalesOf(key, channels.length);
    if (!s)
      throw new ValidationFailed(`No scale for series '${key}'`, [
        { field: 'seriesKey', reason: 'not fitted' },
      ]);
    return channels.map((v, c) => scaleValues(v, s[c]));
  }

  /** A known series' values back on the data's scale. */
  invert(key: string, channels: ReadonlyArray<ArrayLike<number>>): Float64Array[] {
    const s = this.scalesOf(key, channels.length)!;
    return channels.map((v, c) => unscaleValues(v, s[c]));
  }

  toJSON(): SeriesScalerJSON {
    const series = Object.fromEntries(this.scales);
    const json: SeriesScalerJSON = { kind: 'per-series-standard', series };
    // written only where the object's own key order is not the fit order, so every other
    // artifact keeps the shape it always had
    if (Object.keys(series).join('\u0000') !== this.keys.join('\u0000')) json.order = this.keys;
    return json;
  }

  static fromJSON(json: unknown): SeriesScaler {
    const out = new SeriesScaler();
    const { series = {}, order } = (json ?? {}) as Partial<SeriesScalerJSON>;
    const keys = Array.isArray(order) && order.every((k) => k in series) ? order : Object.keys(series);
    for (const key of keys) out.scales.set(key, series[key]);
    return out;
  }
}
