/**
 * Single-threaded float32 GEMM in plain JavaScript: C = op(A) op(B) for one matrix pair.
 *
 * A 4x4 register tile (16 scalar accumulators over a dot product in k) on operands packed
 * as float64 rows: A as 4-row panels, B transposed to N x K. V8 keeps the 16 sums in
 * registers, so each k step costs 8 loads for 16 multiply-adds; that is what beats both
 * tfjs cpu (one load pair per multiply-add, blocked for a cache it does not need) and
 * the wasm backend for the tall-skinny shapes of sequence models ([B*L, C] x [C, C]).
 * Long k (weight gradients, k = B*L) is cut into blocks that stay in cache.
 * Since wasm-matmul.ts (WebAssembly SIMD, several times faster) this is the cpu matmul
 * kernels' fallback, for engines without WebAssembly SIMD.
 */
const K_BLOCK = 256;

export interface GemmArgs {
  a: Float32Array;
  aOffset: number;
  b: Float32Array;
  bOffset: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  out: Float32Array;
  outOffset: number;
}

/** B packed as N4 x K float64 rows (B transposed, N rounded up to 4 with zero rows). */
export function packB(
  b: Float32Array,
  bOffset: number,
  k: number,
  n: number,
  transposeB: boolean,
): Float64Array {
  const n4 = (n + 3) & ~3;
  const bt = new Float64Array(n4 * k);
  if (transposeB) {
    // stored [n, k]: already the layout we want
    for (let j = 0; j < n; j++) {
      const src = bOffset + j * k;
      const dst = j * k;
      for (let p = 0; p < k; p++) bt[dst + p] = b[src + p];
    }
  } else {
    for (let p = 0; p < k; p++) {
      const src = bOffset + p * n;
      for (let j = 0; j < n; j++) bt[j * k + p] = b[src + j];
    }
  }
  return bt;
}

export function gemm(args: GemmArgs, packedB?: Float64Array): void {
  const { a, aOffset, m, k, n, transposeA, out, outOffset } = args;
  const bt = packedB ?? packB(args.b, args.bOffset, k, n, args.transposeB);
  const n4 = (n + 3) & ~3;
  const kb = k <= 2 * K_BLOCK ? Math.max(k, 1) : K_BLOCK;
  const blocked = kb < k;
  // With k blocked, partial sums live in a float64 accumulator until the last block.
  const acc = blocked ? new Float64Array(m * n) : null;
  const panel = new Float64Array(4 * kb);
  // A's element (row i, col p) sits at aOffset + (transposeA ? p * m + i : i * k + p).
  const rowStride = transposeA ? 1 : k;
  const colStride = transposeA ? m : 1;

  for (let k0 = 0; k0 < k; k0 += kb) {
    const kl = Math.min(kb, k - k0);
    for (let i = 0; i < m; i += 4) {
      const rows = Math.min(4, m - i);
      for (let r = 0; r < 4; r++) {
        const base = r * kb;
        if (r < rows) {
          const src = aOffset + (i + r) * rowStride + k0 * colStride;
          for (let p = 0; p < kl; p++) panel[base + p] = a[src + p * colStride];
        } else {
          for (let p = 0; p < kl; p++) panel[base + p] = 0;
        }
      }
      const p1 = kb,
        p2 = 2 * kb,
        p3 = 3 * kb;
      for (let j = 0; j < n4; j += 4) {
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0;
        let s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0;
        let s20 = 0,
          s21 = 0,
          s22 = 0,
          s23 = 0;
        let s30 = 0,
          s31 = 0,
          s32 = 0,
          s33 = 0;
        const b0 = j * k + k0,
          b1 = b0 + k,
          b2 = b1 + k,
          b3 = b2 + k;
        for (let p = 0; p < kl; p++) {
          const x0 = panel[p],
            x1 = panel[p1 + p],
            x2 = panel[p2 + p],
            x3 = panel[p3 + p];
          const y0 = bt[b0 + p],
            y1 = bt[b1 + p],
            y2 = bt[b2 + p],
            y3 = bt[b3 + p];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
          s20 += x2 * y0;
          s21 += x2 * y1;
          s22 += x2 * y2;
          s23 += x2 * y3;
          s30 += x3 * y0;
          s31 += x3 * y1;
          s32 += x3 * y2;
          s33 += x3 * y3;
        }
        const cols = Math.min(4, n - j);
        if (!blocked && rows === 4 && cols === 4) {
          let o = outOffset + i * n + j;
          out[o] = s00;
          out[o + 1] = s01;
          out[o + 2] = s02;
          out[o + 3] = s03;
          o += n;
          out[o] = s10;
          out[o + 1] = s11;
          out[o + 2] = s12;
          out[o + 3] = s13;
          o += n;
          out[o] = s20;
          out[o + 1] = s21;
          out[o + 2] = s22;
          out[o + 3] = s23;
          o += n;
          out[o] = s30;
          out[o + 1] = s31;
          out[o + 2] = s32;
          out[o + 3] = s33;
          continue;
        }
        const tile = [s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, s31, s32, s33];
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const idx = (i + r) * n + j + c;
            if (acc) acc[idx] += tile[r * 4 + c];
            else out[outOffset + idx] = tile[r * 4 + c];
          }
        }
      }
    }
  }
  if (acc) for (let idx = 0; idx < m * n; idx++) out[outOffset + idx] = acc[idx];
}
