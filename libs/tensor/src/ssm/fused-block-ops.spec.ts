import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { gradientCheck, maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { Rng } from '@seqcast/numeric';
import { dropoutScales } from './dropout-scales';
import { geluOp } from './gelu';
import { channelLayerNorm } from './channel-layer-norm';
import { channelMix } from './channel-mix';
import { channelSkip } from './channel-skip';
import { gluWithBias } from './glu-bias';

/**
 * The S4D block's fused LayerNorm and GLU against the same maths composed from tfjs ops
 * (values and gradients), and their gradients against finite differences.
 */
describe('fused S4D block ops', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(5);

  const composedNorm = (x: tf.Tensor3D, g: tf.Tensor1D, b: tf.Tensor1D, eps: number) => {
    const { mean, variance } = tf.moments(x, 1, true);
    const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(xhat, tf.reshape(g, [1, -1, 1])), tf.reshape(b, [1, -1, 1])) as tf.Tensor3D;
  };
  const composedGlu = (y: tf.Tensor3D, b: tf.Tensor1D) => {
    const [a, g] = tf.split(tf.add(y, tf.reshape(b, [1, -1, 1])), 2, 1);
    return tf.mul(a, tf.sigmoid(g)) as tf.Tensor3D;
  };

  type Op = (...xs: tf.Tensor[]) => tf.Tensor;
  /** fused and composed agree in value, and in the gradients of a random weighted sum of the output. */
  const expectAgree = (fused: Op, composed: Op, inputs: tf.Tensor[], valueTol: number, gradTol: number) => {
    const out = fused(...inputs);
    expect(maxAbsDiff(out.dataSync(), composed(...inputs).dataSync())).toBeLessThan(valueTol);
    const w = tf.tensor(randomArray(out.size, rand), out.shape);
    const loss =
      (f: Op) =>
      (...xs: tf.Tensor[]) =>
        tf.sum(tf.mul(f(...xs), w));
    const a = tf.grads(loss(fused))(inputs);
    const b = tf.grads(loss(composed))(inputs);
    a.forEach((g, i) => expect(maxAbsDiff(g.dataSync(), b[i].dataSync())).toBeLessThan(gradTol));
  };

  it('channelLayerNorm equals the composed LayerNorm over channels, values and gradients', () => {
    const [B, H, L] = [3, 5, 17];
    const x = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const g = tf.tensor1d(randomArray(H, rand));
    const b = tf.tensor1d(randomArray(H, rand));
    const w = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    expect(
      maxAbsDiff(channelLayerNorm(x, g, b, 1e-5).dataSync(), composedNorm(x, g, b, 1e-5).dataSync()),
    ).toBeLessThan(1e-5);
    const loss = (f: typeof composedNorm) => (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor) =>
      tf.sum(tf.mul(f(xs as tf.Tensor3D, gs as tf.Tensor1D, bs as tf.Tensor1D, 1e-5), w));
    const fused = tf.grads(loss(channelLayerNorm))([x, g, b]);
    const composed = tf.grads(loss(composedNorm))([x, g, b]);
    for (let i = 0; i < 3; i++)
      expect(maxAbsDiff(fused[i].dataSync(), composed[i].dataSync())).toBeLessThan(1e-4);
  });

  it('channelLayerNorm gradients match finite differences', () => {
    const [B, H, L] = [2, 4, 6];
    const errors = gradientCheck(
      (x, g, b) => channelLayerNorm(x as tf.Tensor3D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5),
      [
        tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]),
        tf.tensor1d(randomArray(H, rand)),
        tf.tensor1d(randomArray(H, rand)),
      ],
    );
    for (const e of errors) expect(e).toBeLessThan(2e-2);
  });

  it('gluWithBias equals bias, split, sigmoid and product in tfjs ops, values and gradients', () => {
    const [B, H, L] = [3, 4, 11];
    const y = tf.tensor3d(randomArray(B * 2 * H * L, rand), [B, 2 * H, L]);
    const b = tf.tensor1d(randomArray(2 * H, rand));
    const w = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    expect(maxAbsDiff(gluWithBias(y, b).dataSync(), composedGlu(y, b).dataSync())).toBeLessThan(1e-6);
    const loss = (f: typeof composedGlu) => (ys: tf.Tensor, bs: tf.Tensor) =>
      tf.sum(tf.mul(f(ys as tf.Tensor3D, bs as tf.Tensor1D), w));
    const fused = tf.grads(loss(gluWithBias))([y, b]);
    const composed = tf.grads(loss(composedGlu))([y, b]);
    for (let i = 0; i < 2; i++)
      expect(maxAbsDiff(fused[i].dataSync(), composed[i].dataSync())).toBeLessThan(1e-5);
    const errors = gradientCheck((ys, bs) => gluWithBias(ys as tf.Tensor3D, bs as tf.Tensor1D), [y, b]);
    for (const e of errors) expect(e).toBeLessThan(2e-2);
  });

  it('channelSkip equals y + D u in tfjs ops, values and gradients, and matches finite differences', () => {
    const [B, H, L] = [2, 5, 9];
    const y = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const u = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const d = tf.tensor1d(randomArray(H, rand));
    const composed = (ys: tf.Tensor, us: tf.Tensor, ds: tf.Tensor) =>
      tf.add(ys, tf.mul(us, tf.reshape(ds, [1, -1, 1])));
    const fused = (ys: tf.Tensor, us: tf.Tensor, ds: tf.Tensor) =>
      channelSkip(ys as tf.Tensor3D, us as tf.Tensor3D, ds as tf.Tensor1D);
    expectAgree(fused, composed, [y, u, d], 1e-6, 1e-5);
    for (const e of gradientCheck(fused, [y, u, d])) expect(e).toBeLessThan(2e-2);
  });

  it('channelMix equals W z per sample (tfjs matMul), values and gradients, and matches finite differences', () => {
    const [B, H, L, O] = [3, 5, 13, 10];
    const z = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const W = tf.tensor2d(randomArray(O * H, rand), [O, H]);
    const composed = (zs: tf.Tensor, ws: tf.Tensor) =>
      tf.stack(tf.unstack(zs).map((zb) => tf.matMul(ws as tf.Tensor2D, zb as tf.Tensor2D)));
    const fused = (zs: tf.Tensor, ws: tf.Tensor) => channelMix(zs as tf.Tensor3D, ws as tf.Tensor2D);
    expectAgree(fused, composed, [z, W], 1e-5, 1e-4);
    for (const e of gradientCheck(fused, [z, W])) expect(e).toBeLessThan(2e-2);
  });

  it('channelMix with a bias equals W z + b per sample, values and gradients', () => {
    const [B, H, L, O] = [2, 4, 7, 6];
    const z = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const W = tf.tensor2d(randomArray(O * H, rand), [O, H]);
    const bias = tf.tensor1d(randomArray(O, rand));
    const composed = (zs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.add(
        tf.stack(tf.unstack(zs).map((zb) => tf.matMul(ws as tf.Tensor2D, zb as tf.Tensor2D))),
        tf.reshape(bs, [1, -1, 1]),
      );
    const fused = (zs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      channelMix(zs as tf.Tensor3D, ws as tf.Tensor2D, bs as tf.Tensor1D);
    expectAgree(fused, composed, [z, W, bias], 1e-5, 1e-4);
  });

  it('dropoutScales: 1 / (1 - rate) or 0 at the rate, and geluOp multiplies each channel by its factor, value and gradient', () => {
    const scales = dropoutScales(2000, 0.3, new Rng(3));
    const dropped = scales.filter((v) => v === 0).length;
    expect(scales.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    // 2000 Bernoulli(0.3) draws: 600 expected, sd 20.5
    expect(Math.abs(dropped - 600)).toBeLessThan(4 * 20.5);
    const [B, H, L] = [4, 5, 6];
    const x = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const scale = scales.subarray(0, B * H);
    const scaleT = tf.tensor3d(scale, [B, H, 1]);
    const w = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    expect(maxAbsDiff(geluOp(x, scale).dataSync(), tf.mul(geluOp(x), scaleT).dataSync())).toBeLessThan(1e-6);
    const a = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(geluOp(v, scale), w)))(x);
    const b = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.mul(geluOp(v), scaleT), w)))(x);
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
  });

  it('gluWithBias with a channel scale and a residual equals residual + scale GLU, values and gradients', () => {
    const [B, H, L] = [3, 4, 9];
    const y = tf.tensor3d(randomArray(B * 2 * H * L, rand), [B, 2 * H, L]);
    const b = tf.tensor1d(randomArray(2 * H, rand));
    const x = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const scale = Float32Array.from({ length: B * H }, (_, i) => (i % 3 === 0 ? 0 : 1 / 0.7));
    const scaleT = tf.tensor3d(scale, [B, H, 1]);
    const composed = (ys: tf.Tensor, bs: tf.Tensor, xs: tf.Tensor) =>
      tf.add(xs, tf.mul(composedGlu(ys as tf.Tensor3D, bs as tf.Tensor1D), scaleT));
    const fused = (ys: tf.Tensor, bs: tf.Tensor, xs: tf.Tensor) =>
      gluWithBias(ys as tf.Tensor3D, bs as tf.Tensor1D, { scale, residual: xs as tf.Tensor3D });
    expectAgree(fused, composed, [y, b, x], 1e-5, 1e-5);
  });

  it('many samples (the native kernels sum parameter gradients in blocks of 8): LayerNorm and GLU against tfjs ops', () => {
    const [B, H, L] = [19, 6, 10];
    const x = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const g = tf.tensor1d(randomArray(H, rand));
    const b = tf.tensor1d(randomArray(H, rand));
    const norm = (f: typeof composedNorm) => (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor) =>
      f(xs as tf.Tensor3D, gs as tf.Tensor1D, bs as tf.Tensor1D, 1e-5);
    expectAgree(norm(channelLayerNorm), norm(composedNorm), [x, g, b], 1e-5, 1e-4);

    // GLU with scale and residual; some gate inputs below -80, where the sigmoid is exp(x)
    const yv = randomArray(B * 2 * H * L, rand);
    for (let i = 7; i < yv.length; i += 97) if (Math.floor(i / L) % (2 * H) >= H) yv[i] = -85;
    const y = tf.tensor3d(yv, [B, 2 * H, L]);
    const bias = tf.tensor1d(randomArray(2 * H, rand).map((v) => v * 0.1));
    const scale = Float32Array.from({ length: B * H }, (_, i) => (i % 4 === 0 ? 0 : 1 / 0.75));
    const scaleT = tf.tensor3d(scale, [B, H, 1]);
    const composed = (ys: tf.Tensor, bs: tf.Tensor, xs: tf.Tensor) =>
      tf.add(xs, tf.mul(composedGlu(ys as tf.Tensor3D, bs as tf.Tensor1D), scaleT));
    const fused = (ys: tf.Tensor, bs: tf.Tensor, xs: tf.Tensor) =>
      gluWithBias(ys as tf.Tensor3D, bs as tf.Tensor1D, { scale, residual: xs as tf.Tensor3D });
    expectAgree(fused, composed, [y, bias, x], 1e-5, 1e-5);
    // a gate at -85 without scale or residual: (a + b_a) / (1 + e^85), far below float32's
    // rounding of anything near 1, so it is compared relative to itself
    const one = tf.tensor3d([2, -85], [1, 2, 1]);
    const v = gluWithBias(one, tf.tensor1d([0, 0])).dataSync()[0];
    expect(Math.abs(v / (2 / (1 + Math.exp(85))) - 1)).toBeLessThan(1e-5);
  });

  it('channelMix over many short samples (the native kernels multiply groups side by side, the last group partial)', () => {
    const [B, H, L, O] = [300, 5, 2, 7];
    const z = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const W = tf.tensor2d(randomArray(O * H, rand), [O, H]);
    const bias = tf.tensor1d(randomArray(O, rand));
    // the same map through [H, B L]: one tfjs matMul over every sample's columns
    const composed = (zs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.add(
        tf.transpose(
          tf.reshape(tf.matMul(ws as tf.Tensor2D, tf.reshape(tf.transpose(zs, [1, 0, 2]), [H, B * L])), [
            O,
            B,
            L,
          ]),
          [1, 0, 2],
        ),
        tf.reshape(bs, [1, -1, 1]),
      );
    const fused = (zs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      channelMix(zs as tf.Tensor3D, ws as tf.Tensor2D, bs as tf.Tensor1D);
    expectAgree(fused, composed, [z, W, bias], 1e-5, 1e-3);
  });
});
