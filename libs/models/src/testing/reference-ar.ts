import { qrLeastSquares } from '@seqcast/numeric';

/**
 * Classic AR(p) worked out by hand, as the series-model specs' outside truth: the training
 * rows' mean and population std, least squares with an intercept by QR (not the model's
 * normal equations) on the standardised rows as float32 (what the models read), and
 * recursive forecasts mapped back to the data's scale.
 */
export function referenceAr(values: ArrayLike<number>, order: number, trainEnd: number) {
  let mean = 0;
  for (let i = 0; i < trainEnd; i++) mean += values[i];
  mean /= trainEnd;
  let ss = 0;
  for (let i = 0; i < trainEnd; i++) ss += (values[i] - mean) ** 2;
  const std = Math.sqrt(ss / trainEnd);
  const z = Float32Array.from(values, (v) => (v - mean) / std);
  const rows = trainEnd - order;
  const cols = order + 1;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x[r * cols] = 1;
    for (let i = 0; i < order; i++) x[r * cols + 1 + i] = z[r + i];
    y[r] = z[r + order];
  }
  const w = qrLeastSquares(x, rows, cols, y);
  return {
    mean,
    std,
    /** The forecast of `horizon` steps after row `end` (exclusive), on the data's scale. */
    forecast(end: number, horizon: number): Float64Array {
      const path = Array.from(z.subarray(end - order, end), Number);
      const out = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) {
        let next = w[0];
        for (let i = 0; i < order; i++) next += w[1 + i] * path[path.length - order + i];
        path.push(next);
        out[h] = next * std + mean;
      }
      return out;
    },
  };
}
