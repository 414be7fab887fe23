import type { ArimaOrder } from './arima-order';

function nonZeroLags(v: Float64Array): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) out.push(i);
  return Int32Array.from(out);
}

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
  scratch?: { w: Float64Array; resid: Float64Array },
): { sigma2: number; residuals?: Float64Array } {
  const n = y.length;
  const w = scratch && !withResiduals ? scratch.w : new Float64Array(n);
  for (let l = 0; l < n; l++) w[l] = y[l];
  for (let i = 0; i < o.d; i++) for (let l = n - 1; l > 0; l--) w[l] -= w[l - 1];
  for (let i = 0; i < o.D; i++) for (let l = n - 1; l >= o.m; l--) w[l] -= w[l - o.m];
  const resid = scratch && !withResiduals ? scratch.resid : new Float64Array(n);
  // seasonal polynomials are mostly zeros: only the non-zero lags enter the loop
  const arLags = nonZeroLags(phi);
  const maLags = nonZeroLags(theta);
  let ssq = 0;
  let nu = 0;
  for (let l = ncond; l < n; l++) {
    let t = w[l];
    for (let k = 0; k < arLags.length; k++) t -= phi[arLags[k]] * w[l - arLags[k] - 1];
    const upto = l - ncond;
    for (let k = 0; k < maLags.length && maLags[k] < upto; k++)
      t -= theta[maLags[k]] * resid[l - maLags[k] - 1];
    resid[l] = t;
    // t === t: not NaN (inline comparisons: builtin calls in this loop cost more than the loop)
    if (t === t) {
      nu++;
      ssq += t * t;
    }
  }
  return { sigma2: ssq / nu, residuals: withResiduals ? resid : undefined };
}
