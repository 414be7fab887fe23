import { StandardScaler } from '@seqcast/data';

/**
 * Per-series standardisation for models: @seqcast/data's StandardScaler fitted on the
 * training rows only (so test data never leaks into the scale), saved with the model as
 * {mean, std} and inverted exactly on forecasts.
 */
export interface SeriesScale {
  mean: number;
  std: number;
}

const scaler = (s: SeriesScale) => StandardScaler.fromState(1, [s.mean], [s.std]);
const floats = (v: ArrayLike<number>) =>
  v instanceof Float32Array || v instanceof Float64Array ? v : Float64Array.from(v);

export function fitScale(values: Float32Array, end: number): SeriesScale {
  const json = new StandardScaler(1).fit(values.subarray(0, end)).toJSON();
  return { mean: json.shift![0], std: json.scale![0] };
}

export function applyScale(values: ArrayLike<number>, s: SeriesScale): Float32Array {
  const sc = scaler(s);
  return Float32Array.from(sc.transform(floats(values), sc.stateFor()));
}

export function invertScale(values: ArrayLike<number>, s: SeriesScale): Float32Array {
  const sc = scaler(s);
  return Float32Array.from(sc.denormalize(floats(values), sc.stateFor()));
}
