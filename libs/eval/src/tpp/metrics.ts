import { quantile } from '@seqcast/numeric';
import type { EachNextPredictions } from '@seqcast/events';

export interface PredictionMetrics {
  /** RMSE of the predicted mean gap. */
  rmse: number;
  /** RMSE of one sampled gap (EasyTPP's figure). */
  rmseDraw: number;
  /** Share of next types predicted wrong. */
  errorRate: number;
  events: number;
}

export function predictionMetrics(p: EachNextPredictions): PredictionMetrics {
  const n = p.trueGap.length;
  let se = 0;
  let sd = 0;
  let wrong = 0;
  for (let i = 0; i < n; i++) {
    se += (p.gapMean[i] - p.trueGap[i]) ** 2;
    sd += (p.gapDraw[i] - p.trueGap[i]) ** 2;
    if (p.typePred[i] !== p.trueType[i]) wrong++;
  }
  return { rmse: Math.sqrt(se / n), rmseDraw: Math.sqrt(sd / n), errorRate: wrong / n, events: n };
}

export function meanStd(xs: number[]): { mean: number; std: number } {
  const v = xs.filter((x) => Number.isFinite(x));
  if (!v.length) return { mean: NaN, std: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std };
}

/** The median of xs (0 for none): interpolated between the middle two, as quantile(0.5). */
export function median(xs: number[]): number {
  return xs.length ? quantile(Float64Array.from(xs).sort(), 0.5) : 0;
}
