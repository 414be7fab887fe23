import type { KernelArena } from './kernel-arena';
import { kernelTier, separateKernelArena } from './wasm-kernels';

/**
 * Batched C = op(A) op(B) on the WebAssembly SIMD gemm of wasm-kernels.ts (4 x 8 register
 * tiles, float32 sums; ~7-10 GMAC/s in V8 against ~1-1.5 for gemm.ts's plain-JS tile): the
 * cpu BatchMatMul / _FusedMatMul kernels' path where WebAssembly SIMD is available.
 *
 * The kernel only reads its own memory, so operands go through an arena in tiles: a
 * tile of A (at most M_TILE rows by K_BLOCK of the inner index, stored as it lies in the
 * operand, transposed or not), B (whole when it has at most RESIDENT_B floats, so that a
 * weight shared over the batch is copied once; else a K_BLOCK x N_TILE tile) and C.
 * Tiles are padded with zeros to the kernel's 4 x 8 grid, so it never runs its plain-JS
 * edges. The arena therefore stays below ~5 MiB whatever the operands' size.
 *
 * Accuracy: the kernel sums in float32. The inner index is cut into blocks of K_BLOCK =
 * 256 whose float32 sums are added in float64, so with u = 2^-24 every entry has
 *   |C - C_exact| <= (256 + 1) u sum_p |A(i, p)| |B(p, j)| + u |C_exact|
 * however long k is (a weight gradient's k = B L runs to tens of thousands, where one
 * float32 sum would allow an error k u times the sum of magnitudes). Products with
 * k <= K_BLOCK (the models' forward passes) are one float32 sum, as in tfjs and PyTorch.
 */
export const K_BLOCK = 256;
/** Rows of A and C per tile (a multiple of 4). */
const M_TILE = 256;
/** Columns of B and C per tile (a multiple of 8). */
const N_TILE = 512;
/** B stays whole in the arena up to this many floats (4 MiB). */
const RESIDENT_B = 1 << 20;

export interface MatMulProblem {
  a: Float32Array;
  b: Float32Array;
  /** batch m x n floats, written (not accumulated) */
  out: Float32Array;
  batch: number;
  /** 1 (one matrix for the whole batch) or batch */
  batchA: number;
  /** 1 (one matrix for the whole batch) or batch */
  batchB: number;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

interface ArenaOwner {
  arena(floats: number): KernelArena;
}
let owner: ArenaOwner | null | undefined;
let acc = new Float64Array(0);
let largestArena = 0;

/** Floats of the largest arena request so far (tests check that it stays bounded). */
export function wasmMatMulArenaFloats(): number {
  return largestArena;
}

const up4 = (x: number) => (x + 3) & ~3;
const up8 = (x: number) => (x + 7) & ~7;

/** dst[dOff + r dStride + c] = src[sOff + r sStride + c] for r < rows, c < cols. */
function copyRows(
  src: Float32Array,
  sOff: number,
  sStride: number,
  dst: Float32Array,
  dOff: number,
  dStride: number,
  rows: number,
  cols: number,
): void {
  if (rows <= 0 || cols <= 0) return;
  if (sStride === cols && dStride === cols) {
    dst.set(src.subarray(sOff, sOff + rows * cols), dOff);
  } else if (cols >= 32) {
    for (let r = 0; r < rows; r++)
      dst.set(src.subarray(sOff + r * sStride, sOff + r * sStride + cols), dOff + r * dStride);
  } else {
    for (let r = 0; r < rows; r++) {
      const s = sOff + r * sStride;
      const d = dOff + r * dStride;
      for (let c = 0; c < cols; c++) dst[d + c] = src[s + c];
    }
  }
}

/** dst[dOff + r dStride + c] = 0 for r < rows, c in [from, to). */
function zeroColumns(
  dst: Float32Array,
  dOff: number,
  dStride: number,
  rows: number,
  from: number,
  to: number,
): void {
  if (from >= to) return;
  for (let r = 0; r < rows; r++) dst.fill(0, dOff + r * dStride + from, dOff + r * dStride + to);
}

/**
 * Rows k0..k0 + kl, columns j0..j0 + nl of op(B) (B's matrix at bOff, [k, n] or stored
 * [n, k] when transposed) into the arena at dst with row stride ld, columns nl..ld zeroed.
 */
function loadB(
  buf: Float32Array,
  dst: number,
  ld: number,
  b: Float32Array,
  bOff: number,
  k: number,
  n: number,
  transposeB: boolean,
  k0: number,
  kl: number,
  j0: number,
  nl: number,
): void {
  if (!transposeB) {
    copyRows(b, bOff + k0 * n + j0, n, buf, dst, ld, kl, nl);
  } else {
    // op(B)(p, j) = stored (j, p): read along p (contiguous), write down the column
    for (let j = 0; j < nl; j++) {
      const s = bOff + (j0 + j) * k + k0;
      let d = dst + j;
      for (let p = 0; p < kl; p++, d += ld) buf[d] = b[s + p];
    }
  }
  zeroColumns(buf, dst, ld, kl, nl, ld);
}

/**
 * Rows i0..i0 + ml (padded with zeros to m4), inner indices k0..k0 + kl of op(A) into the
 * arena at dst as the operand lies: [m4, kl] row-major, or [kl, m4] when A is stored
 * transposed ([k, m]; the kernel reads it with lda 1 and a column stride of m4).
 */
function loadA(
  buf: Float32Array,
  dst: number,
  a: Float32Array,
  aOff: number,
  m: number,
  k: number,
  transposeA: boolean,
  i0: number,
  ml: number,
  m4: number,
  k0: number,
  kl: number,
): void {
  if (!transposeA) {
    copyRows(a, aOff + i0 * k + k0, k, buf, dst, kl, ml, kl);
    buf.fill(0, dst + ml * kl, dst + m4 * kl);
  } else {
    copyRows(a, aOff + k0 * m + i0, m, buf, dst, m4, kl, ml);
    zeroColumns(buf, dst, m4, kl, ml, m4);
  }
}

/** Runs the product on WebAssembly SIMD; false (nothing written) where it is unavailable. */
export function wasmMatMul(problem: MatMulProblem): boolean {
  if (kernelTier() === 'js') return false; // with native kernels in use nativeMatMul has run first
  if (owner === undefined) owner = separateKernelArena();
  if (!owner) return false;
  const { a, b, out, transposeA, transposeB, k, n } = problem;
  let { batch, batchA, m } = problem;
  const batchB = problem.batchB;
  if (batch === 0 || m === 0 || n === 0) return true;
  if (k === 0) {
    out.fill(0, 0, batch * m * n);
    return true;
  }
  if (batchB === 1 && batchA === batch && !transposeA) {
    // a stack of row-major A's times one B is one taller product
    m *= batch;
    batch = batchA = 1;
  }

  const n8 = up8(n);
  const nb = Math.min(n8, N_TILE);
  const kb = Math.min(k, K_BLOCK);
  const mb = Math.min(up4(m), M_TILE);
  const blocked = k > kb;
  const bWhole = k * n8 <= RESIDENT_B;
  const bFloats = bWhole ? k * n8 : kb * nb;
  const A = bFloats;
  const C = A + mb * kb;
  const floats = C + mb * nb;
  const arena = owner.arena(floats);
  largestArena = Math.max(largestArena, floats);
  const buf = arena.buf;
  if (blocked && acc.length < mb * nb) acc = new Float64Array(mb * nb);

  let loadedB = -1; // B's batch index held whole in the arena
  for (let t = 0; t < batch; t++) {
    const aOff = (batchA === 1 ? 0 : t) * m * k;
    const bIndex = batchB === 1 ? 0 : t;
    const bOff = bIndex * k * n;
    const oOff = t * m * n;
    if (bWhole && loadedB !== bIndex) {
      loadB(buf, 0, n8, b, bOff, k, n, transposeB, 0, k, 0, n);
      loadedB = bIndex;
    }
    for (let i0 = 0; i0 < m; i0 += mb) {
      const ml = Math.min(mb, m - i0);
      const m4 = up4(ml);
      let loadedK = -1; // the k block whose A tile the arena holds (for this row block)
      for (let j0 = 0; j0 < n; j0 += nb) {
        const nl = Math.min(nb, n - j0);
        const nl8 = up8(nl);
        for (let k0 = 0; k0 < k; k0 += kb) {
          const kl = Math.min(kb, k - k0);
          let bPtr = k0 * n8 + j0;
          let ldb = n8;
          if (!bWhole) {
            loadB(buf, 0, nl8, b, bOff, k, n, transposeB, k0, kl, j0, nl);
            bPtr = 0;
            ldb = nl8;
          }
          if (loadedK !== k0) {
            loadA(buf, A, a, aOff, m, k, transposeA, i0, ml, m4, k0, kl);
            loadedK = k0;
          }
          buf.fill(0, C, C + m4 * nl8);
          if (transposeA) arena.gemm(m4, nl8, kl, A, 1, bPtr, ldb, C, nl8, m4);
          else arena.gemm(m4, nl8, kl, A, kl, bPtr, ldb, C, nl8);
          if (!blocked) {
            copyRows(buf, C, nl8, out, oOff + i0 * n + j0, n, ml, nl);
          } else if (k0 === 0) {
            for (let q = 0; q < m4 * nl8; q++) acc[q] = buf[C + q];
          } else {
            for (let q = 0; q < m4 * nl8; q++) acc[q] += buf[C + q];
          }
        }
        if (blocked) {
          for (let r = 0; r < ml; r++) {
            const o = oOff + (i0 + r) * n + j0;
            for (let c = 0; c < nl; c++) out[o + c] = acc[r * nl8 + c];
          }
        }
      }
    }
  }
  return true;
}
