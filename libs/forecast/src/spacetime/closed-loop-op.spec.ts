import { kernelTiers, Rng, useKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { closedLoopForecast } from './closed-loop-op';

// The decoder's outputs and gradients against the definition in float64 loops: channel c of
// sample n uses kernel k = floor(c / heads), x = sum_j z[n, c, j] kryRev[k, j, :], y_i =
// rows[k, i, :] . x. The loss sum(w * y) is linear in each input, so its gradients have
// closed forms too.
function reference(
  z: Float32Array,
  kry: Float32Array,
  rows: Float32Array,
  w: Float32Array,
  N: number,
  D: number,
  L: number,
  K: number,
  H: number,
  d: number,
) {
  const heads = D / K;
  const y = new Float64Array(N * D * H);
  const dz = new Float64Array(N * D * L);
  const dk = new Float64Array(K * L * d);
  const dr = new Float64Array(K * H * d);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < D; c++) {
      const k = Math.floor(c / heads);
      const x = new Float64Array(d);
      for (let j = 0; j < L; j++)
        for (let m = 0; m < d; m++) x[m] += z[(n * D + c) * L + j] * kry[(k * L + j) * d + m];
      const gx = new Float64Array(d); // d loss / d x
      for (let i = 0; i < H; i++) {
        const wi = w[(n * D + c) * H + i];
        for (let m = 0; m < d; m++) {
          y[(n * D + c) * H + i] += rows[(k * H + i) * d + m] * x[m];
          gx[m] += wi * rows[(k * H + i) * d + m];
          dr[(k * H + i) * d + m] += wi * x[m];
        }
      }
      for (let j = 0; j < L; j++)
        for (let m = 0; m < d; m++) {
          dz[(n * D + c) * L + j] += gx[m] * kry[(k * L + j) * d + m];
          dk[(k * L + j) * d + m] += gx[m] * z[(n * D + c) * L + j];
        }
    }
  return { y, dz, dk, dr };
}

function expectClose(got: ArrayLike<number>, want: Float64Array, tol: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  expect(worst).toBeLessThan(tol);
}

describe.each(kernelTiers())('closedLoopForecast on the %s tier', (tier) => {
  beforeAll(() => useKernels(tier));
  afterAll(() => useKernels('auto'));

  it.each([
    // N, D, L, K, H, d: several heads per kernel, one head per kernel, sizes off the tiles
    [2, 4, 5, 2, 6, 3],
    [3, 2, 5, 2, 6, 3],
    [5, 12, 40, 3, 33, 9],
  ])(
    'N %i D %i L %i K %i H %i d %i: outputs and all three gradients equal the definition',
    (N, D, L, K, H, d) => {
      const rng = new Rng(N * 100 + D);
      const rand = (len: number) => Float32Array.from({ length: len }, () => rng.normal());
      const z = rand(N * D * L);
      const kry = rand(K * L * d);
      const rows = rand(K * H * d);
      const w = rand(N * D * H);
      const ref = reference(z, kry, rows, w, N, D, L, K, H, d);
      const zt = tf.tensor3d(z, [N, D, L]);
      const kt = tf.tensor3d(kry, [K, L, d]);
      const rt = tf.tensor3d(rows, [K, H, d]);
      const wt = tf.tensor3d(w, [N, D, H]);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        closedLoopForecast(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D, D / K);
      // float32 sums of L d and H d products of unit normals
      const tol = 1e-5 * L * d;
      expectClose(f(zt, kt, rt).dataSync(), ref.y, tol);
      const [gz, gk, gr] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(f(a, b, c), wt)),
      )([zt, kt, rt]);
      expectClose(gz.dataSync(), ref.dz, 1e-5 * H * d * d);
      expectClose(gk.dataSync(), ref.dk, 1e-5 * N * H * d * (D / K));
      expectClose(gr.dataSync(), ref.dr, 1e-5 * L * d * N * (D / K));
      tf.dispose([zt, kt, rt, wt, gz, gk, gr]);
    },
  );
});
