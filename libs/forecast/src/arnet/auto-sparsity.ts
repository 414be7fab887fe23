import { cholesky, choleskySolve } from '@seqcast/numeric';
import type { WindowSet } from '../data/windows';
import { windowMoments } from '../linalg/window-moments';

/** |t| above which a least-squares lag coefficient counts as non-zero. */
export const NONZERO_T = 3;
/** Above this many lags the auto rule does not run (its O(p^3) solve would dominate the fit). */
export const AUTO_SPARSITY_MAX_LAGS = 1000;

export interface SparsityEstimate {
  /** s: expected fraction of non-zero lags; 1 = regulariser off */
  sparsity: number;
  /** lags whose least-squares coefficient has |t| > NONZERO_T */
  nonZero: number;
}

/**
 * AR-Net's automatic sparsity (the `sparsity: 0` default): the paper sets s = (true order) /
 * p by hand; here the true order is estimated by the least-squares AR(p) fit of the first
 * forecast step (Classic-AR with an intercept) as the number k of lags whose t statistic
 * exceeds 3 in absolute value. When at least half of the p lags look zero (k <= p / 2) the
 * regulariser is on with s = max(k, 1) / p; otherwise it is off (s = 1): with few zero lags
 * there is nothing to gain and the regulariser could only shrink true coefficients.
 * Returns null where the rule does not apply (too few windows, singular, p too large).
 */
export function estimateSparsity(windows: WindowSet): SparsityEstimate | null {
  const p = windows.lookback;
  const m = windowMoments(windows, 1);
  const n = m.n;
  if (p > AUTO_SPARSITY_MAX_LAGS || n < 2 * p + 10) return null;
  // centred Gram matrix and cross moments (the intercept is not penalised nor tested)
  const c = new Float64Array(p * p);
  const cy = new Float64Array(p);
  const my = m.sy[0] / n;
  for (let i = 0; i < p; i++) {
    const mi = m.sx[i] / n;
    for (let j = 0; j < p; j++) c[i * p + j] = m.sxx[i * p + j] - n * mi * (m.sx[j] / n);
    cy[i] = m.sxy[i] - n * mi * my;
  }
  let syy = 0;
  for (let r = 0; r < n; r++) syy += (windows.target(r)[0] - my) ** 2;
  if (!cholesky(c, p)) return null;
  const beta = cy.slice();
  choleskySolve(c, p, beta, 1);
  let explained = 0;
  for (let i = 0; i < p; i++) explained += beta[i] * cy[i];
  const sigma2 = Math.max(0, syy - explained) / (n - p - 1);
  // diag of the inverse Gram matrix, one column at a time
  const e = new Float64Array(p);
  let nonZero = 0;
  for (let i = 0; i < p; i++) {
    e.fill(0);
    e[i] = 1;
    choleskySolve(c, p, e, 1);
    const se = Math.sqrt(sigma2 * e[i]);
    if (Math.abs(beta[i]) > NONZERO_T * se) nonZero++;
  }
  return { sparsity: nonZero <= p / 2 ? Math.max(1, nonZero) / p : 1, nonZero };
}
