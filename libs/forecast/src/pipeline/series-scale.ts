/**
 * A series' standardisation, fitted on its training rows only (so later data never leaks
 * into the scale): z = (x - mean) / std, inverted exactly on forecasts. The same arithmetic
 * as @seqcast/data's StandardScaler (population std; a constant series keeps std 1), which
 * wrote the scales of artifacts saved before the pipeline.
 */
export interface SeriesScale {
  mean: number;
  std: number;
}

/** Mean and population std of the finite values among the first `end`. */
export function fitSeriesScale(values: ArrayLike<number>, end = values.length): SeriesScale {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < end; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      n++;
    }
  }
  if (n === 0) return { mean: 0, std: 1 };
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < end; i++) if (Number.isFinite(values[i])) ss += (values[i] - mean) * (values[i] - mean);
  const std = Math.sqrt(ss / n);
  return { mean, std: std > 0 ? std : 1 };
}

/** Values on the model's scale (computed in float64, stored as float32 like the models read them). */
export function scaleValues(values: ArrayLike<number>, s: SeriesScale): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] - s.mean) / s.std;
  return out;
}

/** Values back on the data's scale, in float64 (intervals keep their precision). */
export function unscaleValues(values: ArrayLike<number>, s: SeriesScale): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] * s.std + s.mean;
  return out;
}
