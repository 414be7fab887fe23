import { forecasterRegistry, simulateAr, tinySpaceTime, type Forecaster } from '@seqcast/forecast';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { frozenForecast, scaleOf } from './frozen-forecast';
import { adapterRegistry } from './registry';
import './methods';

// Every adapter around every forecaster kind of the zoo: before any update the adapted
// forecast is the model's own predict (an outside truth: the served forecast), and a stream
// of observations makes each adapter take steps that change its forecast, never reading a
// label not yet observed.

const configs: Record<string, Record<string, unknown>> = {
  naive: {},
  'seasonal-naive': { seasonLength: 4 },
  drift: { window: 6 },
  'classic-ar': { order: 3, ridge: 0.01 },
  dlinear: { lookback: 12, horizon: 4, movingAverage: 5 },
  nlinear: { lookback: 12, horizon: 4 },
  linear: { lookback: 12, horizon: 4 },
  'ar-net': { lags: 6, horizon: 2, maxHorizon: 4, epochs: 2 },
  spacetime: tinySpaceTime,
  ls4: { lookback: 12, horizon: 4, dModel: 4, stateSize: 4, layers: 1, zDim: 2, epochs: 1, samples: 4 },
};
const H = 4;
const y = simulateAr({ coefficients: [0.6, -0.2], length: 400, seed: 5 });
const ctx = { signal: new AbortController().signal, progress: () => undefined };
const models = new Map<string, Forecaster>();

beforeAll(async () => {
  await selectBackend('cpu');
  for (const [kind, config] of Object.entries(configs)) {
    const m = forecasterRegistry.create(kind, config);
    await m.fit([[y.slice(0, 300)]], undefined, ctx);
    models.set(kind, m);
  }
}, 60000);
afterAll(() => models.forEach((m) => m.dispose()));

it('covers every kind of the registry', () => {
  // adapters back-propagate through the model's forward: the kinds that declare one
  const differentiable = forecasterRegistry.kinds().filter((k) => forecasterRegistry.can(k, 'differentiable'));
  expect(Object.keys(configs).sort()).toEqual(differentiable.sort());
});

describe.each(Object.keys(configs))('%s', (kind) => {
  it.each(['tafas', 'petsa', 'onenet'])(
    '%s starts as the model and adapts from observed values only',
    (method) => {
      const m = models.get(kind)!;
      const L = Math.max(m.lookback, 8);
      const start = [y.slice(300 - L, 300)];
      const scale = scaleOf(start);
      const frozen = frozenForecast(
        (x, h) => m.forward(x, h),
        { lookback: m.lookback, channels: 1, maxHorizon: m.maxHorizon },
        scale,
      );
      const a = adapterRegistry.create(
        method,
        { lr: 0.01, ...(method === 'onenet' ? {} : { period: 3 }) },
        { frozen, horizon: H, scale },
      );
      try {
        a.start(start);
        const own = m.predict(start, H).channel(0);
        a.forecast()[0].forEach((v, h) => expect(v).toBeCloseTo(own[h], 4));
        let steps = 0;
        for (let t = 300; t < 330; t++) {
          const ups = a.observe([[y[t]]], a.next);
          for (const u of ups) expect(u.labels[1]).toBeLessThan(a.next);
          steps += ups.length;
        }
        expect(steps).toBeGreaterThan(0);
        const later = a.forecast()[0];
        const frozenLater = m.predict([y.slice(330 - L, 330)], H).channel(0);
        expect(later.every(Number.isFinite)).toBe(true);
        expect(Math.max(...later.map((v, h) => Math.abs(v - frozenLater[h])))).toBeGreaterThan(0);
      } finally {
        a.dispose();
      }
      expect(tf.memory().numTensors).toBeLessThan(10_000);
    },
  );
});
