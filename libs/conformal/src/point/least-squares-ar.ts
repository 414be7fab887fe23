import { ValidationFailed } from '@seqcast/core';
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
  const beta = choleskySolve(xtx, xty, d);
  return { intercept: beta[0], coef: beta.subarray(1) };
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

/** Solves A x = b for symmetric positive definite A (lower triangle used), in place on copies. */
function choleskySolve(aIn: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = aIn[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) {
        if (s <= 0)
          throw new ValidationFailed('AR normal equations are singular', [
            { field: 'targets', reason: 'constant or collinear lags' },
          ]);
        l[i * d + i] = Math.sqrt(s);
      } else l[i * d + j] = s / l[j * d + j];
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * z[k];
    z[i] = s / l[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}
