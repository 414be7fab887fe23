/**
 * Accumulating products of small matrices in plain JS: the fallback of wasm-kernels.ts where
 * WebAssembly SIMD is missing, and its ragged edges.
 *
 * Why not a loop of row-vector-times-matrix (what the fused recurrences used to do): that
 * form does one load pair per multiply-add and ran at ~0.3 GMAC/s in V8. A 4 x 4 register
 * tile (16 scalar sums over the inner index) loads 8 values per 16 multiply-adds and runs
 * ~4x faster on these shapes. Float32Array operands, row-major with explicit leading
 * dimensions and offsets, so the callers can point into a larger buffer without copying.
 */

/** C[i, j] += sum_p A[i, p] B[p, j] for i < m, j < n, p < k; element (i, p) of A at aOff + i * lda + p. */
export function gemmNN(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  lda: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  const m4 = m & ~3;
  const n4 = n & ~3;
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * lda;
    const a1 = a0 + lda;
    const a2 = a1 + lda;
    const a3 = a2 + lda;
    for (let j = 0; j < n4; j += 4) {
      // prettier-ignore
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0,
        s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
      let q = bOff + j;
      // prettier-ignore
      for (let p = 0; p < k; p++, q += ldb) {
        const y0 = b[q], y1 = b[q + 1], y2 = b[q + 2], y3 = b[q + 3];
        const x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
        s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
      }
      // prettier-ignore
      addTile(c, cOff + i * ldc + j, ldc, s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33);
    }
  }
  // the ragged edges (last m % 4 rows, last n % 4 columns) one sum at a time
  edgesNN(m, n, k, m4, n4, a, aOff, lda, 1, b, bOff, ldb, c, cOff, ldc);
}

/** Adds a 4 x 4 tile of sums into C at offset o (row stride ldc). */
// prettier-ignore
function addTile(c: Float32Array, o: number, ldc: number, s00: number, s01: number, s02: number, s03: number, s10: number, s11: number, s12: number, s13: number, s20: number, s21: number, s22: number, s23: number, s30: number, s31: number, s32: number, s33: number): void {
  c[o] += s00; c[o + 1] += s01; c[o + 2] += s02; c[o + 3] += s03;
  o += ldc;
  c[o] += s10; c[o + 1] += s11; c[o + 2] += s12; c[o + 3] += s13;
  o += ldc;
  c[o] += s20; c[o + 1] += s21; c[o + 2] += s22; c[o + 3] += s23;
  o += ldc;
  c[o] += s30; c[o + 1] += s31; c[o + 2] += s32; c[o + 3] += s33;
}

/** C[i, j] += sum_p A[i, p] B[p, j] with A's element (i, p) at aOff + i aRow + p aCol, one sum at a time (the ragged edges of the tiled kernels). */
export function gemmStrided(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  aOff: number,
  aRow: number,
  aCol: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  edgesNN(m, n, k, 0, 0, a, aOff, aRow, aCol, b, bOff, ldb, c, cOff, ldc);
}

/**
 * The entries the 4 x 4 tiles leave out: columns n4..n of rows 0..m4 and all columns of
 * rows m4..m. A's element (i, p) at aOff + i * aRow + p * aCol.
 */
function edgesNN(
  m: number,
  n: number,
  k: number,
  m4: number,
  n4: number,
  a: Float32Array,
  aOff: number,
  aRow: number,
  aCol: number,
  b: Float32Array,
  bOff: number,
  ldb: number,
  c: Float32Array,
  cOff: number,
  ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[aOff + i * aRow + p * aCol] * b[bOff + p * ldb + j];
      c[cOff + i * ldc + j] += s;
    }
  }
}

/** dst[dOff + j rows + i] = src[sOff + i cols + j]: M [rows, cols] transposed (backward passes multiply by M^T). */
export function transposeInto(
  src: Float32Array,
  sOff: number,
  rows: number,
  cols: number,
  dst: Float32Array,
  dOff: number,
): void {
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) dst[dOff + j * rows + i] = src[sOff + i * cols + j];
}
