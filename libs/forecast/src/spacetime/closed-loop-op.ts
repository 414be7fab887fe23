import { borrowFloats, gemmInto, outputFloats, scratchPool, transposeInto } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/*
 * The closed-loop decoder as matrix products per kernel. Channel c of sample n uses kernel
 * k = floor(c / heads); the G = N heads rows (g = n heads + c - k heads) that share kernel
 * k, as Z_k [G, L] (for each sample they are `heads` adjacent rows of z, so gathering them
 * is block copies), give
 *   X_k [G, d] = Z_k kryRev_k            (the last lag states x_L, kryRev row j = A^(L-1-j) b)
 *   Y_k [G, H] = X_k rows_k^T            (rows_k row i = c^T (A + b k^T)^i)
 * and the backward pass is four more products per kernel; only the parameters (rows,
 * kryRev) are ever transposed. Never forms more than one d-vector per (sample, channel), and
 * runs on the gemm of the fastest kernel tier.
 */

const f32 = borrowFloats;
/** A pooled array of zeros (the products add into their outputs). */
const zeros = (n: number) => scratchPool.floats(n).fill(0);

interface Layout {
  N: number;
  D: number;
  K: number;
  heads: number;
  G: number;
}

/** [N, D, T] -> [K, G, T]: the rows of each kernel together (blocks of heads T floats), in a pooled array. */
function gatherRows(z: Float32Array, s: Layout, T: number): Float32Array {
  const { N, D, K, heads, G } = s;
  const out = scratchPool.floats(K * G * T); // every element written below
  const block = heads * T;
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) {
      const src = (n * D + k * heads) * T;
      out.set(z.subarray(src, src + block), (k * G + n * heads) * T);
    }
  return out;
}

/** The inverse of gatherRows: [K, G, T] -> [N, D, T], into a new tensor's array (every element written). */
function scatterRows(x: Float32Array, s: Layout, T: number): Float32Array {
  const { N, D, K, heads, G } = s;
  const out = outputFloats(N * D * T);
  const block = heads * T;
  for (let n = 0; n < N; n++)
    for (let k = 0; k < K; k++) {
      const src = (k * G + n * heads) * T;
      out.set(x.subarray(src, src + block), (n * D + k * heads) * T);
    }
  return out;
}

/** [K, r, c] -> [K, c, r], in a pooled array. */
function transposeEach(x: Float32Array, K: number, r: number, c: number): Float32Array {
  const out = scratchPool.floats(K * r * c);
  for (let k = 0; k < K; k++) transposeInto(x, k * r * c, r, c, out, k * r * c);
  return out;
}

/** X_k = Z_k kryRev_k for every kernel: [K, G, d], in a pooled array. */
function lastStates(zg: Float32Array, kry: Float32Array, s: Layout, L: number, d: number): Float32Array {
  const { K, G } = s;
  const x = zeros(K * G * d);
  for (let k = 0; k < K; k++) gemmInto(G, d, L, zg, k * G * L, L, 1, kry, k * L * d, d, x, k * G * d, d);
  return x;
}

/**
 * y[n, c, i] = rows[k, i, :] . x_L(n, c), x_L(n, c) = sum_j z[n, c, j] kryRev[k, j, :], k =
 * floor(c / heads): the closed-loop decoder's H outputs per channel. z [N, D, L], kryRev
 * [K, L, d], rows [K, H, d]; output [N, D, H].
 */
export function closedLoopForecast(
  z: tf.Tensor3D,
  kryRev: tf.Tensor3D,
  rows: tf.Tensor3D,
  heads: number,
): tf.Tensor3D {
  const [N, D, L] = z.shape;
  const d = kryRev.shape[2];
  const H = rows.shape[1];
  const K = kryRev.shape[0];
  const s: Layout = { N, D, K, heads, G: N * heads };
  const G = s.G;
  const op = tf.customGrad((...args: unknown[]) => {
    const [zt, kt, rt] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[3] as tf.GradSaveFunc;
    save([zt, kt, rt]);
    const zg = gatherRows(f32(zt), s, L);
    const x = lastStates(zg, f32(kt), s, L, d);
    const rowsT = transposeEach(f32(rt), K, H, d); // [K, d, H]
    const y = zeros(K * G * H);
    for (let k = 0; k < K; k++) gemmInto(G, H, d, x, k * G * d, d, 1, rowsT, k * d * H, H, y, k * G * H, H);
    const value = tf.tensor3d(scatterRows(y, s, H), [N, D, H]);
    scratchPool.release(zg, x, rowsT, y);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const gy = gatherRows(f32(Array.isArray(dy) ? dy[0] : dy), s, H); // [K, G, H]
      const zg = gatherRows(f32(saved[0]), s, L);
      const ks = f32(saved[1]);
      const rs = f32(saved[2]);
      const xs = lastStates(zg, ks, s, L, d);
      const kryT = transposeEach(ks, K, L, d); // [K, d, L]
      const dx = zeros(K * G * d);
      const dRows = new Float32Array(K * H * d);
      const dKry = new Float32Array(K * L * d);
      const dzg = zeros(K * G * L);
      for (let k = 0; k < K; k++) {
        const gk = k * G * H;
        const xk = k * G * d;
        // dX = gy rows; dRows = gy^T X; dKryRev = Z^T dX; dZ = dX kryRev^T
        gemmInto(G, d, H, gy, gk, H, 1, rs, k * H * d, d, dx, xk, d);
        gemmInto(H, d, G, gy, gk, 1, H, xs, xk, d, dRows, k * H * d, d);
        gemmInto(L, d, G, zg, k * G * L, 1, L, dx, xk, d, dKry, k * L * d, d);
        gemmInto(G, L, d, dx, xk, d, 1, kryT, k * d * L, L, dzg, k * G * L, L);
      }
      const dz = scatterRows(dzg, s, L);
      scratchPool.release(gy, zg, xs, kryT, dx, dzg);
      return [
        tf.tensor3d(dz, [N, D, L]),
        tf.tensor3d(dKry, saved[1].shape as [number, number, number]),
        tf.tensor3d(dRows, saved[2].shape as [number, number, number]),
      ];
    };
    return { value, gradFunc };
  });
  return op(z, kryRev, rows) as tf.Tensor3D;
}
