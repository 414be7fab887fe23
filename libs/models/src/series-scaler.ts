/**
 * Per-series standardisation fitted on the training rows only (so test data never
 * leaks into the scale), saved with the model and inverted exactly on forecasts.
 */
export interface SeriesScale {
  mean: number;
  std: number;
}

export function fitScale(values: Float32Array, end: number): SeriesScale {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < end; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      n++;
    }
  }
  const mean = n ? sum / n : 0;
  let ss = 0;
  for (let i = 0; i < end; i++) if (Number.isFinite(values[i])) ss += (values[i] - mean) ** 2;
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : 1;
  // A constant series would divide by zero; scale 1 keeps it as it is.
  return { mean, std: std > 1e-12 ? std : 1 };
}

export function applyScale(values: ArrayLike<number>, s: SeriesScale): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - s.mean) / s.std;
  return out;
}

export function invertScale(values: ArrayLike<number>, s: SeriesScale): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] * s.std + s.mean;
  return out;
}
