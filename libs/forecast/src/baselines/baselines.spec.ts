import { Unprocessable, ValidationFailed } from '@seqcast/core';
import { qrLeastSquares } from '@seqcast/numeric';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { laggedDesign, testContext } from '../testing/fixtures';
import { ClassicArForecaster } from './classic-ar';
import { DLinearForecaster, movingAverageMatrix } from './dlinear';
import { NLinearForecaster } from './nlinear';

const ctx = testContext();
const f32 = (a: number[]) => Float32Array.from(a);

describe('naive, seasonal naive, drift (closed forms)', () => {
  const history = f32([3, 1, 4, 1, 5, 9, 2, 6]);

  it('naive repeats the last value', () => {
    const m = forecasterRegistry.create('naive');
    expect(Array.from(m.predict([history], 3).channel(0))).toEqual([6, 6, 6]);
  });

  it('seasonal naive repeats the last season: y_{T+h} = y_{T+h-m*ceil(h/m)}', () => {
    const m = forecasterRegistry.create('seasonal-naive', { seasonLength: 3 });
    // last season is [9, 2, 6]
    expect(Array.from(m.predict([history], 7).channel(0))).toEqual([9, 2, 6, 9, 2, 6, 9]);
  });

  it('drift extends the line through the first and last values of the window', () => {
    const whole = forecasterRegistry.create('drift');
    const slope = (6 - 3) / 7;
    const got = whole.predict([history], 3).channel(0);
    [1, 2, 3].forEach((h, i) => expect(got[i]).toBeCloseTo(6 + h * slope, 5));
    const windowed = forecasterRegistry.create('drift', { window: 3 });
    const got3 = windowed.predict([history], 2).channel(0);
    expect(got3[0]).toBeCloseTo(6 + (6 - 9) / 2, 5);
    expect(got3[1]).toBeCloseTo(6 + (2 * (6 - 9)) / 2, 5);
  });

  it('forecasts every channel of a multivariate context', () => {
    const m = forecasterRegistry.create('naive');
    const f = m.predict([history, history.map((v) => v * 2)], 2);
    expect(f.channels).toBe(2);
    expect(Array.from(f.channel(1))).toEqual([12, 12]);
  });

  it('rejects NaN, short contexts and long horizons with Unprocessable naming the field', () => {
    const m = forecasterRegistry.create('seasonal-naive', { seasonLength: 24, maxHorizon: 48 });
    expect(() => m.predict([f32([1, 2, 3])], 1)).toThrow(Unprocessable);
    expect(() => m.predict([new Float32Array(30)], 49)).toThrow(
      /beyond this seasonal-naive model's limit of 48/,
    );
    const bad = new Float32Array(30);
    bad[7] = NaN;
    try {
      m.predict([bad], 1);
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(Unprocessable);
      expect((e as Unprocessable).details[0]).toMatchObject({ field: 'context[0]', row: 8 });
    }
  });
});

describe('Classic-AR', () => {
  const truth = [0.5, -0.3, 0.2];
  const y = simulateAr({ coefficients: truth, length: 2000, noiseStd: 1, intercept: 0.7, seed: 11 });

  it('equals the least-squares solution of an independent Householder QR solve', async () => {
    const m = new ClassicArForecaster({ order: 3, ridge: 0, maxHorizon: 100 });
    await m.fit([[y]], undefined, ctx);
    const d = laggedDesign(y, 3);
    const w = qrLeastSquares(d.x, d.rows, d.cols, d.target);
    const { lags, intercept } = m.coefficients();
    expect(intercept).toBeCloseTo(w[0], 6);
    for (let i = 0; i < 3; i++) expect(lags[i]).toBeCloseTo(w[1 + i], 6);
    // and the recursive forecast is the recurrence with those numbers
    const f = m.predict([y], 2).channel(0);
    const T = y.length;
    const y1 = w[0] + w[1] * y[T - 1] + w[2] * y[T - 2] + w[3] * y[T - 3];
    const y2 = w[0] + w[1] * y1 + w[2] * y[T - 1] + w[3] * y[T - 2];
    expect(f[0]).toBeCloseTo(y1, 4);
    expect(f[1]).toBeCloseTo(y2, 4);
  });

  it('says clearly when the series is too short for its order', async () => {
    const m = new ClassicArForecaster({ order: 50, ridge: 0, maxHorizon: 10 });
    await expect(m.fit([[y.subarray(0, 60)]], undefined, ctx)).rejects.toThrow(ValidationFailed);
  });
});

/** Independent ridge: QR on the centred design stacked on sqrt(n lambda) I. */
function ridgeByQr(
  features: Float64Array[],
  targets: Float64Array[],
  ridge: number,
): { w: Float64Array[]; b: Float64Array } {
  const n = features.length;
  const F = features[0].length;
  const H = targets[0].length;
  const mf = new Float64Array(F);
  const my = new Float64Array(H);
  features.forEach((f) => f.forEach((v, i) => (mf[i] += v / n)));
  targets.forEach((t) => t.forEach((v, j) => (my[j] += v / n)));
  let trace = 0;
  for (let i = 0; i < F; i++) for (const f of features) trace += (f[i] - mf[i]) ** 2 / n;
  const lambda = (ridge * trace) / F;
  const rows = n + F;
  const x = new Float64Array(rows * F);
  features.forEach((f, r) => f.forEach((v, i) => (x[r * F + i] = v - mf[i])));
  for (let i = 0; i < F; i++) x[(n + i) * F + i] = Math.sqrt(n * lambda);
  const w: Float64Array[] = [];
  const b = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    const t = new Float64Array(rows);
    targets.forEach((tt, r) => (t[r] = tt[j] - my[j]));
    const wj = qrLeastSquares(x, rows, F, t);
    w.push(wj);
    b[j] = my[j] - wj.reduce((s, v, i) => s + v * mf[i], 0);
  }
  return { w, b };
}

describe('DLinear and NLinear (closed-form ridge)', () => {
  const L = 12;
  const H = 3;
  const series = simulateAr({ coefficients: [0.6, 0.2], length: 300, seed: 5 }).map((v, t) => v + 0.01 * t);

  function windowsOf(y: Float32Array) {
    const xs: Float64Array[] = [];
    const ys: Float64Array[] = [];
    for (let s = 0; s + L + H <= y.length; s++) {
      xs.push(Float64Array.from(y.subarray(s, s + L)));
      ys.push(Float64Array.from(y.subarray(s + L, s + L + H)));
    }
    return { xs, ys };
  }

  it('NLinear equals ridge on (x - x_last) -> (y - x_last) solved independently', async () => {
    const m = new NLinearForecaster({ lookback: L, horizon: H, ridge: 1e-3 });
    await m.fit([[series]], undefined, ctx);
    const { xs, ys } = windowsOf(series);
    const feats = xs.map((x) => x.map((v) => v - x[L - 1]));
    const targs = ys.map((y, r) => y.map((v) => v - xs[r][L - 1]));
    const ref = ridgeByQr(feats, targs, 1e-3);
    const ctxWin = series.subarray(series.length - L);
    const got = m.predict([ctxWin], H).channel(0);
    for (let j = 0; j < H; j++) {
      const want =
        ref.b[j] + ctxWin[L - 1] + ref.w[j].reduce((s, w, i) => s + w * (ctxWin[i] - ctxWin[L - 1]), 0);
      expect(got[j]).toBeCloseTo(want, 4);
    }
  });

  it('DLinear equals ridge on [seasonal, trend] features solved independently', async () => {
    const m = new DLinearForecaster({
      lookback: L,
      horizon: H,
      movingAverage: 5,
      ridge: 1e-2,
      ridgeSearch: false,
    });
    await m.fit([[series]], undefined, ctx);
    const T = movingAverageMatrix(L, 5);
    const feature = (x: ArrayLike<number>) => {
      const f = new Float64Array(2 * L);
      for (let t = 0; t < L; t++) {
        let trend = 0;
        for (let s = 0; s < L; s++) trend += T[t * L + s] * x[s];
        f[t] = x[t] - trend;
        f[L + t] = trend;
      }
      return f;
    };
    const { xs, ys } = windowsOf(series);
    const ref = ridgeByQr(xs.map(feature), ys, 1e-2);
    const ctxWin = series.subarray(series.length - L);
    const fx = feature(ctxWin);
    const got = m.predict([ctxWin], H).channel(0);
    for (let j = 0; j < H; j++)
      expect(got[j]).toBeCloseTo(ref.b[j] + ref.w[j].reduce((s, w, i) => s + w * fx[i], 0), 4);
  });

  it('moving average pads by repeating the edge values', () => {
    const T = movingAverageMatrix(4, 3);
    // trend_0 = (x0 + x0 + x1)/3
    expect(T[0]).toBeCloseTo(2 / 3);
    expect(T[1]).toBeCloseTo(1 / 3);
    // rows sum to one
    for (let t = 0; t < 4; t++)
      expect(T.subarray(t * 4, t * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });
});
