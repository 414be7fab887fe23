import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { registerCpuMatMulKernels, restoreCpuMatMulKernels } from './matmul-cpu';

/** C = op(A) op(B) by the definition, float64. */
function naiveMatMul(a: number[][], b: number[][]): number[] {
  const out: number[] = [];
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b[0].length; j++) {
      let s = 0;
      for (let p = 0; p < b.length; p++) s += a[i][p] * b[p][j];
      out.push(s);
    }
  return out;
}
const transpose = (m: number[][]) => m[0].map((_, j) => m.map((row) => row[j]));

describe('cpu matMul kernels', () => {
  const rand = seededRandom(4);
  beforeAll(async () => {
    await selectBackend('cpu');
    registerCpuMatMulKernels();
  });
  afterAll(() => restoreCpuMatMulKernels());

  it.each([
    [5, 7, 3, false, false],
    [9, 4, 6, true, false],
    [2, 13, 5, false, true],
    [6, 3, 7, true, true],
    [4, 600, 5, true, false], // long k is blocked
    [1, 1, 1, false, false],
  ])('m=%i k=%i n=%i transposeA=%s transposeB=%s', (m, k, n, tA, tB) => {
    const A = tf.tensor2d(randomArray(m * k, rand), tA ? [k, m] : [m, k]);
    const B = tf.tensor2d(randomArray(k * n, rand), tB ? [n, k] : [k, n]);
    const a = A.arraySync();
    const b = B.arraySync();
    const expected = naiveMatMul(tA ? transpose(a) : a, tB ? transpose(b) : b);
    const got = tf.matMul(A, B, tA, tB);
    expect(got.shape).toEqual([m, n]);
    expect(maxAbsDiff(got.dataSync(), expected)).toBeLessThan(1e-4 * Math.sqrt(k));
  });

  it('broadcasts a single matrix over a batch, and falls back for general broadcasting', () => {
    const A = tf.tensor3d(randomArray(3 * 4 * 5, rand), [3, 4, 5]);
    const W = tf.tensor2d(randomArray(5 * 2, rand), [5, 2]);
    const got = tf.matMul(A, tf.expandDims(W, 0).tile([1, 1, 1]) as tf.Tensor3D);
    const perBatch = tf.unstack(A).map((a) => naiveMatMul(a.arraySync() as number[][], W.arraySync()));
    expect(maxAbsDiff(got.dataSync(), perBatch.flat())).toBeLessThan(1e-5);
    const general = tf.matMul(tf.ones([2, 1, 3, 4]), tf.ones([1, 5, 4, 2]));
    expect(general.shape).toEqual([2, 5, 3, 2]);
    expect(general.dataSync().every((v) => v === 4)).toBe(true);
  });

  it('fused matMul with bias and relu (what tf.layers.dense runs)', () => {
    const x = tf.tensor2d(randomArray(6 * 4, rand), [6, 4]);
    const w = tf.tensor2d(randomArray(4 * 3, rand), [4, 3]);
    const bias = tf.tensor1d(randomArray(3, rand));
    const got = tf.fused.matMul({ a: x, b: w, bias, activation: 'relu' });
    const expected = naiveMatMul(x.arraySync(), w.arraySync()).map((v, i) =>
      Math.max(0, v + bias.dataSync()[i % 3]),
    );
    expect(maxAbsDiff(got.dataSync(), expected)).toBeLessThan(1e-5);
  });

  it('gradients of matMul match the closed form (dA = G B^T, dB = A^T G)', () => {
    const A = tf.tensor2d(randomArray(5 * 3, rand), [5, 3]);
    const B = tf.tensor2d(randomArray(3 * 4, rand), [3, 4]);
    const G = tf.tensor2d(randomArray(5 * 4, rand), [5, 4]);
    const [dA, dB] = tf.grads((a, b) => tf.sum(tf.mul(tf.matMul(a, b), G)))([A, B]);
    const g = G.arraySync();
    expect(maxAbsDiff(dA.dataSync(), naiveMatMul(g, transpose(B.arraySync())))).toBeLessThan(1e-5);
    expect(maxAbsDiff(dB.dataSync(), naiveMatMul(transpose(A.arraySync()), g))).toBeLessThan(1e-5);
  });
});
