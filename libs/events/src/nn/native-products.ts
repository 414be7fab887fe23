import { NativeKernels } from '@seqcast/tensor';

/**
 * The multiply pass (arena-gemm.ts) on the native gemm: c [m, n] += A b [k, n], A = a
 * [m, k] or a^T (a stored [k, m]), read and written where they lie, at any shape (the
 * copies into an arena and back cost as much as these thin products themselves).
 */
export function nativeMultiply(nk: NativeKernels, m: number, n: number, k: number, a: Float32Array, aT: boolean, b: Float32Array, c: Float32Array): void {
  nk.gemm(m, n, k, a, 0, aT ? 1 : k, aT ? m : 1, b, 0, n, c, 0, n);
}

let ones = new Float32Array(0);

/**
 * The columnSums pass (row-ops.ts) on the native gemm: a row of ones times m [N, c] (the
 * gemm sums blocks of 256 rows in float32 and the blocks in float64; the JS loop took ~5% of
 * a recurrent model's training).
 */
export function nativeColumnSums(nk: NativeKernels, m: Float32Array, c: number): Float32Array {
  const N = m.length / c;
  const out = new Float32Array(c);
  if (N === 0) return out;
  if (ones.length < N) ones = new Float32Array(N).fill(1);
  nk.gemm(1, c, N, ones, 0, N, 1, m, 0, c, out, 0, c);
  return out;
}
