import { Rng } from '@seqcast/tensor';

export interface ArProcessSpec {
  /** coefficients in lag order: coefficients[i] multiplies y_{t-1-i} */
  coefficients: ArrayLike<number>;
  length: number;
  noiseStd?: number;
  intercept?: number;
  /** steps simulated and dropped first so the start is stationary (default 10 * order + 100) */
  burnIn?: number;
  seed?: number;
}

/**
 * Simulates y_t = c + sum_i w_i y_{t-1-i} + e_t, e_t ~ N(0, noiseStd^2), seeded: the
 * outside truth the AR models' tests are checked against.
 */
export function simulateAr(spec: ArProcessSpec): Float32Array {
  const p = spec.coefficients.length;
  const sigma = spec.noiseStd ?? 1;
  const c = spec.intercept ?? 0;
  const burn = spec.burnIn ?? 10 * p + 100;
  const rng = new Rng(spec.seed ?? 1);
  const total = burn + spec.length;
  const y = new Float64Array(total);
  for (let t = 0; t < total; t++) {
    let s = c + sigma * rng.normal();
    for (let i = 0; i < p && t - 1 - i >= 0; i++) s += spec.coefficients[i] * y[t - 1 - i];
    y[t] = s;
  }
  return Float32Array.from(y.subarray(burn));
}

/**
 * True when the AR polynomial's roots lie outside the unit circle, checked by the
 * companion matrix's powers shrinking (cheap and good enough for test set-up).
 */
export function isStationary(coefficients: ArrayLike<number>, steps = 2000): boolean {
  const p = coefficients.length;
  // impulse response of the AR filter must decay
  const h = new Float64Array(steps);
  h[0] = 1;
  for (let t = 1; t < steps; t++) {
    let s = 0;
    for (let i = 0; i < p && t - 1 - i >= 0; i++) s += coefficients[i] * h[t - 1 - i];
    h[t] = s;
  }
  let tail = 0;
  for (let t = steps - p - 10; t < steps; t++) tail = Math.max(tail, Math.abs(h[t]));
  return tail < 1e-6;
}
