import { fitSeriesScale, scaleValues, SeriesScale, unscaleValues } from '@seqcast/forecast';

/**
 * Per-series standardisation, now part of the model's pipeline (@seqcast/forecast's
 * ScaledForecaster and SeriesScaler); these names stay for the code that scales windows
 * itself (backtests, calibration residuals).
 */
export type { SeriesScale };

export function fitScale(values: Float32Array, end: number): SeriesScale {
  return fitSeriesScale(values, end);
}

export function applyScale(values: ArrayLike<number>, s: SeriesScale): Float32Array {
  return scaleValues(values, s);
}

export function invertScale(values: ArrayLike<number>, s: SeriesScale): Float32Array {
  return Float32Array.from(unscaleValues(values, s));
}
