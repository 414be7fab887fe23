import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { directConvRow, gradientCheck, maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { directCausalConv, fftConv } from './fft-conv';

describe('fftConv (causal long convolution)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(2);

  it.each([
    [2, 3, 20, 20],
    [1, 2, 17, 5],
    [3, 1, 9, 30],
    [1, 1, 1, 1],
  ])('matches direct convolution (B=%i, C=%i, L=%i, K=%i)', (B, C, L, K) => {
    const u = randomArray(B * C * L, rand);
    const k = randomArray(C * K, rand);
    const y = fftConv(tf.tensor3d(u, [B, C, L]), tf.tensor2d(k, [C, K])).dataSync();
    for (let b = 0; b < B; b++) {
      for (let c = 0; c < C; c++) {
        const row = (b * C + c) * L;
        const expected = directConvRow(u.subarray(row, row + L), k.subarray(c * K, (c + 1) * K));
        expect(maxAbsDiff(y.subarray(row, row + L), expected)).toBeLessThan(1e-4 * Math.sqrt(L));
      }
    }
  });

  it('supports one kernel per row', () => {
    const u = tf.tensor3d(randomArray(2 * 2 * 12, rand), [2, 2, 12]);
    const k = tf.tensor3d(randomArray(2 * 2 * 12, rand), [2, 2, 12]);
    expect(maxAbsDiff(fftConv(u, k).dataSync(), directCausalConv(u, k).dataSync())).toBeLessThan(1e-4);
  });

  it('rejects kernels that do not divide the rows', () => {
    expect(() => fftConv(tf.zeros([2, 3, 8]), tf.zeros([2, 8]))).toThrow(/fits neither/);
  });

  it.each([
    [2, 3, 16, 16],
    [2, 2, 11, 4],
    [1, 2, 6, 9],
  ])('gradients in u and k agree with finite differences (B=%i, C=%i, L=%i, K=%i)', (B, C, L, K) => {
    const u = tf.tensor3d(randomArray(B * C * L, rand), [B, C, L]);
    const k = tf.tensor2d(randomArray(C * K, rand), [C, K]);
    const errs = gradientCheck(fftConv, [u, k], { eps: 0.5 });
    expect(Math.max(...errs)).toBeLessThan(1e-4);
  });

  it('gradients equal those of the direct convolution', () => {
    const u = tf.tensor3d(randomArray(2 * 2 * 10, rand), [2, 2, 10]);
    const k = tf.tensor2d(randomArray(2 * 10, rand), [2, 10]);
    const w = tf.tensor3d(randomArray(40, rand), [2, 2, 10]);
    const viaFft = tf.grads((a, b) => tf.sum(tf.mul(fftConv(a, b), w)))([u, k]);
    const viaDirect = tf.grads((a, b) => tf.sum(tf.mul(directCausalConv(a, b), w)))([u, k]);
    expect(maxAbsDiff(viaFft[0].dataSync(), viaDirect[0].dataSync())).toBeLessThan(1e-4);
    expect(maxAbsDiff(viaFft[1].dataSync(), viaDirect[1].dataSync())).toBeLessThan(1e-4);
  });

  it('leaks no tensors through forward and backward', () => {
    const u = tf.randomNormal([2, 3, 32]);
    const k = tf.variable(tf.randomNormal([3, 32]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const { grads, value } = tf.variableGrads(() => tf.sum(fftConv(u, k)), [k]);
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
