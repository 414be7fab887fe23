import { Rng, selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { Forecaster } from '../forecaster';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import { tinySpaceTime } from './tiny-spacetime';
import { TrainableForecaster } from './trainable-forecaster';

// Every kind's forward against two outside truths: its own predict (the same forecasts
// on the same contexts) and central finite differences of a scalar loss (gradients with
// respect to the context, and to the weights of trained models).

const configs: Record<string, Record<string, unknown>> = {
  naive: {},
  'seasonal-naive': { seasonLength: 4 },
  drift: { window: 6 },
  'classic-ar': { order: 3, ridge: 0.01 },
  dlinear: { lookback: 12, horizon: 3, movingAverage: 5 },
  nlinear: { lookback: 12, horizon: 3 },
  linear: { lookback: 12, horizon: 3 },
  'ar-net': { lags: 6, horizon: 2, maxHorizon: 5, epochs: 2 },
  spacetime: tinySpaceTime,
  ls4: {
    lookback: 12,
    horizon: 3,
    maxHorizon: 5,
    dModel: 8,
    stateSize: 4,
    layers: 1,
    zDim: 2,
    epochs: 10,
    batchSize: 32,
    learningRate: 3e-2,
    emaDecay: 0,
    samples: 4,
  },
};

const B = 2;
const T = 20;
const C = 2;
const y1 = simulateAr({ coefficients: [0.6, -0.2], length: 300, seed: 11 });
const y2 = simulateAr({ coefficients: [0.4, 0.3], length: 300, seed: 12 });
// contexts [b][c]: windows of the two series at two origins
const contexts = [0, 1].map((b) => [y1, y2].map((y) => y.slice(100 + 37 * b, 100 + 37 * b + T)));
const contextValues = new Float32Array(B * T * C);
contexts.forEach((s, b) =>
  s.forEach((ch, c) => ch.forEach((v, t) => (contextValues[(b * T + t) * C + c] = v))),
);

const models = new Map<string, Forecaster>();

beforeAll(async () => {
  await selectBackend('cpu');
  for (const [kind, config] of Object.entries(configs)) {
    const m = forecasterRegistry.create(kind, config);
    await m.fit([[y1, y2]], undefined, testContext());
    models.set(kind, m);
  }
}, 120_000);

afterAll(() => models.forEach((m) => m.dispose()));

const horizonOf = (m: Forecaster) => Math.min(m.maxHorizon, 5);

/** A fixed random weighting, so the scalar loss reads every output. */
function lossWeights(m: Forecaster): tf.Tensor3D {
  const H = horizonOf(m);
  const rng = new Rng(5);
  return tf.tensor3d(
    Float32Array.from({ length: B * H * C }, () => rng.normal()),
    [B, H, C],
  );
}

function lossAt(m: Forecaster, x: tf.Tensor3D, w: tf.Tensor3D): tf.Scalar {
  return tf.sum(tf.mul(m.forward(x, horizonOf(m)), w)) as tf.Scalar;
}

function lossValue(m: Forecaster, values: Float32Array, w: tf.Tensor3D): number {
  return tf.tidy(() => lossAt(m, tf.tensor3d(values, [B, T, C]), w).dataSync()[0]);
}

/** max |a - b| over max(floor, max |b|) (float32 central differences agree to ~1e-5 absolute here). */
function relativeGap(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1): number {
  let scale = floor;
  let gap = 0;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < b.length; i++) gap = Math.max(gap, Math.abs(a[i] - b[i]));
  return gap / scale;
}

describe.each(Object.keys(configs))('%s forward', (kind) => {
  it('equals predict on the same contexts', () => {
    const m = models.get(kind)!;
    const H = horizonOf(m);
    const out = tf.tidy(() => m.forward(tf.tensor3d(contextValues, [B, T, C]), H));
    expect(out.shape).toEqual([B, H, C]);
    const values = out.dataSync();
    out.dispose();
    contexts.forEach((s, b) => {
      const point = m.predict(s, H).point();
      for (let c = 0; c < C; c++)
        for (let h = 0; h < H; h++)
          expect(Math.abs(values[(b * H + h) * C + c] - point[c][h])).toBeLessThan(
            1e-4 * (1 + Math.abs(point[c][h])),
          );
    });
  });

  it('has the gradient of central finite differences with respect to the context', () => {
    const m = models.get(kind)!;
    const w = lossWeights(m);
    const x = tf.tensor3d(contextValues, [B, T, C]);
    const g = tf.grad((v: tf.Tensor) => lossAt(m, v as tf.Tensor3D, w))(x);
    const analytic = g.dataSync().slice();
    tf.dispose([g, x]);
    const eps = 1e-2;
    const numeric = new Float64Array(analytic.length);
    for (let i = 0; i < analytic.length; i++) {
      const plus = contextValues.slice();
      const minus = contextValues.slice();
      plus[i] += eps;
      minus[i] -= eps;
      numeric[i] = (lossValue(m, plus, w) - lossValue(m, minus, w)) / (2 * eps);
    }
    w.dispose();
    // the forecast reads the context: some gradient is far from zero
    expect(Math.max(...Array.from(numeric, Math.abs))).toBeGreaterThan(0.1);
    expect(relativeGap(analytic, numeric)).toBeLessThan(5e-4);
  });
});

describe.each(['ar-net', 'spacetime'])('%s forward', (kind) => {
  it('has the gradient of central finite differences with respect to every weight tensor', () => {
    const m = models.get(kind) as TrainableForecaster;
    const w = lossWeights(m);
    const x = tf.tensor3d(contextValues, [B, T, C]);
    const { grads } = tf.variableGrads(() => lossAt(m, x, w), m.variables);
    const eps = 1e-2;
    for (const v of m.variables) {
      const analytic = grads[v.name].dataSync();
      const original = v.dataSync().slice();
      // up to four entries of each weight tensor, spread over it
      const picks = [...new Set([0, Math.floor(v.size / 3), Math.floor((2 * v.size) / 3), v.size - 1])];
      const an: number[] = [];
      const fd: number[] = [];
      for (const i of picks) {
        const at = (delta: number) => {
          const values = original.slice();
          values[i] += delta;
          tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
          return tf.tidy(() => lossAt(m, x, w).dataSync()[0]);
        };
        fd.push((at(eps) - at(-eps)) / (2 * eps));
        an.push(analytic[i]);
      }
      tf.tidy(() => v.assign(tf.tensor(original, v.shape)));
      // every weight tensor moves the loss, and its gradient matches (relative to its size)
      expect(Math.max(...fd.map(Math.abs))).toBeGreaterThan(1e-3);
      expect({ name: v.name, gap: relativeGap(an, fd, 0) < 1e-2 }).toEqual({ name: v.name, gap: true });
    }
    tf.dispose([x, w, ...Object.values(grads)]);
  });
});

it('covers every registered differentiable kind', () => {
  // statistical kinds (ets, theta) and ensembles declare no differentiable forward
  const differentiable = forecasterRegistry.kinds().filter((k) => forecasterRegistry.can(k, 'differentiable'));
  expect(differentiable.filter((k) => !(k in configs))).toEqual([]);
});
