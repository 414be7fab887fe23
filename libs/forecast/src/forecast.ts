import { ValidationFailed } from '@seqcast/core';

export interface ForecastInit {
  /** Point forecast per channel, each of length `horizon`. */
  point: Float32Array[];
  /** Quantile forecasts by level in (0, 1), each per channel like `point`. */
  quantiles?: Map<number, Float32Array[]>;
  /** Sample paths: samples[s][channel] of length `horizon`. */
  samples?: Float32Array[][];
}

/**
 * A forecast as a value object (GluonTS style): point values per step and channel, with
 * its own quantiles or samples when the model is probabilistic. Immutable once made.
 */
export class Forecast {
  readonly horizon: number;
  readonly channels: number;
  private readonly pointValues: Float32Array[];
  private readonly quantileValues: Map<number, Float32Array[]>;
  private readonly sampleValues: Float32Array[][] | undefined;

  constructor(init: ForecastInit) {
    if (init.point.length === 0)
      throw new ValidationFailed('A forecast needs at least one channel', [
        { field: 'point', reason: 'empty' },
      ]);
    this.channels = init.point.length;
    this.horizon = init.point[0].length;
    for (const p of init.point) {
      if (p.length !== this.horizon)
        throw new ValidationFailed('Forecast channels differ in length', [
          { field: 'point', reason: 'ragged' },
        ]);
    }
    this.pointValues = init.point;
    this.quantileValues = init.quantiles ?? new Map();
    this.sampleValues = init.samples;
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
    return this.pointValues.map((p) => p.slice());
  }

  get levels(): number[] {
    return [...this.quantileValues.keys()].sort((a, b) => a - b);
  }

  get hasSamples(): boolean {
    return !!this.sampleValues;
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
    if (stored) return stored.map((p) => p.slice());
    if (this.sampleValues) {
      const S = this.sampleValues.length;
      return this.pointValues.map((_, c) => {
        const out = new Float32Array(this.horizon);
        const col = new Float64Array(S);
        for (let t = 0; t < this.horizon; t++) {
          for (let s = 0; s < S; s++) col[s] = this.sampleValues![s][c][t];
          col.sort();
          const pos = q * (S - 1);
          const lo = Math.floor(pos);
          const hi = Math.min(S - 1, lo + 1);
          out[t] = col[lo] + (pos - lo) * (col[hi] - col[lo]);
        }
        return out;
      });
    }
    if (q === 0.5) return this.point();
    throw new ValidationFailed(`This forecast has no quantile ${q}: the model is not probabilistic`, [
      { field: 'quantile', reason: 'not available' },
    ]);
  }

  /** Plain JSON: {horizon, channels, point[channel][step], quantiles?: {"0.9": [...]}}. */
  toJSON(): { horizon: number; channels: number; point: number[][]; quantiles?: Record<string, number[][]> } {
    const out: {
      horizon: number;
      channels: number;
      point: number[][];
      quantiles?: Record<string, number[][]>;
    } = {
      horizon: this.horizon,
      channels: this.channels,
      point: this.pointValues.map((p) => Array.from(p)),
    };
    if (this.quantileValues.size) {
      out.quantiles = {};
      for (const [q, v] of this.quantileValues) out.quantiles[String(q)] = v.map((p) => Array.from(p));
    }
    return out;
  }
}
