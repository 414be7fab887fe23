import { erf } from './special-functions';

/**
 * The continuous ranked probability score of a forecast distribution F at the truth y,
 * CRPS(F, y) = E|X - y| - E|X - X'| / 2 (Gneiting and Raftery 2007, eq. 21), in the units of y;
 * lower is better, and for a point forecast (F a single value) it is the absolute error.
 */

/**
 * CRPS of the empirical distribution of `samples` (each with weight 1/m), exactly:
 * E|X - y| is the mean absolute deviation from y, and E|X - X'| over all ordered pairs is
 * (2 / m^2) sum_i (2i - m + 1) x_(i) over the sorted samples (0-based i), O(m log m).
 */
export function crpsFromSamples(samples: ArrayLike<number>, y: number): number {
  const m = samples.length;
  if (m === 0) return NaN;
  const sorted = Float64Array.from(samples).sort();
  let absolute = 0;
  let spread = 0;
  for (let i = 0; i < m; i++) {
    absolute += Math.abs(sorted[i] - y);
    spread += (2 * i - m + 1) * sorted[i];
  }
  return absolute / m - spread / (m * m);
}

/**
 * CRPS approximated from quantiles: twice the mean pinball loss over the levels,
 * CRPS ~ (2 / K) sum_k rho_{tau_k}(y - q_k) (the quantile decomposition of CRPS, Laio and
 * Tamea 2007, on a grid of levels; exact in the limit of a dense uniform grid).
 */
export function crpsFromQuantiles(
  levels: ArrayLike<number>,
  quantiles: ArrayLike<number>,
  y: number,
): number {
  const K = levels.length;
  if (K === 0) return NaN;
  let loss = 0;
  for (let k = 0; k < K; k++) {
    const d = y - quantiles[k];
    loss += d >= 0 ? levels[k] * d : (levels[k] - 1) * d;
  }
  return (2 * loss) / K;
}

/**
 * CRPS of the normal distribution N(mu, sigma^2) at y in closed form (Gneiting and Raftery
 * 2007, eq. 5): sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1 / sqrt(pi)], z = (y - mu) / sigma.
 */
export function gaussianCrps(mu: number, sigma: number, y: number): number {
  const z = (y - mu) / sigma;
  const cdf = 0.5 * (1 + erf(z / Math.SQRT2));
  const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
  return sigma * (z * (2 * cdf - 1) + 2 * pdf - 1 / Math.sqrt(Math.PI));
}
