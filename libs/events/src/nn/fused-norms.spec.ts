import { kernelTiers, selectBackend, useKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { fusedGelu, fusedLayerNorm, fusedSoftplus } from './fused-norms';

beforeAll(() => selectBackend('cpu'));

/** The textbook formulas in ordinary tfjs ops (autodiff gives their gradients). */
function layerNormReference(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, x.shape.length - 1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}
function geluReference(x: tf.Tensor): tf.Tensor {
  return tf.mul(
    tf.mul(x, 0.5),
    tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), Math.sqrt(2 / Math.PI)))),
  );
}

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

describe.each(kernelTiers())('fused layerNorm and GELU match the tfjs-op formulas (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  // widths of whole vector registers (8, 32, 48) and not (12): both native paths
  it.each([8, 12, 32, 48])('layerNorm over rows of %i: values and gradients in x, gamma, beta', (d) => {
    tf.tidy(() => {
      const x = tf.add(tf.mul(tf.randomNormal([3, 4, d], 0, 1, 'float32', 1), 3), 5);
      const g = tf.randomNormal([d], 1, 0.3, 'float32', 2);
      const b = tf.randomNormal([d], 0, 0.3, 'float32', 3);
      const w = tf.randomNormal([3, 4, d], 0, 1, 'float32', 4);
      const loss = (f: typeof layerNormReference) =>
        tf.grads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx, gg, bb), w)));
      expect(maxDiff(fusedLayerNorm(x, g, b), layerNormReference(x, g, b))).toBeLessThan(1e-5);
      const ours = loss(fusedLayerNorm)([x, g, b]);
      const theirs = loss(layerNormReference)([x, g, b]);
      ours.forEach((o, i) => expect(maxDiff(o, theirs[i])).toBeLessThan(1e-4));
    });
  });

  it('softplus: values and gradient against tf.softplus, from far below 0 to far above', () => {
    tf.tidy(() => {
      const x = tf.concat([tf.linspace(-40, 40, 161), tf.tensor1d([-90, -1e-4, 0, 1e-4, 90])]);
      const ref = tf.softplus(x);
      // relative where the values are tiny (e^x far below 0): intensities' logs read them
      const rel = tf.max(tf.div(tf.abs(tf.sub(fusedSoftplus(x), ref)), tf.add(ref, 1e-30))).dataSync()[0];
      expect(rel).toBeLessThan(1e-5);
      const w = tf.randomNormal([166], 0, 1, 'float32', 6);
      const d1 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fusedSoftplus(v), w)))(x);
      const d2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.softplus(v), w)))(x);
      expect(maxDiff(d1, d2)).toBeLessThan(1e-6);
    });
  });

  it('gelu: values and gradient', () => {
    tf.tidy(() => {
      const x = tf.linspace(-6, 6, 97);
      expect(maxDiff(fusedGelu(x), geluReference(x))).toBeLessThan(1e-6);
      const w = tf.randomNormal([97], 0, 1, 'float32', 5);
      const d1 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fusedGelu(v), w)))(x);
      const d2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(geluReference(v), w)))(x);
      expect(maxDiff(d1, d2)).toBeLessThan(1e-5);
    });
  });
});
