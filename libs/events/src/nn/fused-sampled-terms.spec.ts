import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { fusedSampledTerms } from './fused-sampled-terms';

beforeAll(() => selectBackend('cpu'));

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('fusedSampledTerms', () => {
  it('matches the one-hot / log / mean formulas in tfjs ops, values and gradients, padded types included', () => {
    tf.tidy(() => {
      const [B, P, G, K] = [2, 4, 5, 3];
      const atEvent = tf.softplus(tf.randomNormal([B, P, K], 0, 1, 'float32', 1)) as tf.Tensor3D;
      const grid = tf.softplus(tf.randomNormal([B, P, G, K], 0, 1, 'float32', 2)) as tf.Tensor4D;
      const nextGaps = tf.tensor2d([0.5, 1.2, 0.1, 0, 2.5, 0.7, 3.1, 0], [B, P]);
      const nextTypes = tf.tensor2d([0, 2, 1, K, 1, 0, 2, K], [B, P], 'int32'); // K: padding
      const w1 = tf.randomNormal([B, P], 0, 1, 'float32', 3);
      const w2 = tf.randomNormal([B, P], 0, 1, 'float32', 4);
      type F = (e: tf.Tensor, g: tf.Tensor) => { logEvent: tf.Tensor; integral: tf.Tensor };
      const run = (f: F) => {
        const loss = (e: tf.Tensor, g: tf.Tensor) => {
          const t = f(e, g);
          return tf.add(tf.sum(tf.mul(t.logEvent, w1)), tf.sum(tf.mul(t.integral, w2))) as tf.Scalar;
        };
        const t = f(atEvent, grid);
        const { value, grads } = tf.valueAndGrads(loss)([atEvent, grid]);
        return [t.logEvent, t.integral, value, ...grads].map((x) => x.dataSync());
      };
      const fused = run((e, g) => fusedSampledTerms(e as tf.Tensor3D, g as tf.Tensor4D, nextGaps, nextTypes));
      const ref = run((e, g) => {
        const onehot = tf.oneHot(nextTypes, K + 1).slice([0, 0, 0], [B, P, K]);
        return {
          logEvent: tf.log(tf.add(tf.sum(tf.mul(e, onehot), -1), 1e-9)),
          integral: tf.mul(tf.mean(tf.sum(g, -1), -1), nextGaps),
        };
      });
      fused.forEach((v, i) => expect(maxDiff(v, ref[i])).toBeLessThan(1e-4 * Math.max(1, ...Array.from(ref[i], Math.abs))));
    });
  });

  it('rejects mismatched shapes', () => {
    const e = tf.ones([2, 3, 2]) as tf.Tensor3D;
    expect(() => fusedSampledTerms(e, tf.ones([2, 3, 4, 3]) as tf.Tensor4D, tf.ones([2, 3]) as tf.Tensor2D, tf.zeros([2, 3], 'int32') as tf.Tensor2D)).toThrow(
      /do not match/,
    );
  });
});
