import { ValidationFailed } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { chunkFeatures, toOutputRate } from './chunking';
import { HissNetwork } from './hiss-network';

beforeAll(async () => {
  await selectBackend('cpu');
});

const rand = (n: number, seed: number) => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
};

describe('chunking', () => {
  it('with an identity low level, output k of sequence b is exactly chunk k of b (every step, every feature)', () => {
    const [B, Lc, r, F] = [3, 5, 4, 2];
    const xv = rand(B * Lc * r * F, 1);
    const out = chunkFeatures(tf.tensor3d(xv, [B, Lc * r, F]), r, (chunks) =>
      tf.reshape(chunks, [chunks.shape[0], r * F]),
    );
    expect(out.shape).toEqual([B, Lc, r * F]);
    const o = out.dataSync();
    for (let b = 0; b < B; b++)
      for (let k = 0; k < Lc; k++)
        for (let j = 0; j < r; j++)
          for (let f = 0; f < F; f++)
            expect(o[((b * Lc + k) * r + j) * F + f]).toBe(xv[(b * Lc * r + k * r + j) * F + f]);
  });

  it('toOutputRate: the chunk mean and the chunk last sample, as loops compute them', () => {
    const [B, Lc, r, F] = [2, 3, 5, 3];
    const xv = rand(B * Lc * r * F, 2);
    const x = tf.tensor3d(xv, [B, Lc * r, F]);
    const mean = toOutputRate(x, r, 'mean').dataSync();
    const last = toOutputRate(x, r, 'last').dataSync();
    for (let b = 0; b < B; b++)
      for (let k = 0; k < Lc; k++)
        for (let f = 0; f < F; f++) {
          let s = 0;
          for (let j = 0; j < r; j++) s += xv[(b * Lc * r + k * r + j) * F + f];
          expect(mean[(b * Lc + k) * F + f]).toBeCloseTo(s / r, 5);
          expect(last[(b * Lc + k) * F + f]).toBe(xv[(b * Lc * r + k * r + r - 1) * F + f]);
        }
  });

  it('refuses a length the ratio does not divide, naming ratio', () => {
    const x = tf.zeros([1, 10, 1]) as tf.Tensor3D;
    let err: unknown;
    try {
      toOutputRate(x, 3, 'mean');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as ValidationFailed).details[0].field).toBe('ratio');
  });
});

describe('HiSS network', () => {
  const [B, Lc, r, F] = [2, 6, 5, 3];
  let net: HissNetwork;
  beforeAll(() => {
    net = new HissNetwork(
      { features: F, outputs: 2, ratio: r },
      { lowWidth: 8, lowLayers: 2, highWidth: 8, highLayers: 2, stateSize: 8, dropout: 0.1, seed: 3 },
    );
  });
  afterAll(() => net.params.dispose());
  const xv = rand(B * Lc * r * F, 4);

  it('a chunk feature depends on its own chunk only; outputs <= k do not see inputs after chunk k', () => {
    const k = 2;
    const changed = xv.slice();
    // change every input of chunk k + 1 of both sequences
    for (let b = 0; b < B; b++)
      for (let i = (k + 1) * r * F; i < (k + 2) * r * F; i++) changed[b * Lc * r * F + i] += 1.5;
    const run = (v: Float32Array) => {
      const x = tf.tensor3d(v, [B, Lc * r, F]);
      return { feats: net.chunkFeatures(x, false).dataSync(), out: net.forward(x, false).dataSync() };
    };
    const a = run(xv);
    const c = run(changed);
    const H = 8;
    const O = 2;
    for (let b = 0; b < B; b++)
      for (let j = 0; j < Lc; j++) {
        const fa = a.feats.slice((b * Lc + j) * H, (b * Lc + j + 1) * H);
        const fc = c.feats.slice((b * Lc + j) * H, (b * Lc + j + 1) * H);
        if (j === k + 1) expect(Math.max(...fa.map((v, i) => Math.abs(v - fc[i])))).toBeGreaterThan(1e-3);
        else expect(Array.from(fc)).toEqual(Array.from(fa));
        const oa = a.out.slice((b * Lc + j) * O, (b * Lc + j + 1) * O);
        const oc = c.out.slice((b * Lc + j) * O, (b * Lc + j + 1) * O);
        if (j <= k) for (let i = 0; i < O; i++) expect(oc[i]).toBeCloseTo(oa[i], 5);
      }
  });

  it('each weight is named once, and dropout only acts in training', () => {
    const x = tf.tensor3d(xv, [B, Lc * r, F]);
    expect(Array.from(net.forward(x, false).dataSync())).toEqual(
      Array.from(net.forward(x, false).dataSync()),
    );
    const t = net.forward(x, true).dataSync();
    const e = net.forward(x, false).dataSync();
    expect(Math.max(...t.map((v, i) => Math.abs(v - e[i])))).toBeGreaterThan(1e-4);
    const names = Object.keys(net.params.dump());
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('low.blocks.1.s4d.logDt');
    expect(names).toContain('high.blocks.0.linear.w');
  });
});
