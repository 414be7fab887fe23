import { qrLeastSquares } from '@seqcast/numeric';
import { classicalDecomposition } from '../decompose';
import { leastSquaresLine } from '../least-squares-line';
import type { EtsSpec } from './ets-model';

/**
 * Starting states for the optimiser, as the forecast package's `initstate` makes them: a
 * classical decomposition (or, with fewer than three seasons of data, a linear trend plus
 * one Fourier pair) gives the seasonal states; the level (and growth) come from the first
 * max(10, 2m) seasonally adjusted values (their mean, or a fitted line). Returns
 * (l, b?, s_0 .. s_{m-2}): the last seasonal state is implied by normalisation.
 */
export function initialStates(y: ArrayLike<number>, spec: EtsSpec): number[] {
  const n = y.length;
  let m = 1;
  let seasons: number[] = [];
  let adjusted: number[] = Array.from(y);
  if (spec.season !== 'N') {
    m = spec.m;
    let seasonal: Float64Array;
    if (n < 3 * m) {
      // y ~ 1 + t + sin(2 pi t / m) + cos(2 pi t / m), t = 1..n (cos only contributes when m > 2)
      const cols = m > 2 ? 4 : 3;
      const x = new Float64Array(n * cols);
      for (let t = 1; t <= n; t++) {
        const r = (t - 1) * cols;
        x[r] = 1;
        x[r + 1] = t;
        x[r + 2] = m > 2 ? Math.sin((2 * Math.PI * t) / m) : Math.cos(Math.PI * t);
        if (m > 2) x[r + 3] = Math.cos((2 * Math.PI * t) / m);
      }
      const coef = qrLeastSquares(x, n, cols, Float64Array.from(y));
      seasonal = Float64Array.from({ length: n }, (_, i) => {
        const line = coef[0] + coef[1] * (i + 1);
        return spec.season === 'A' ? y[i] - line : y[i] / line;
      });
    } else {
      seasonal = classicalDecomposition(y, m, spec.season === 'A' ? 'additive' : 'multiplicative').seasonal;
    }
    for (let i = m - 1; i >= 1; i--) seasons.push(seasonal[i]);
    if (spec.season === 'A') adjusted = adjusted.map((v, i) => v - seasonal[i]);
    else {
      seasons = seasons.map((s) => Math.max(s, 1e-2));
      const sum = seasons.reduce((a, b) => a + b, 0);
      if (sum > m) {
        const denom = seasons.reduce((a, b) => a + b + 1e-2, 0);
        seasons = seasons.map((s) => s / denom);
      }
      adjusted = adjusted.map((v, i) => v / Math.max(seasonal[i], 1e-2));
    }
  }
  const maxn = Math.min(Math.max(10, 2 * m), n);
  if (spec.trend === 'N') {
    let s = 0;
    for (let i = 0; i < maxn; i++) s += adjusted[i];
    return [s / maxn, ...seasons];
  }
  // least-squares line through (t, adjusted_t), t = 1..maxn
  const line = leastSquaresLine(adjusted.slice(0, maxn), 1);
  let l0 = line.intercept;
  let b0 = line.slope;
  if (Math.abs(l0 + b0) < 1e-8) {
    // a multiplicative error would divide by l0 + b0
    l0 *= 1 + 1e-3;
    b0 *= 1 + 1e-3;
  }
  return [l0, b0, ...seasons];
}

/** The forecast package's usual bounds: alpha, beta, gamma in [1e-4, 0.9999], phi in [0.8, 0.98]. */
export const LOWER = { alpha: 1e-4, beta: 1e-4, gamma: 1e-4, phi: 0.8 };
export const UPPER = { alpha: 0.9999, beta: 0.9999, gamma: 0.9999, phi: 0.98 };

/** Starting smoothing parameters (the forecast package's `initparam`), in the optimiser's order. */
export function initialParams(spec: EtsSpec): number[] {
  const m = spec.season === 'N' ? 1 : spec.m;
  let alpha = LOWER.alpha + (0.2 * (UPPER.alpha - LOWER.alpha)) / m;
  if (alpha > 1 || alpha < 0) alpha = LOWER.alpha + 2e-3;
  const out = [alpha];
  if (spec.trend !== 'N') {
    const upper = Math.min(UPPER.beta, alpha);
    let beta = LOWER.beta + 0.1 * (upper - LOWER.beta);
    if (beta < 0 || beta > alpha) beta = alpha - 1e-3;
    out.push(beta);
  }
  if (spec.season !== 'N') {
    const upper = Math.min(UPPER.gamma, 1 - alpha);
    let gamma = LOWER.gamma + 0.05 * (upper - LOWER.gamma);
    if (gamma < 0 || gamma > 1 - alpha) gamma = 1e-3 * (1 - alpha);
    out.push(gamma);
  }
  if (spec.damped) {
    let phi = LOWER.phi + 0.99 * (UPPER.phi - LOWER.phi);
    if (phi < 0 || phi > 1) phi = UPPER.phi - 1e-3;
    out.push(phi);
  }
  return out;
}
