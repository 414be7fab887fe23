import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import type { Series } from '../types';
import { ScaledForecaster } from './scaled-forecaster';

// The pipeline's forward on a known series is the served model: it equals predictSeries
// (which scales by the scales fitted in training), and its gradient with respect to the
// context is that of central finite differences. Adapters back-propagate through it.

const kinds: Record<string, Record<string, unknown>> = {
  nlinear: { lookback: 12, horizon: 3 },
  'classic-ar': { order: 3, ridge: 0.01 },
  'ar-net': { lags: 6, horizon: 3, epochs: 2 },
};

const B = 3;
const T = 12;
const C = 2;
const H = 3;
const ar = (seed: number, offset: number, scale: number) =>
  Float32Array.from(simulateAr({ coefficients: [0.6, -0.2], length: 240, seed }), (v) => offset + scale * v);
// two series, two channels each, far apart in level and spread
const series: Record<string, Series> = {
  a: [ar(11, 20, 2), ar(12, -5, 0.5)],
  b: [ar(13, -3, 0.3), ar(14, 8, 4)],
};
// rows: a known 'a' context, a known 'b' context, and a context whose scale is its own
const rowKeys = ['a', 'b', undefined] as const;
const contexts: Series[] = [
  series.a.map((ch) => ch.slice(190, 190 + T)),
  series.b.map((ch) => ch.slice(200, 200 + T)),
  series.a.map((ch) => ch.slice(170, 170 + T)),
];
const values = new Float32Array(B * T * C);
contexts.forEach((s, b) => s.forEach((ch, c) => ch.forEach((v, t) => (values[(b * T + t) * C + c] = v))));

const spread = contexts.map((s) =>
  s.map((ch) => {
    const m = ch.reduce((a, v) => a + v, 0) / T;
    return Math.sqrt(ch.reduce((a, v) => a + (v - m) ** 2, 0) / T);
  }),
);

const pipelines = new Map<string, ScaledForecaster>();

beforeAll(async () => {
  await selectBackend('cpu');
  for (const [kind, config] of Object.entries(kinds)) {
    const p = new ScaledForecaster(forecasterRegistry.create(kind, config));
    // scales on the first 150 rows, which the contexts lie beyond
    await p.fitSeries(
      Object.entries(series).map(([key, s]) => ({ key, train: s.map((ch) => ch.slice(0, 150)) })),
      testContext(),
    );
    pipelines.set(kind, p);
  }
}, 120_000);

afterAll(() => pipelines.forEach((p) => p.dispose()));

const forwardValues = (p: ScaledForecaster, x: Float32Array, keys: ReadonlyArray<string | undefined>) =>
  tf.tidy(() =>
    p
      .forward(tf.tensor3d(x, [B, T, C]), H, keys)
      .dataSync()
      .slice(),
  );

/** The served forecast of each row: predictSeries with the row's key (none: its own scale). */
function served(p: ScaledForecaster): number[][][] {
  return contexts.map((history, b) =>
    p
      .predictSeries({ seriesKey: rowKeys[b], history, horizon: H })
      .point()
      .map((ch) => Array.from(ch)),
  );
}

describe.each(Object.keys(kinds))('%s in its pipeline: forward with series keys', (kind) => {
  it('equals predictSeries of each row to float32 precision, fitted scales for known keys', () => {
    const p = pipelines.get(kind)!;
    const got = forwardValues(p, values, rowKeys);
    const want = served(p);
    let gap = 0;
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++)
        for (let c = 0; c < C; c++) {
          const w = want[b][c][h];
          gap = Math.max(gap, Math.abs(got[(b * H + h) * C + c] - w) / Math.max(1, Math.abs(w)));
        }
    // float32 scaling here, float64 in predictSeries: a few float32 ulps of the data's level
    expect(gap).toBeLessThan(1e-6);
    // one key for every row: the first row is the same, the others take 'a''s scales
    const allA = forwardValues(p, values, ['a', 'a', 'a']);
    const one = tf.tidy(() =>
      p
        .forward(tf.tensor3d(values, [B, T, C]), H, 'a')
        .dataSync()
        .slice(),
    );
    expect(Array.from(one)).toEqual(Array.from(allA));
    expect(Array.from(one.subarray(0, H * C))).toEqual(Array.from(got.subarray(0, H * C)));
  });

  it('differs from the unkeyed forward on a known series exactly as the served forecast does', () => {
    const p = pipelines.get(kind)!;
    const keyed = forwardValues(p, values, ['b', 'b', 'b']);
    const own = forwardValues(p, values, [undefined, undefined, undefined]);
    const unkeyed = tf.tidy(() =>
      p
        .forward(tf.tensor3d(values, [B, T, C]), H)
        .dataSync()
        .slice(),
    );
    expect(Array.from(own)).toEqual(Array.from(unkeyed));
    // the 'b' row: its fitted scales are not its context's moments, and the forecasts show it
    const b = contexts[1];
    const byOwn = p.predict(b, H).point();
    const byFitted = p.predictSeries({ seriesKey: 'b', history: b, horizon: H }).point();
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++) {
        const i = (1 * H + h) * C + c;
        expect(Math.abs(own[i] - byOwn[c][h])).toBeLessThan(1e-5 * Math.max(1, Math.abs(byOwn[c][h])));
        expect(Math.abs(keyed[i] - byFitted[c][h])).toBeLessThan(
          1e-5 * Math.max(1, Math.abs(byFitted[c][h])),
        );
      }
    expect(Math.max(...Array.from(keyed, (v, i) => Math.abs(v - own[i])))).toBeGreaterThan(1e-3);
  });

  it('has the gradient of central finite differences with respect to the context', () => {
    const p = pipelines.get(kind)!;
    const rng = new Rng(5);
    const w = tf.tensor3d(
      Float32Array.from({ length: B * H * C }, () => rng.normal()),
      [B, H, C],
    );
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(p.forward(x as tf.Tensor3D, H, rowKeys), w)) as tf.Scalar;
    const lossOf = (x: Float32Array) => tf.tidy(() => loss(tf.tensor3d(x, [B, T, C])).dataSync()[0]);
    const x = tf.tensor3d(values, [B, T, C]);
    const g = tf.grad(loss)(x);
    const analytic = g.dataSync().slice();
    tf.dispose([g, x]);
    const numeric = new Float64Array(analytic.length);
    for (let i = 0; i < analytic.length; i++) {
      // a step of a twentieth of the spread of that row's channel
      const eps = 0.05 * spread[Math.floor(i / (T * C))][i % C];
      const plus = values.slice();
      const minus = values.slice();
      plus[i] += eps;
      minus[i] -= eps;
      numeric[i] = (lossOf(plus) - lossOf(minus)) / (plus[i] - minus[i]);
    }
    w.dispose();
    let scale = 1;
    let gap = 0;
    for (let i = 0; i < numeric.length; i++) scale = Math.max(scale, Math.abs(numeric[i]));
    for (let i = 0; i < numeric.length; i++) gap = Math.max(gap, Math.abs(analytic[i] - numeric[i]));
    expect(Math.max(...Array.from(numeric, Math.abs))).toBeGreaterThan(0.1);
    // float32 central differences agree to about 1e-4 of the largest gradient here
    expect(gap / scale).toBeLessThan(5e-4);
  });
});

describe('the unkeyed forward', () => {
  it('scales a constant channel by std 1, as predict does, with a finite gradient', () => {
    const p = pipelines.get('nlinear')!;
    const values1 = Float32Array.from({ length: T * C }, (_, i) => (i % C === 0 ? 4 : Math.sin(i)));
    const x = tf.tensor3d(values1, [1, T, C]);
    const out = tf.tidy(() => p.forward(x, H).dataSync().slice());
    const g = tf.grad((v: tf.Tensor) => tf.sum(p.forward(v as tf.Tensor3D, H)) as tf.Scalar)(x);
    const grad = g.dataSync().slice();
    tf.dispose([g, x]);
    const context = [0, 1].map((c) => Float32Array.from({ length: T }, (_, t) => values1[t * C + c]));
    const want = p.predict(context, H).point();
    for (let h = 0; h < H; h++) for (let c = 0; c < C; c++) expect(out[h * C + c]).toBeCloseTo(want[c][h], 4);
    expect(grad.every(Number.isFinite)).toBe(true);
  });
});
