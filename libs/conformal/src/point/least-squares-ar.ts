import { ValidationFailed } from '@seqcast/core';
import { cholesky, choleskySolve } from '@seqcast/numeric';
import type { FitPredictFn } from '../residuals/bootstrap-loo';

/** AR(p) with intercept: y_t = c + sum_k coef[k] y_{t-1-k}. */
export interface ArModel {
  coef: Float64Array;
  intercept: number;
}

/**
 * Least-squares AR(p) on the targets series[t] for t in `targets` (repeats allowed: bootstrap
 * rows), from the normal equations in Float64 (Cholesky, a tiny ridge for safety). A fast,
 * closed-form point model for the bootstrap ensembles of the tests and the benchmark.
 */
export function fitLeastSquaresAr(
  series: ArrayLike<number>,
  order: number,
  targets: ArrayLike<number>,
  ridge = 1e-9,
): ArModel {
  const d = order + 1;
  const xtx = new Float64Array(d * d);
  const xty = new Float64Array(d);
  const x = new Float64Array(d);
  for (let k = 0; k < targets.length; k++) {
    const t = targets[k];
    if (t < order)
      throw new ValidationFailed(`AR(${order}) target ${t} has no full lag window`, [
        { field: 'targets', reason: `index ${t} < order` },
      ]);
    x[0] = 1;
    for (let j = 0; j < order; j++) x[j + 1] = series[t - 1 - j];
    const y = series[t];
    for (let a = 0; a < d; a++) {
      xty[a] += x[a] * y;
      for (let b = 0; b <= a; b++) xtx[a * d + b] += x[a] * x[b];
    }
  }
  let trace = 0;
  for (let a = 0; a < d; a++) trace += xtx[a * d + a];
  for (let a = 0; a < d; a++) xtx[a * d + a] += ridge * (trace / d + 1);
  if (!cholesky(xtx, d))
    throw new ValidationFailed('AR normal equations are singular', [
      { field: 'targets', reason: 'constant or collinear lags' },
    ]);
  // in place: xtx now holds its factor, and xty becomes the coefficients
  choleskySolve(xtx, d, xty, 1);
  return { intercept: xty[0], coef: xty.subarray(1) };
}

/** One-step prediction of series[t] from series[t - order .. t). */
export function predictAr(model: ArModel, series: ArrayLike<number>, t: number): number {
  let v = model.intercept;
  for (let j = 0; j < model.coef.length; j++) v += model.coef[j] * series[t - 1 - j];
  return v;
}

/**
 * A FitPredictFn for bootstrapLooResiduals: row r means target index rowIndex(r) of `series`.
 */
export function arFitPredict(
  series: ArrayLike<number>,
  order: number,
  rowIndex: (row: number) => number,
): FitPredictFn {
  return (train, predict) => {
    const model = fitLeastSquaresAr(series, order, Array.from(train, rowIndex));
    return Float64Array.from(predict, (r) => predictAr(model, series, rowIndex(r)));
  };
}
