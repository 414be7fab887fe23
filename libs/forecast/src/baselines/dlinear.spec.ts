import { qrLeastSquares, Rng } from '@seqcast/numeric';
import { testContext } from '../testing/fixtures';
import { DLINEAR_RIDGE_GRID, DLinearForecaster } from './dlinear';
import { LinearForecaster } from './linear';

const ctx = testContext();
const L = 24;
const H = 6;
const K = 9;

/**
 * A series whose trend and season differ: a slow random-walk level plus a linear drift, a
 * period-12 season and noise. Seeded.
 */
function trendAndSeason(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  let level = 0;
  return Float32Array.from({ length: n }, (_, t) => {
    level += 0.05 * rng.normal();
    return level + 0.01 * t + 1.5 * Math.sin((2 * Math.PI * t) / 12) + 0.3 * rng.normal();
  });
}

/** DLinear's features written out: the moving average of the window padded by its edge values. */
function features(x: ArrayLike<number>): Float64Array {
  const half = (K - 1) / 2;
  const padded = [
    ...new Array<number>(half).fill(x[0]),
    ...Array.from(x),
    ...new Array<number>(half).fill(x[L - 1]),
  ];
  const f = new Float64Array(2 * L);
  for (let t = 0; t < L; t++) {
    let trend = 0;
    for (let j = 0; j < K; j++) trend += padded[t + j] / K;
    f[t] = x[t] - trend;
    f[L + t] = trend;
  }
  return f;
}

/**
 * The two-map model by least squares, independently: min (1/n) sum |y - b - W_s s - W_t t|^2 +
 * lambda (|W_s|^2 + |W_t|^2) with the intercept free, lambda = ridge x the mean feature variance,
 * solved by QR on the centred rows stacked over sqrt(n lambda) I. Returns the forecast of `context`.
 */
function twoMapRidge(series: Float32Array, ridge: number, context: Float32Array): number[] {
  const F = 2 * L;
  const fs: Float64Array[] = [];
  const ys: Float32Array[] = [];
  for (let s = 0; s + L + H <= series.length; s++) {
    fs.push(features(series.subarray(s, s + L)));
    ys.push(series.subarray(s + L, s + L + H));
  }
  const n = fs.length;
  const mf = new Float64Array(F);
  for (const f of fs) f.forEach((v, i) => (mf[i] += v / n));
  let trace = 0;
  for (const f of fs) f.forEach((v, i) => (trace += (v - mf[i]) ** 2 / n));
  const lambda = (ridge * trace) / F;
  const rows = n + F;
  const a = new Float64Array(rows * F);
  fs.forEach((f, r) => f.forEach((v, i) => (a[r * F + i] = v - mf[i])));
  for (let i = 0; i < F; i++) a[(n + i) * F + i] = Math.sqrt(n * lambda);
  const fc = features(context.subarray(context.length - L));
  return Array.from({ length: H }, (_, j) => {
    let my = 0;
    for (const y of ys) my += y[j] / n;
    const b = new Float64Array(rows);
    ys.forEach((y, r) => (b[r] = y[j] - my));
    const w = qrLeastSquares(a, rows, F, b);
    let out = my;
    for (let i = 0; i < F; i++) out += w[i] * (fc[i] - mf[i]);
    return out;
  });
}

/** Mean squared error of every horizon window of `valid` (as ChannelwiseForecaster scores validation). */
function validationMse(m: DLinearForecaster, valid: Float32Array): number {
  let se = 0;
  let count = 0;
  for (let t = L; t + H <= valid.length; t++) {
    const f = m.predict([valid.subarray(0, t)], H).channel(0);
    for (let j = 0; j < H; j++, count++) se += (f[j] - valid[t + j]) ** 2;
  }
  return se / count;
}

const series = trendAndSeason(400, 5);
const train = series.subarray(0, 300);
const valid = series.subarray(300 - L, 360);
const context = series.subarray(360 - L, 360);

describe('DLinear: trend and remainder, one map each, fitted jointly', () => {
  it('equals the least-squares fit of the two-map model with both maps penalised, solved independently', async () => {
    const m = new DLinearForecaster({
      lookback: L,
      horizon: H,
      movingAverage: K,
      ridge: 0.1,
      ridgeSearch: false,
    });
    await m.fit([[train]], undefined, ctx);
    const want = twoMapRidge(train, 0.1, context);
    const got = m.predict([context], H).channel(0);
    want.forEach((w, j) => expect(got[j]).toBeCloseTo(w, 4));
  });

  it('differs from Linear where trend and season differ; unpenalised, the two are the same model', async () => {
    const dl = new DLinearForecaster({
      lookback: L,
      horizon: H,
      movingAverage: K,
      ridge: 0.1,
      ridgeSearch: false,
    });
    const lin = new LinearForecaster({ lookback: L, horizon: H, ridge: 0.1 });
    await dl.fit([[train]], undefined, ctx);
    await lin.fit([[train]], undefined, ctx);
    const a = dl.predict([context], H).channel(0);
    const b = lin.predict([context], H).channel(0);
    const gap = Math.max(...Array.from(a, (v, j) => Math.abs(v - b[j])));
    // the series' std is about 1.5: the penalised maps disagree by a visible fraction of it
    expect(gap).toBeGreaterThan(0.05);
    // the window's trend/remainder split is an invertible recoding of it: without a penalty the
    // least-squares fits coincide (a vanishing ridge keeps DLinear's 2L features solvable)
    const dl0 = new DLinearForecaster({
      lookback: L,
      horizon: H,
      movingAverage: K,
      ridge: 1e-10,
      ridgeSearch: false,
    });
    const lin0 = new LinearForecaster({ lookback: L, horizon: H, ridge: 0 });
    await dl0.fit([[train]], undefined, ctx);
    await lin0.fit([[train]], undefined, ctx);
    const a0 = dl0.predict([context], H).channel(0);
    const b0 = lin0.predict([context], H).channel(0);
    a0.forEach((v, j) => expect(v).toBeCloseTo(b0[j], 3));
  });

  it('picks the penalty with the lowest validation error from the grid, and reports it for a refit', async () => {
    const m = new DLinearForecaster({
      lookback: L,
      horizon: H,
      movingAverage: K,
      ridge: 1e-4,
      ridgeSearch: true,
    });
    const report = await m.fit([[train]], [[valid]], ctx);
    const errors: number[] = [];
    for (const ridge of DLINEAR_RIDGE_GRID) {
      const fixed = new DLinearForecaster({
        lookback: L,
        horizon: H,
        movingAverage: K,
        ridge,
        ridgeSearch: false,
      });
      await fixed.fit([[train]], undefined, ctx);
      errors.push(validationMse(fixed, valid));
    }
    const best = DLINEAR_RIDGE_GRID[errors.indexOf(Math.min(...errors))];
    expect(m.fittedRidge).toBe(best);
    expect(report.chosen).toEqual({ ridge: best, ridgeSearch: false });
    expect(report.validMse).toBeCloseTo(Math.min(...errors), 6);
    // and the artifact keeps it
    const back = DLinearForecaster.fromArtifact(m.toArtifact());
    expect(back.fittedRidge).toBe(best);
    expect(back.predict([context], H).channel(0)).toEqual(m.predict([context], H).channel(0));
  });
});
