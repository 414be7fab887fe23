import type { Forecast } from '@seqcast/forecast';
import { crpsFromQuantiles, crpsFromSamples } from '@seqcast/numeric';

/** What a forecast's CRPS was computed from: its sample paths, its stored quantiles, or its point (then CRPS = |error|). */
export type CrpsSource = 'samples' | 'quantiles' | 'point';

export function crpsSource(f: Forecast): CrpsSource {
  if (f.hasSamples) return 'samples';
  return f.levels.length ? 'quantiles' : 'point';
}

/**
 * CRPS of one channel of a forecast at each step against `truth` (NaN where the truth is
 * missing): exact over the sample paths when it has them, the quantile approximation when
 * it stores quantiles, else the absolute error of the point (a degenerate distribution).
 */
export function forecastCrps(f: Forecast, channel: number, truth: ArrayLike<number>): Float64Array {
  const H = truth.length;
  const out = new Float64Array(H);
  const source = crpsSource(f);
  const samples = source === 'samples' ? f.samples()! : null;
  const levels = f.levels;
  const quantiles = source === 'quantiles' ? levels.map((q) => f.quantile(q)[channel]) : null;
  const point = f.channel(channel);
  const draw = new Float64Array(samples?.length ?? 0);
  const qs = new Float64Array(levels.length);
  for (let h = 0; h < H; h++) {
    const y = truth[h];
    if (Number.isNaN(y)) {
      out[h] = NaN;
      continue;
    }
    if (samples) {
      samples.forEach((s, i) => (draw[i] = s[channel][h]));
      out[h] = crpsFromSamples(draw, y);
    } else if (quantiles) {
      quantiles.forEach((q, k) => (qs[k] = q[h]));
      out[h] = crpsFromQuantiles(levels, qs, y);
    } else out[h] = Math.abs(y - point[h]);
  }
  return out;
}
