import { ValidationFailed } from '@seqcast/core';

/**
 * Interval metrics as pure functions over aligned arrays: truth y[t] and bounds
 * lower[t], upper[t]. Non-finite bounds count as they are (an infinite bound covers).
 */

function checkAligned(y: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): void {
  if (y.length !== lower.length || y.length !== upper.length) {
    throw new ValidationFailed('Truth and bounds must have one length', [
      { field: 'lower', reason: `lengths ${y.length}, ${lower.length}, ${upper.length}` },
    ]);
  }
  if (y.length === 0) throw new ValidationFailed('No points to evaluate', [{ field: 'y', reason: 'empty' }]);
}

/** 1 where lower[t] <= y[t] <= upper[t], else 0. */
export function coveredIndicators(
  y: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): Uint8Array {
  checkAligned(y, lower, upper);
  const out = new Uint8Array(y.length);
  for (let t = 0; t < y.length; t++) out[t] = lower[t] <= y[t] && y[t] <= upper[t] ? 1 : 0;
  return out;
}

/** Empirical coverage: the fraction of truths inside their interval. */
export function coverage(y: ArrayLike<number>, lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  const c = coveredIndicators(y, lower, upper);
  let s = 0;
  for (let t = 0; t < c.length; t++) s += c[t];
  return s / c.length;
}

/** Mean of upper - lower. */
export function meanWidth(lower: ArrayLike<number>, upper: ArrayLike<number>): number {
  if (lower.length !== upper.length || lower.length === 0)
    throw new ValidationFailed('Bounds must be non-empty and of one length', [
      { field: 'upper', reason: 'length' },
    ]);
  let s = 0;
  for (let t = 0; t < lower.length; t++) s += upper[t] - lower[t];
  return s / lower.length;
}

/**
 * Interval (Winkler) score of a central (1 - alpha) interval, averaged over t
 * (Gneiting and Raftery 2007, eq. 43): (u - l) + (2 / alpha)(l - y)[y < l] + (2 / alpha)(y - u)[y > u].
 * Lower is better; it rewards narrow intervals and charges misses by their distance.
 */
export function intervalScore(
  y: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  alpha: number,
): number {
  checkAligned(y, lower, upper);
  if (!(alpha > 0 && alpha < 1))
    throw new ValidationFailed('alpha must lie in (0, 1)', [
      { field: 'alpha', reason: 'must lie in (0, 1)' },
    ]);
  let s = 0;
  for (let t = 0; t < y.length; t++) {
    let v = upper[t] - lower[t];
    if (y[t] < lower[t]) v += (2 / alpha) * (lower[t] - y[t]);
    else if (y[t] > upper[t]) v += (2 / alpha) * (y[t] - upper[t]);
    s += v;
  }
  return s / y.length;
}

/** The Winkler score is the interval score under its other name. */
export const winklerScore = intervalScore;

/**
 * Rolling coverage over the trailing `window` points: out[t] = coverage of t - window + 1 .. t
 * (NaN for t < window - 1, where the window is not yet full).
 */
export function rollingCoverage(
  y: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  window: number,
): Float64Array {
  if (!Number.isInteger(window) || window < 1)
    throw new ValidationFailed('window must be a positive integer', [
      { field: 'window', reason: 'must be >= 1' },
    ]);
  const c = coveredIndicators(y, lower, upper);
  const out = new Float64Array(c.length).fill(NaN);
  let s = 0;
  for (let t = 0; t < c.length; t++) {
    s += c[t];
    if (t >= window) s -= c[t - window];
    if (t >= window - 1) out[t] = s / window;
  }
  return out;
}

export interface IntervalSummary {
  alpha: number;
  n: number;
  coverage: number;
  meanWidth: number;
  intervalScore: number;
}

/** The figures a report shows for one level. */
export function summariseIntervals(
  y: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  alpha: number,
): IntervalSummary {
  return {
    alpha,
    n: y.length,
    coverage: coverage(y, lower, upper),
    meanWidth: meanWidth(lower, upper),
    intervalScore: intervalScore(y, lower, upper, alpha),
  };
}
