import { Rng, kernelTiers, selectBackend, useKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { relDiff } from '../testing/rel-diff';
import { EncoderLayerParams, addEncoderLayer, multiHeadAttention } from './attention';
import { applyDense, gelu, layerNorm } from './layers';
import { PrefixLimits, causalLimits } from './prefix-limits';
import { fusedEncoderLayer } from './fused-encoder-layer';
import { ParamStore } from './params';

beforeAll(() => selectBackend('cpu'));

/** The same post-norm layer in tfjs ops (attention, norms and GELU are the separately tested fused ops). */
function encoderLayerReference(l: EncoderLayerParams, x: tf.Tensor, limits: PrefixLimits): tf.Tensor {
  const a = layerNorm(tf.add(x, multiHeadAttention(l.attn, x, x, limits)), l.ln1[0], l.ln1[1]);
  const f = applyDense(gelu(applyDense(a, l.ff1)), l.ff2);
  return layerNorm(tf.add(a, f), l.ln2[0], l.ln2[1]);
}

describe.each(kernelTiers())('fusedEncoderLayer (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));
  it.each([
    [3, 7, 8, 2, 16, false],
    [2, 6, 12, 3, 20, true],
    [1, 1, 8, 4, 8, false],
  ])('matches the layer written in tfjs ops, values and every gradient (B %i, T %i, d %i, heads %i, ff %i, padded %s)', (B, T, d, heads, ff, padded) => {
    const params = new ParamStore(new Rng(5));
    const l = addEncoderLayer(params, 'l', d, heads, ff);
    // non-trivial norms and biases, so their gradients are tested too
    for (const v of params.list()) if (v.shape.length === 1) v.assign(tf.randomNormal(v.shape, 0.5, 0.3, 'float32', v.size));
    tf.tidy(() => {
      const x = tf.randomNormal([B, T, d], 0, 1, 'float32', 3) as tf.Tensor3D;
      const maskValues = Array.from({ length: B * T }, (_, i) => (padded && i % T >= T - 2 && i >= T ? 0 : 1));
      const mask = tf.tensor2d(maskValues, [B, T]);
      const limits = causalLimits(T, mask);
      const wts = tf.mul(tf.randomNormal([B, T, d], 0, 1, 'float32', 4), tf.expandDims(mask, -1));
      const vars = params.list();
      const run = (f: (x: tf.Tensor3D) => tf.Tensor) => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(f(x), wts)) as tf.Scalar, vars);
        const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor3D), wts)))(x);
        return { y: f(x).dataSync(), value: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync()), dx: dx.dataSync() };
      };
      const fused = run((xx) => fusedEncoderLayer({ ...l.attn, ...l }, xx, limits));
      const ref = run((xx) => encoderLayerReference(l, xx, limits));
      // padded rows are never read (their outputs are masked): compare real rows
      const real = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => maskValues[Math.floor(i / d)] === 1);
      expect(relDiff(real(fused.y), real(ref.y))).toBeLessThan(1e-5);
      expect(Math.abs(fused.value - ref.value)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref.value)));
      expect(relDiff(real(fused.dx), real(ref.dx))).toBeLessThan(1e-4);
      // the weights' gradients sum over every row through both norms and the softmax in float32:
      // the native builds for narrower registers (SEQCAST_NATIVE_ISA=avx2, base) sum in another
      // order than tfjs and land within 2e-4 of it (a wrong term would be off by O(1))
      fused.grads.forEach((g, i) => expect(relDiff(g, ref.grads[i])).toBeLessThan(3e-4));
    });
    params.dispose();
  });
});
