import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { nativeKernels } from '../kernels/native-kernels';
import { kernelTiers, useKernels } from '../kernels/wasm-kernels';
import { directConvRow, maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { fftConvShared } from './fft-conv-shared';

/**
 * M convolutions of one signal against the definition, O(L K) per row in double: y_m[t] =
 * sum_{s <= t} k_m[s] u[t - s]. For the loss sum_m sum w_m y_m the gradients are closed forms
 * too: du[t] = sum_m sum_{s} k_m[s] w_m[t + s] (correlations, summed over the sets) and
 * dk_m[s] = sum over rows of sum_t w_m[t] u[t - s].
 */
function reference(
  u: Float32Array,
  k: Float32Array,
  w: Float32Array,
  B: number,
  C: number,
  L: number,
  K: number,
  M: number,
) {
  const y = new Float64Array(M * B * C * L);
  const du = new Float64Array(B * C * L);
  const dk = new Float64Array(M * C * K);
  for (let m = 0; m < M; m++)
    for (let b = 0; b < B; b++)
      for (let c = 0; c < C; c++) {
        const row = (b * C + c) * L;
        const kr = (m * C + c) * K;
        const yr = m * B * C * L + row;
        const conv = directConvRow(u.subarray(row, row + L), k.subarray(kr, kr + K));
        for (let t = 0; t < L; t++) y[yr + t] = conv[t];
        for (let t = 0; t < L; t++)
          for (let s = 0; s < Math.min(K, L) && t - s >= 0; s++) {
            du[row + t - s] += k[kr + s] * w[yr + t];
            dk[kr + s] += w[yr + t] * u[row + t - s];
          }
      }
  return { y, du, dk };
}

describe.each(kernelTiers())('fftConvShared on the %s tier', (tier) => {
  beforeAll(async () => {
    await selectBackend('cpu');
    useKernels(tier);
  });
  afterAll(() => useKernels('auto'));
  const rand = seededRandom(5);

  it.each([
    // B, C, L, K, M: two sets (SpaceTime's decoder), one, three; lengths off the vector width; K > L
    [2, 3, 20, 20, 2],
    [3, 16, 45, 45, 2],
    [1, 2, 17, 5, 1],
    [2, 5, 9, 30, 3],
  ])('B %i C %i L %i K %i M %i: outputs, du and dk equal the definition', (B, C, L, K, M) => {
    const u = randomArray(B * C * L, rand);
    const k = randomArray(M * C * K, rand);
    const w = randomArray(M * B * C * L, rand);
    const ref = reference(u, k, w, B, C, L, K, M);
    const ut = tf.tensor3d(u, [B, C, L]);
    const kt = tf.tensor3d(k, [M, C, K]);
    const wt = tf.tensor(w, [M, B, C, L]);
    const tol = 1e-4 * Math.sqrt(L) * Math.sqrt(M * B);
    expect(maxAbsDiff(fftConvShared(ut, kt).dataSync(), ref.y)).toBeLessThan(tol);
    const [du, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(fftConvShared(a, b as tf.Tensor3D), wt)),
    )([ut, kt]);
    expect(maxAbsDiff(du.dataSync(), ref.du)).toBeLessThan(tol * M);
    expect(maxAbsDiff(dk.dataSync(), ref.dk)).toBeLessThan(tol * B * Math.sqrt(L));
    tf.dispose([ut, kt, wt, du, dk]);
  });

  it('rejects kernels whose channels do not match the signal', () => {
    expect(() => fftConvShared(tf.zeros([2, 3, 8]), tf.zeros([2, 4, 8]) as tf.Tensor3D)).toThrow(
      /do not fit/,
    );
  });
});

const nk = nativeKernels();
(nk ? describe : describe.skip)('native fftConvShared across thread counts', () => {
  it('gives the same bits on 1, 2 and 3 threads, and M = 1 equals fftConvForward/Backward', () => {
    const rand = seededRandom(9);
    const [rows, L, kRows, K, n, M] = [64 * 3, 336, 64, 336, 672, 2];
    const u = randomArray(rows * L, rand);
    const k = randomArray(M * kRows * K, rand);
    const dy = randomArray(M * rows * L, rand);
    const run = (threads: number) => {
      nk!.setThreads(threads);
      const y = new Float32Array(M * rows * L);
      const du = new Float32Array(rows * L);
      const dk = new Float32Array(M * kRows * K);
      nk!.fftConvSharedForward(u, k, rows, L, kRows, K, n, M, y);
      nk!.fftConvSharedBackward(dy, u, k, rows, L, kRows, K, n, M, du, dk);
      return { y, du, dk };
    };
    const before = nk!.threads();
    try {
      const one = run(1);
      for (const t of [2, 3]) {
        const other = run(t);
        expect(other.y).toEqual(one.y);
        expect(other.du).toEqual(one.du);
        expect(other.dk).toEqual(one.dk);
      }
      // the first set alone through the one-set calls: the same bits
      const y1 = new Float32Array(rows * L);
      nk!.fftConvForward(u, k.subarray(0, kRows * K), rows, L, kRows, K, n, y1);
      expect(y1).toEqual(one.y.subarray(0, rows * L));
    } finally {
      nk!.setThreads(before);
    }
  });
});
