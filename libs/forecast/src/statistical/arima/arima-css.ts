import type { ArimaOrder } from './arima-order';

/**
 * Conditional sum of squares (R's `ARIMA_CSS`): the series differenced in place, then ARMA
 * residuals from position `ncond` on with earlier residuals taken as zero. Returns the
 * mean squared residual and, when asked, the residuals (zero before `ncond`).
 */
export function conditionalSumOfSquares(
  y: ArrayLike<number>,
  o: ArimaOrder,
  phi: Float64Array,
  theta: Float64Array,
  ncond: number,
  withResiduals = false,
): { sigma2: number; residuals?: Float64Array } {
  const n = y.length;
  const w = Float64Array.from(y);
  for (let i = 0; i < o.d; i++) for (let l = n - 1; l > 0; l--) w[l] -= w[l - 1];
  for (let i = 0; i < o.D; i++) for (let l = n - 1; l >= o.m; l--) w[l] -= w[l - o.m];
  const resid = new Float64Array(n);
  const p = phi.length;
  const q = theta.length;
  let ssq = 0;
  let nu = 0;
  for (let l = ncond; l < n; l++) {
    let t = w[l];
    for (let j = 0; j < p; j++) t -= phi[j] * w[l - j - 1];
    const upto = l - ncond < q ? l - ncond : q;
    for (let j = 0; j < upto; j++) t -= theta[j] * resid[l - j - 1];
    resid[l] = t;
    // t === t: not NaN (inline comparisons: builtin calls in this loop cost more than the loop)
    if (t === t) {
      nu++;
      ssq += t * t;
    }
  }
  return { sigma2: ssq / nu, residuals: withResiduals ? resid : undefined };
}
