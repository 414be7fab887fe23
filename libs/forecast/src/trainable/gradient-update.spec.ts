import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { ForecasterArtifact } from '../forecaster';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import { tinySpaceTime } from './tiny-spacetime';
import { TrainableForecaster } from './trainable-forecaster';

const A = simulateAr({ coefficients: [0.6, -0.2], length: 300, seed: 31 });
const B = simulateAr({ coefficients: [0.6, -0.2], length: 50, seed: 32 });

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('update of a trained forecaster', () => {
  it("AR-Net: one step is AdamW's first step on the MSE gradient of the windows ending in the new data (by hand)", async () => {
    const p = 3;
    const H = 2;
    const m = forecasterRegistry.create('ar-net', { lags: p, horizon: H, epochs: 2 }) as TrainableForecaster;
    await m.fit([[A]], undefined, testContext());
    const before = m.toArtifact().tensors;
    const W0 = Float64Array.from(before.weight.values);
    const b0 = Float64Array.from(before.bias.values);
    // the windows: the tail of A (p + H - 1 values) joined to B, one per new value
    const joined = Float64Array.from([...A.subarray(A.length - (p + H - 1)), ...B]);
    const n = joined.length - (p + H) + 1;
    expect(n).toBe(B.length);
    // gradient of mean((X W + b - Y)^2) over n x H, in Float64
    const gW = new Float64Array(p * H);
    const gb = new Float64Array(H);
    for (let r = 0; r < n; r++) {
      for (let j = 0; j < H; j++) {
        let pred = b0[j];
        for (let i = 0; i < p; i++) pred += joined[r + i] * W0[i * H + j];
        const e = (2 * (pred - joined[r + p + j])) / (n * H);
        gb[j] += e;
        for (let i = 0; i < p; i++) gW[i * H + j] += e * joined[r + i];
      }
    }
    const lr = 1e-3;
    // AdamW's first step: m_hat = g, v_hat = g^2, so the step is lr g / (|g| + 1e-8)
    const step = (w: number, g: number) => w - (lr * g) / (Math.abs(g) + 1e-8);
    const report = await m.update([[B]], testContext(), { steps: 1, learningRate: lr });
    expect(report).toMatchObject({ windows: n, steps: 1 });
    const after = m.toArtifact().tensors;
    after.weight.values.forEach((w, k) => expect(Math.abs(w - step(W0[k], gW[k]))).toBeLessThan(2e-6));
    after.bias.values.forEach((b, k) => expect(Math.abs(b - step(b0[k], gb[k]))).toBeLessThan(2e-6));
    // predict reads the updated weights
    const y = A.subarray(A.length - p);
    let expected = after.bias.values[0];
    for (let i = 0; i < p; i++) expected += after.weight.values[i * H] * y[i];
    expect(m.predict([y], 1).at(0)).toBeCloseTo(expected, 5);
    m.dispose();
  });

  it('a model loaded from an artifact without tails (written before updates) steps on the windows of the new data alone', async () => {
    const m = forecasterRegistry.create('ar-net', { lags: 3, horizon: 2, epochs: 1 });
    await m.fit([[A]], undefined, testContext());
    const { tails, ...oldState } = m.toArtifact().state;
    expect(tails).toBeDefined();
    const old = forecasterRegistry.fromArtifact({ ...m.toArtifact(), state: oldState });
    expect((await old.update([[B]])).windows).toBe(B.length - 5 + 1);
    expect((await m.update([[B]])).windows).toBe(B.length);
    m.dispose();
    old.dispose();
  });

  it('SpaceTime: a reloaded model updates exactly like the live one, and the steps lower the error on the new windows', async () => {
    const config = tinySpaceTime;
    const before = tf.memory().numTensors;
    const live = forecasterRegistry.create('spacetime', config) as TrainableForecaster;
    await live.fit([[A]], undefined, testContext());
    const a: ForecasterArtifact = live.toArtifact();
    const reloaded = forecasterRegistry.fromArtifact({
      ...a,
      state: JSON.parse(JSON.stringify(a.state)),
    }) as TrainableForecaster;
    // a new regime: the error on its windows is what the steps reduce
    const shifted = B.map((v) => v + 2);
    const error = () => {
      const ctx = Float32Array.from([...A.subarray(A.length - 16), ...shifted.subarray(0, 30)]);
      let se = 0;
      for (let t = 16; t + 4 <= ctx.length; t++) {
        const f = live.predict([ctx.subarray(0, t)], 4).channel(0);
        for (let j = 0; j < 4; j++) se += (f[j] - ctx[t + j]) ** 2;
      }
      return se;
    };
    const errorBefore = error();
    await live.update([[shifted]], testContext(), { steps: 20, learningRate: 1e-2 });
    await reloaded.update([[shifted]], testContext(), { steps: 20, learningRate: 1e-2 });
    expect(error()).toBeLessThan(0.8 * errorBefore);
    const x = live.toArtifact().tensors;
    const y = reloaded.toArtifact().tensors;
    for (const name of Object.keys(x)) expect(Array.from(y[name].values)).toEqual(Array.from(x[name].values));
    live.dispose();
    reloaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
