import { gelu as geluScalar } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { gradientCheck, maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { S4DBlock } from './s4d-block';
import { directS4D, weightArrays } from './s4d-direct';

/** The block in eval mode written out in float64: LayerNorm, S4D recurrence, GELU, Linear, GLU, residual. */
function directBlock(block: S4DBlock, x: Float32Array, B: number, L: number): Float64Array {
  const H = block.channels;
  const gamma = block.norm.gamma.dataSync();
  const beta = block.norm.beta.dataSync();
  const W = block.linear.w.dataSync();
  const bias = block.linear.b.dataSync();
  const z = new Float64Array(B * H * L);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < L; t++) {
      let mean = 0;
      for (let h = 0; h < H; h++) mean += x[(b * H + h) * L + t] / H;
      let v = 0;
      for (let h = 0; h < H; h++) v += (x[(b * H + h) * L + t] - mean) ** 2 / H;
      for (let h = 0; h < H; h++)
        z[(b * H + h) * L + t] = ((x[(b * H + h) * L + t] - mean) / Math.sqrt(v + 1e-5)) * gamma[h] + beta[h];
    }
  const s = directS4D(weightArrays(block.s4d.weights), z, B, L).y.map(geluScalar);
  const out = new Float64Array(B * H * L);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < L; t++)
      for (let e = 0; e < H; e++) {
        let a = bias[e];
        let g = bias[H + e];
        for (let h = 0; h < H; h++) {
          a += W[e * H + h] * s[(b * H + h) * L + t];
          g += W[(H + e) * H + h] * s[(b * H + h) * L + t];
        }
        out[(b * H + e) * L + t] = x[(b * H + e) * L + t] + a / (1 + Math.exp(-g));
      }
  return out;
}

describe('S4D prenorm residual block', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(29);

  it('eval mode equals the block written out in float64, and is deterministic', () => {
    const [B, H, L] = [2, 4, 33];
    const block = new S4DBlock({ channels: H, stateSize: 16, dropout: 0.3, seed: 3 });
    const xv = randomArray(B * H * L, rand);
    const x = tf.tensor3d(xv, [B, H, L]);
    const y1 = block.forward(x).dataSync();
    const y2 = block.forward(x, { training: false }).dataSync();
    expect(Array.from(y1)).toEqual(Array.from(y2));
    expect(maxAbsDiff(y1, directBlock(block, xv, B, L))).toBeLessThan(1e-5);
    block.dispose();
  });

  it('with the S4D output zeroed (C = 0, D = 0) the block is x + GLU(bias), and x itself when the bias is zero too', () => {
    const [B, H, L] = [2, 3, 10];
    const block = new S4DBlock({ channels: H, stateSize: 8, dropout: 0.5, seed: 4 });
    const v = block.s4d.namedVariables();
    for (const name of ['cRe', 'cIm', 'd'] as const) v[name].assign(tf.zerosLike(v[name]));
    const xv = randomArray(B * H * L, rand);
    const x = tf.tensor3d(xv, [B, H, L]);
    const bias = block.linear.b.dataSync();
    const y = block.forward(x).dataSync();
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let t = 0; t < L; t++) {
          const i = (b * H + h) * L + t;
          expect(y[i]).toBeCloseTo(xv[i] + bias[h] / (1 + Math.exp(-bias[H + h])), 6);
        }
    block.linear.b.assign(tf.zeros([2 * H]));
    expect(Array.from(block.forward(x).dataSync())).toEqual(Array.from(xv));
    expect(Array.from(block.forward(x, { training: true }).dataSync())).toEqual(Array.from(xv));
    block.dispose();
  });

  it('training-mode dropout is seeded and drops whole channels along the sequence', () => {
    const [B, H, L] = [4, 8, 12];
    const make = () => new S4DBlock({ channels: H, stateSize: 8, dropout: 0.5, seed: 11 });
    const [b1, b2] = [make(), make()];
    const x = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const xv = x.dataSync();
    const t1 = b1.forward(x, { training: true }).dataSync();
    expect(Array.from(b2.forward(x, { training: true }).dataSync())).toEqual(Array.from(t1));
    expect(maxAbsDiff(t1, b1.forward(x).dataSync())).toBeGreaterThan(1e-3);
    // the last dropout acts before the residual add: a dropped (sample, channel) is x at every step
    let dropped = 0;
    for (let r = 0; r < B * H; r++) {
      const same = Array.from({ length: L }, (_, t) => t1[r * L + t] === xv[r * L + t]);
      expect(same.every((s) => s === same[0])).toBe(true);
      if (same[0]) dropped++;
    }
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThan(B * H);
    b1.dispose();
    b2.dispose();
  });

  it('step-by-step and scan equal the convolution forward, carrying state', () => {
    const [B, H, L] = [2, 3, 20];
    const block = new S4DBlock({ channels: H, stateSize: 8, seed: 5 });
    const x = tf.tensor3d(randomArray(B * H * L, rand), [B, H, L]);
    const conv = block.forward(x).dataSync();
    const first = block.scan(tf.slice(x, [0, 0, 0], [B, H, 12]) as tf.Tensor3D);
    let state = first.state;
    const ys: tf.Tensor[] = [first.y];
    for (let t = 12; t < L; t++) {
      const r = block.step(state, tf.squeeze(tf.slice(x, [0, 0, t], [B, H, 1]), [2]) as tf.Tensor2D);
      ys.push(tf.expandDims(r.y, 2));
      state = r.state;
    }
    expect(maxAbsDiff(tf.concat(ys, 2).dataSync(), conv)).toBeLessThan(1e-5);
    block.dispose();
  });

  it('gradients in the input and every trainable weight agree with finite differences', () => {
    const [B, H, L] = [2, 3, 9];
    const block = new S4DBlock({ channels: H, stateSize: 4, seed: 6 });
    const own = seededRandom(31);
    const x = tf.tensor3d(randomArray(B * H * L, own), [B, H, L]);
    const errs = gradientCheck((xi) => block.forward(xi as tf.Tensor3D), [x], { eps: 1e-2 });
    expect(errs[0]).toBeLessThan(5e-3);
    // the weights: tf.variableGrads against central differences along a random direction each
    const wOut = tf.tensor3d(randomArray(B * H * L, own), [B, H, L]);
    const loss = () => tf.sum(tf.mul(block.forward(x), wOut)) as tf.Scalar;
    const vars = block.trainableVariables;
    const { grads } = tf.variableGrads(loss, vars);
    const eps = 1e-2;
    for (const v of vars) {
      const dir = tf.tensor(randomArray(v.size, own), v.shape);
      const base = tf.clone(v);
      v.assign(tf.add(base, tf.mul(dir, eps)));
      const plus = loss().dataSync()[0];
      v.assign(tf.sub(base, tf.mul(dir, eps)));
      const minus = loss().dataSync()[0];
      v.assign(base);
      const numeric = (plus - minus) / (2 * eps);
      const g = grads[v.name];
      const analytic = tf.sum(tf.mul(g, dir)).dataSync()[0];
      const scale = Math.sqrt(tf.sum(tf.square(g)).dataSync()[0] * tf.sum(tf.square(dir)).dataSync()[0]);
      expect(Math.abs(numeric - analytic) / (scale + 1e-12)).toBeLessThan(5e-3);
    }
    block.dispose();
  });
});
