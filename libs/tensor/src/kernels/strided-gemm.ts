import { kernelArena, kernelTier } from './wasm-kernels';
import { nativeKernels } from './native-kernels';

/**
 * c[cOff + i ldc + j] += sum_p A(i, p) b[bOff + p ldb + j], A(i, p) = a[aOff + i lda + p acs],
 * on the fastest kernel tier, for fused ops that keep their operands in their own arrays
 * (lda = 1 and acs = rows reads A from its transpose in place, so callers need not
 * transpose it; B and C are row-major with unit column stride).
 *
 * The native gemm reads and writes the arrays where they lie. The wasm and JS kernels work
 * in an arena: A, B and C are copied in, rows padded to 4 and columns to 8 with zeros (the
 * kernels' tiles; padded results are dropped), and C copied back. Sums are float32 within
 * blocks of the inner index on every tier (the native tier adds its blocks of 256 in float64).
 */
export function gemmInto(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  acs: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  if (m === 0 || n === 0 || k === 0) return;
  const nk = kernelTier() === 'native' ? nativeKernels() : null;
  if (nk) {
    nk.gemm(m, n, k, a, aOff, lda, acs, b, bOff, ldb, c, cOff, ldc);
    return;
  }
  const m4 = (m + 3) & ~3;
  const n8 = (n + 7) & ~7;
  const A = 0;
  const B = A + m4 * k;
  const C = B + k * n8;
  const arena = kernelArena(C + m4 * n8);
  const buf = arena.buf;
  for (let i = 0; i < m; i++) {
    const src = aOff + i * lda;
    const dst = A + i * k;
    if (acs === 1) buf.set(a.subarray(src, src + k), dst);
    else for (let p = 0; p < k; p++) buf[dst + p] = a[src + p * acs];
  }
  buf.fill(0, A + m * k, B);
  for (let p = 0; p < k; p++) {
    const src = bOff + p * ldb;
    buf.set(b.subarray(src, src + n), B + p * n8);
    if (n8 > n) buf.fill(0, B + p * n8 + n, B + (p + 1) * n8);
  }
  for (let i = 0; i < m; i++) {
    const src = cOff + i * ldc;
    buf.set(c.subarray(src, src + n), C + i * n8);
    if (n8 > n) buf.fill(0, C + i * n8 + n, C + (i + 1) * n8);
  }
  buf.fill(0, C + m * n8, C + m4 * n8);
  arena.gemm(m4, n8, k, A, k, B, n8, C, n8);
  for (let i = 0; i < m; i++) c.set(buf.subarray(C + i * n8, C + i * n8 + n), cOff + i * ldc);
}
