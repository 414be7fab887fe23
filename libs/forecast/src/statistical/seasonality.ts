import { normalQuantile } from './normal-quantile';
import { classicalDecomposition } from './decompose';

/** Sample autocorrelations r_1..r_maxLag (R's acf: deviations from the mean, divided by the lag-0 sum). */
export function autocorrelations(y: ArrayLike<number>, maxLag: number): Float64Array {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += (y[i] - mean) ** 2;
  const r = new Float64Array(maxLag);
  for (let k = 1; k <= maxLag; k++) {
    let s = 0;
    for (let t = 0; t + k < n; t++) s += (y[t] - mean) * (y[t + k] - mean);
    r[k - 1] = s / c0;
  }
  return r;
}

/**
 * The Theta method's seasonality test (Assimakopoulos & Nikolopoulos 2000; the forecast
 * package's thetaf): |r_m| against its standard error under an MA(m-1) null at the 90%
 * two-sided level. Needs m > 1, more than 2m values and a non-constant series.
 */
export function seasonalAtNinety(y: ArrayLike<number>, m: number): boolean {
  const n = y.length;
  if (m <= 1 || n <= 2 * m) return false;
  let constant = true;
  for (let i = 1; i < n; i++) if (y[i] !== y[0]) constant = false;
  if (constant) return false;
  const r = autocorrelations(y, m);
  let s = 0;
  for (let k = 0; k < m - 1; k++) s += r[k] * r[k];
  const stat = Math.sqrt((1 + 2 * s) / n);
  return Math.abs(r[m - 1]) / stat > normalQuantile(0.95);
}

/**
 * Multiplicative seasonal adjustment by classical decomposition, when the test finds a
 * season: the adjusted series and the indices that continue the cycle after its end.
 */
export function multiplicativeAdjustment(
  y: ArrayLike<number>,
  m: number,
): { adjusted: Float64Array; indices: Float64Array; seasonal: Float64Array } | null {
  if (!seasonalAtNinety(y, m)) return null;
  const { seasonal } = classicalDecomposition(y, m, 'multiplicative');
  if (seasonal.some((s) => Math.abs(s) < 1e-4)) return null;
  const n = y.length;
  const adjusted = Float64Array.from(y, (v, i) => v / seasonal[i]);
  // the season of step n + 1 is the one of step n + 1 - m
  const indices = Float64Array.from({ length: m }, (_, k) => seasonal[n - m + k]);
  return { adjusted, indices, seasonal };
}

/**
 * The Theta method's seasonal adjustment: multiplicative (thetaf's) for positive data; for
 * data with zeros or negative values (a standardised series, as the served pipeline gives
 * the models) multiplicative indices are meaningless, so the additive decomposition is used
 * there instead (a departure from thetaf, which only arises on such data). `restore` puts
 * the season of step n + 1 + h back on a value.
 */
export function thetaAdjustment(
  y: ArrayLike<number>,
  m: number,
): { adjusted: Float64Array; restore: (value: number, h: number) => number } | null {
  let positive = true;
  for (let i = 0; i < y.length; i++) if (!(y[i] > 0)) positive = false;
  if (positive) {
    const adj = multiplicativeAdjustment(y, m);
    return adj && { adjusted: adj.adjusted, restore: (v, h) => v * adj.indices[h % m] };
  }
  if (!seasonalAtNinety(y, m)) return null;
  const { seasonal } = classicalDecomposition(y, m, 'additive');
  const n = y.length;
  return {
    adjusted: Float64Array.from(y, (v, i) => v - seasonal[i]),
    restore: (v, h) => v + seasonal[n - m + (h % m)],
  };
}
