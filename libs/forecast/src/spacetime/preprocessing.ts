import { Rng } from '@seqcast/tensor';

/**
 * SpaceTime's fixed preprocessing kernels (not trained): differencing of orders
 * 0..maxOrder-1 (binomial coefficients with alternating signs: [1], [1,-1], [1,-2,1],
 * [1,-3,3,-1]) and moving-average residuals x_t - mean(x_{t-w+1..t}) with windows drawn
 * (seeded) from [minWindow, maxWindow). As causal convolution kernels of length `length`.
 */
export interface PreprocessingSpec {
  diffOrders: number;
  maWindows: number;
  minWindow: number;
  maxWindow: number;
  seed: number;
}

export function differencingKernel(order: number): Float32Array {
  const k = new Float32Array(order + 1);
  let binom = 1;
  for (let i = 0; i <= order; i++) {
    k[i] = (i % 2 === 0 ? 1 : -1) * binom;
    binom = (binom * (order - i)) / (i + 1);
  }
  return k;
}

export function movingAverageResidualKernel(window: number): Float32Array {
  const k = new Float32Array(window);
  k.fill(-1 / window);
  k[0] += 1;
  return k;
}

/** The kernels as rows of a [count, length] matrix, and the windows drawn. */
export function preprocessingKernels(
  spec: PreprocessingSpec,
  length: number,
): { kernels: Float32Array; count: number; windows: number[] } {
  const rng = new Rng(spec.seed + 7);
  const windows = Array.from(
    { length: spec.maWindows },
    () => spec.minWindow + rng.int(Math.max(1, spec.maxWindow - spec.minWindow)),
  );
  const rows: Float32Array[] = [];
  for (let o = 0; o < spec.diffOrders; o++) rows.push(differencingKernel(o));
  for (const w of windows) rows.push(movingAverageResidualKernel(w));
  const kernels = new Float32Array(rows.length * length);
  rows.forEach((r, i) => kernels.set(r.subarray(0, Math.min(r.length, length)), i * length));
  return { kernels, count: rows.length, windows };
}
