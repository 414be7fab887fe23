import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { gradientCheck, maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { krylov, linearScan, rnnScan } from './scan';

describe('scan helpers', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(3);

  it('linearScan follows the recurrence, both directions', () => {
    const a = randomArray(2 * 7, rand);
    const b = randomArray(2 * 7, rand);
    const fwd = linearScan(tf.tensor2d(a, [2, 7]), tf.tensor2d(b, [2, 7])).dataSync();
    const rev = linearScan(tf.tensor2d(a, [2, 7]), tf.tensor2d(b, [2, 7]), { reverse: true }).dataSync();
    for (let r = 0; r < 2; r++) {
      let h = 0;
      for (let t = 0; t < 7; t++) {
        h = a[r * 7 + t] * h + b[r * 7 + t];
        expect(fwd[r * 7 + t]).toBeCloseTo(h, 5);
      }
      h = 0;
      for (let t = 6; t >= 0; t--) {
        h = a[r * 7 + t] * h + b[r * 7 + t];
        expect(rev[r * 7 + t]).toBeCloseTo(h, 5);
      }
    }
  });

  it.each([false, true])('linearScan gradients agree with finite differences (reverse=%s)', (reverse) => {
    const a = tf.tensor2d(randomArray(3 * 9, rand), [3, 9]);
    const b = tf.tensor2d(randomArray(3 * 9, rand), [3, 9]);
    const errs = gradientCheck((x, y) => linearScan(x, y, { reverse }), [a, b], { eps: 1e-3 });
    expect(Math.max(...errs)).toBeLessThan(5e-3);
  });

  it('krylov gives b, Ab, A^2 b, ...', () => {
    const A = tf.tensor2d(randomArray(9, rand), [3, 3]);
    const b = tf.tensor1d(randomArray(3, rand));
    const K = krylov(A, b, 6).arraySync();
    const Av = A.arraySync();
    let v = b.arraySync();
    for (let j = 0; j < 6; j++) {
      expect(
        maxAbsDiff(
          K.map((row) => row[j]),
          v,
        ),
      ).toBeLessThan(1e-5);
      v = Av.map((row) => row.reduce((s, x, i) => s + x * v[i], 0));
    }
  });

  it('rnnScan runs a cell over time and stacks its outputs', () => {
    // cumulative sum as a recurrent cell: h_t = h_{t-1} + x_t
    const x = tf.tensor3d(randomArray(2 * 5 * 1, rand), [2, 5, 1]);
    const { outputs, state } = tf.tidy(() => {
      const r = rnnScan(
        (xt, [h]) => {
          const next = tf.add(h, xt) as tf.Tensor2D;
          return [next, [next]];
        },
        x,
        [tf.zeros([2, 1])],
      );
      return { outputs: r.outputs, state: r.state[0] };
    });
    expect(maxAbsDiff(outputs.dataSync(), tf.cumsum(x, 1).dataSync())).toBeLessThan(1e-6);
    expect(maxAbsDiff(state.dataSync(), tf.sum(x, 1).dataSync())).toBeLessThan(1e-6);
  });
});
