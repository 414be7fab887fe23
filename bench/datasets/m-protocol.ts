import { multiplicativeAdjustment } from '@seqcast/forecast';
import { mae, seasonalNaiveScale, smape } from '@seqcast/numeric';

/** One series split as the M competitions and the Monash archive do: the last H values are the test. */
export interface HeldOutSeries {
  key: string;
  train: Float64Array;
  test: Float64Array;
}

/** Splits every series long enough (more than H + 2 values) into train and the last H as test. */
export function holdOutLast(
  series: Array<{ key: string; values: Float64Array }>,
  horizon: number,
): HeldOutSeries[] {
  return series
    .filter((s) => s.values.length > horizon + 2)
    .map((s) => ({ key: s.key, train: s.values.slice(0, -horizon), test: s.values.slice(-horizon) }));
}

/**
 * Naive2, the M4 benchmark OWA is relative to: the naive forecast of the seasonally
 * adjusted series (classical multiplicative decomposition, when the 90% autocorrelation
 * test finds a season), reseasonalised.
 */
export function naive2(train: Float64Array, horizon: number, m: number): Float64Array {
  const adj = multiplicativeAdjustment(train, m);
  const last = adj ? adj.adjusted[adj.adjusted.length - 1] : train[train.length - 1];
  return Float64Array.from({ length: horizon }, (_, h) => (adj ? last * adj.indices[h % m] : last));
}

/**
 * MASE of one series with the Monash archive's scale: the in-sample seasonal-naive MAE at
 * lag m, or at lag 1 when the training part is not longer than m.
 */
export function seriesMase(
  test: Float64Array,
  forecast: ArrayLike<number>,
  train: Float64Array,
  m: number,
): number {
  const lag = train.length > m ? m : 1;
  return mae(test, forecast) / seasonalNaiveScale(train, lag);
}

export interface DatasetScores {
  /** Mean over series of sMAPE (percent). */
  smape: number;
  /** Mean over series of MASE (series with an undefined scale left out). */
  mase: number;
  /** Overall weighted average vs Naive2: (sMAPE / sMAPE_naive2 + MASE / MASE_naive2) / 2. */
  owa: number;
}

/** Dataset means of sMAPE and MASE over series, and OWA against Naive2's. */
export function scoreDataset(
  held: HeldOutSeries[],
  forecasts: ArrayLike<number>[],
  m: number,
  naive2Scores?: { smape: number; mase: number },
): DatasetScores {
  let s = 0;
  let q = 0;
  let nq = 0;
  held.forEach((h, i) => {
    s += smape(h.test, forecasts[i]);
    const v = seriesMase(h.test, forecasts[i], h.train, m);
    if (Number.isFinite(v)) {
      q += v;
      nq++;
    }
  });
  const sm = s / held.length;
  const ma = q / nq;
  const owa = naive2Scores ? (sm / naive2Scores.smape + ma / naive2Scores.mase) / 2 : 1;
  return { smape: sm, mase: ma, owa };
}
