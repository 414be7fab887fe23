import * as tf from '@tensorflow/tfjs';
import { kernelTiers, Rng, useKernels } from '@seqcast/tensor';
import { erf } from '@seqcast/numeric';
import { channelSkip } from '@seqcast/tensor';
import { geluHead, mlpResidual, repeatChannels, shiftedMse } from './fused-ops';

const rng = new Rng(7);
const rand = (shape: number[], s = 1) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => s * rng.normal()),
    shape,
  );

/** Checks the op's gradient against central differences on a few entries of each input. */
function gradCheck(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], eps = 1e-2): void {
  const weights = tf.tidy(() => rand(f(...inputs).shape, 1));
  const loss = (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), weights)) as tf.Scalar;
  const grads = tf.grads(loss)(inputs);
  inputs.forEach((x, which) => {
    const g = grads[which].dataSync();
    const scale = 1 + Array.from(g).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    for (const idx of [0, Math.floor(x.size / 2), x.size - 1]) {
      const shifted = (delta: number) =>
        inputs.map((t, i) =>
          i === which
            ? tf.tensor(
                Float32Array.from(t.dataSync(), (v, j) => (j === idx ? v + delta : v)),
                t.shape,
              )
            : t,
        );
      const plus = shifted(eps);
      const minus = shifted(-eps);
      const fd = (loss(...plus).dataSync()[0] - loss(...minus).dataSync()[0]) / (2 * eps);
      expect(Math.abs(g[idx] - fd)).toBeLessThan(2e-3 * scale);
      tf.dispose([plus[which], minus[which]]);
    }
  });
  tf.dispose([...grads, weights]);
}

describe.each(kernelTiers())('fused SpaceTime ops on the %s tier', (tier) => {
  beforeAll(() => useKernels(tier));
  afterAll(() => useKernels('auto'));

  it('erf matches known values', () => {
    expect(erf(0)).toBeCloseTo(0, 6);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(-1.5)).toBeCloseTo(-0.9661051465, 6);
  });

  it('mlpResidual equals y + b + W^T gelu(y) by tfjs ops, and its gradient checks', () => {
    const y = rand([2, 3, 5]);
    const W = rand([3, 3], 0.5);
    const b = rand([3], 0.1);
    const got = mlpResidual(y as tf.Tensor3D, W as tf.Tensor2D, b as tf.Tensor1D).arraySync();
    const gelu = tf.mul(tf.mul(y, 0.5), tf.add(tf.erf(tf.mul(y, Math.SQRT1_2)), 1));
    const ref = tf
      .add(tf.add(y, tf.reshape(b, [1, 3, 1])), tf.einsum('de,ndt->net', W, gelu))
      .arraySync() as number[][][];
    got.forEach((m, n) => m.forEach((r, d) => r.forEach((v, t) => expect(v).toBeCloseTo(ref[n][d][t], 4))));
    gradCheck((a, w, bb) => mlpResidual(a as tf.Tensor3D, w as tf.Tensor2D, bb as tf.Tensor1D), [y, W, b]);
  });

  it('geluHead, the skip (channelSkip) and shiftedMse gradients check', () => {
    gradCheck((x, w, b) => geluHead(x as tf.Tensor3D, w, b), [rand([2, 4, 3]), rand([4, 1]), rand([1])]);
    gradCheck(
      (c, z, s) => channelSkip(c as tf.Tensor3D, z as tf.Tensor3D, s as tf.Tensor1D),
      [rand([2, 3, 4]), rand([2, 3, 4]), rand([3])],
    );
    gradCheck((p, a) => shiftedMse(p as tf.Tensor3D, a as tf.Tensor3D), [rand([2, 3, 4]), rand([2, 3, 4])]);
  });

  it('repeatChannels equals tf.tile over channels, value and gradient', () => {
    const x = rand([3, 2, 5]) as tf.Tensor3D;
    const w = rand([3, 8, 5]);
    expect(Array.from(repeatChannels(x, 4).dataSync())).toEqual(Array.from(tf.tile(x, [1, 4, 1]).dataSync()));
    const ours = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(repeatChannels(a as tf.Tensor3D, 4), w)))(x);
    const tiles = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.tile(a, [1, 4, 1]), w)))(x);
    const got = ours.dataSync();
    tiles.dataSync().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
});
