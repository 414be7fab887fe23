/* Row-wise helpers of the fused ops on row-major [N, c] Float32Arrays (bias rows and their gradients). */
import { pass } from './native-passes';

/** v [c] repeated in N rows. */
export function rowsOf(v: Float32Array, N: number): Float32Array {
  const out = new Float32Array(N * v.length);
  if (N === 0) return out;
  out.set(v);
  // doubling copies: log2(N) memmoves instead of N short per-row copies
  for (let filled = v.length; filled < out.length; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, out.length - filled));
  return out;
}

/** m [N, c] plus v [c] in every row, as a new array. */
export function addRows(m: Float32Array, v: Float32Array, c: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let o = 0; o < m.length; o += c) for (let j = 0; j < c; j++) out[o + j] = m[o + j] + v[j];
  return out;
}

/**
 * Sums of the c columns of m [N, c]: on the native kernels a row of ones times m
 * (native-products.ts), else in float64.
 */
export const columnSums = pass('columnSums', (m: Float32Array, c: number): Float32Array => {
  const s = new Float64Array(c);
  for (let o = 0; o < m.length; o += c) for (let j = 0; j < c; j++) s[j] += m[o + j];
  return Float32Array.from(s);
});
