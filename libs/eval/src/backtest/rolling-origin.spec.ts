import { Cancelled, detachedContext, Unprocessable, ValidationFailed } from '@seqcast/core';
import { DriftForecaster, NaiveForecaster, SeasonalNaiveForecaster } from '@seqcast/forecast';
import { RecordingForecaster } from '../testing/recording-forecaster';
import type { BacktestSeries } from './backtest-types';
import { runBacktest } from './rolling-origin';

const HOUR = 3600_000;
const T0 = Date.UTC(2024, 0, 1);

function series(key: string, values: number[] | ((t: number) => number), length?: number, channels = 1): BacktestSeries {
  const n = typeof values === 'function' ? length! : values.length;
  const at = (t: number) => (typeof values === 'function' ? values(t) : values[t]);
  return {
    key,
    times: Float64Array.from({ length: n }, (_, t) => T0 + t * HOUR),
    values: Array.from({ length: channels }, (_, c) => Float32Array.from({ length: n }, (_, t) => at(t) + 100 * c)),
  };
}

const naive = () => new NaiveForecaster({ maxHorizon: 10000 });
const drift = () => new DriftForecaster({ window: 0, maxHorizon: 10000 });

describe('runBacktest: folds and indices', () => {
  it('fits once before the first origin and predicts from the lookback values before each origin', async () => {
    const model = new RecordingForecaster(1);
    // y_t = t, so the values a model sees are the indices it was given.
    const r = await runBacktest({ models: [{ name: 'rec', create: () => model }], series: [series('a', (t) => t, 20)], lookback: 4, horizon: 3, folds: 3, step: 2 }, detachedContext());
    expect(r.settings.series[0].origins).toEqual([13, 15, 17]);
    expect(model.fits).toEqual([{ train: [13], valid: undefined }]); // 10% of 13 holds no window of 4 + 3
    expect(model.batches).toEqual([[[9, 10, 11, 12]], [[11, 12, 13, 14]], [[13, 14, 15, 16]]]);
    expect(r.folds.map((f) => [f.fold, f.origin, f.trainEnd, f.originTime])).toEqual([
      [0, 13, 13, T0 + 13 * HOUR],
      [1, 15, 13, T0 + 15 * HOUR],
      [2, 17, 13, T0 + 17 * HOUR],
    ]);
    // Naive from y = o-1 against truth o, o+1, o+2: errors 1, 2, 3 in every fold.
    for (const f of r.folds) {
      expect(f.mse).toBeCloseTo(14 / 3, 6);
      expect(f.mae).toBeCloseTo(2, 6);
      expect(f.mase).toBeCloseTo(2, 6); // in-sample naive MAE of y = t is 1
      expect(f.count).toBe(3);
    }
    // sMAPE of fold 0 by hand: forecast 12, truth 13, 14, 15
    expect(r.folds[0].smape).toBeCloseTo(((200 * 1) / 25 + (200 * 2) / 26 + (200 * 3) / 27) / 3, 5);
    expect(r.overall[0].perStep.mse).toEqual([1, 4, 9]);
    expect(r.overall[0].perStep.mae).toEqual([1, 2, 3]);
    expect(r.overall[0].count).toBe(9);
    // a point forecast is a degenerate distribution: its CRPS is its MAE
    expect(r.overall[0]).toMatchObject({ crps: 2, crpsFrom: 'point' });
    expect(model.disposed).toBe(1);
  });

  it("refits before every fold on all data before its origin with refit 'every-fold'", async () => {
    const made: RecordingForecaster[] = [];
    const create = () => {
      const m = new RecordingForecaster(1);
      made.push(m);
      return m;
    };
    const r = await runBacktest({ models: [{ name: 'rec', create }], series: [series('a', (t) => t, 20)], lookback: 4, horizon: 3, folds: 3, step: 2, refit: 'every-fold' }, detachedContext());
    expect(made.map((m) => m.fits.map((f) => f.train[0]))).toEqual([[13], [15], [17]]);
    expect(made.every((m) => m.disposed === 1)).toBe(true);
    expect(r.folds.map((f) => f.trainEnd)).toEqual([13, 15, 17]);
  });

  it('holds out the last 10% of the training part as valid when it holds a window', async () => {
    const model = new RecordingForecaster(4);
    // length 200, horizon 3, 3 folds: origins 191, 194, 197; 10% of 191 is 19 >= 4 + 3
    await runBacktest({ models: [{ name: 'rec', create: () => model }], series: [series('a', (t) => t, 200), series('b', (t) => t, 30)], lookback: 4, horizon: 3, folds: 3 }, detachedContext());
    // 'b' (origins 21, 24, 27): 10% of 21 is 2, too short, so it is trained on whole.
    expect(model.fits).toEqual([{ train: [172, 21], valid: [19] }]);
  });

  it('predicts all series of a fold in one predictBatch call', async () => {
    const model = new RecordingForecaster(2);
    const r = await runBacktest(
      { models: [{ name: 'rec', create: () => model }], series: [series('long', (t) => t, 30), series('short', (t) => 1000 + t, 12)], lookback: 2, horizon: 2, folds: 3 },
      detachedContext(),
    );
    // long: origins 24, 26, 28; short: 6, 8, 10
    expect(model.batches).toEqual([
      [[22, 23], [1004, 1005]],
      [[24, 25], [1006, 1007]],
      [[26, 27], [1008, 1009]],
    ]);
    expect(r.folds.map((f) => `${f.series}@${f.origin}`)).toEqual(['long@24', 'long@26', 'long@28', 'short@6', 'short@8', 'short@10']);
  });

  it('pools all channels, or evaluates the chosen one only', async () => {
    const all = await runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('a', (t) => t, 20, 2)], lookback: 2, horizon: 2, folds: 2 }, detachedContext());
    expect(all.overall[0].count).toBe(2 * 2 * 2);
    expect(all.settings.channel).toBe('all');
    const one = await runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('a', (t) => t, 20, 2)], lookback: 2, horizon: 2, folds: 2, channel: 1 }, detachedContext());
    expect(one.overall[0].count).toBe(2 * 2);
    expect(one.chart.channel).toBe(1);
    expect(one.chart.truth[one.chart.truth.length - 1]).toBe(119); // channel 1 is y_t = t + 100
  });
});

describe('runBacktest: metrics against hand computation', () => {
  const values = [5, 7, 6, 9, 8, 10, 12, 11, 13, 15];
  // lookback 2, horizon 2, 2 folds: origins 6 and 8.
  // Naive: fold 0 forecasts 10 (y_5) for truth 12, 11 -> |e| 2, 1; fold 1 forecasts 11 for 13, 15 -> 2, 4.

  it("refit 'once': MASE scale from the data before the first origin", async () => {
    const r = await runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('s', values)], lookback: 2, horizon: 2, folds: 2 }, detachedContext());
    const o = r.overall[0];
    expect(r.settings.series[0].origins).toEqual([6, 8]);
    expect(o.mse).toBeCloseTo((4 + 1 + 4 + 16) / 4, 6);
    expect(o.mae).toBeCloseTo(9 / 4, 6);
    // scale: |7-5|, |6-7|, |9-6|, |8-9|, |10-8| -> 9/5
    expect(r.folds[0].scale).toBeCloseTo(9 / 5, 6);
    expect(o.mase).toBeCloseTo(9 / 4 / (9 / 5), 6); // 1.25
    expect(o.smape).toBeCloseTo(((200 * 2) / 22 + (200 * 1) / 21 + (200 * 2) / 24 + (200 * 4) / 26) / 4, 5);
    expect(o.perStep.mse[0]).toBeCloseTo((4 + 4) / 2, 6);
    expect(o.perStep.mse[1]).toBeCloseTo((1 + 16) / 2, 6);
  });

  it("refit 'every-fold': each fold scaled by its own training part", async () => {
    const r = await runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('s', values)], lookback: 2, horizon: 2, folds: 2, refit: 'every-fold' }, detachedContext());
    // fold 1 scale over indices 0..7: 2+1+3+1+2+2+1 = 12 over 7 pairs
    expect(r.folds[1].scale).toBeCloseTo(12 / 7, 6);
    expect(r.folds[0].mase).toBeCloseTo(1.5 / 1.8, 6);
    expect(r.folds[1].mase).toBeCloseTo(3 / (12 / 7), 6);
    expect(r.overall[0].mase).toBeCloseTo((2 / 1.8 + 1 / 1.8 + (2 * 7) / 12 + (4 * 7) / 12) / 4, 6);
  });

  it('seasonality m changes the MASE scale', async () => {
    const r = await runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('s', values)], lookback: 2, horizon: 2, folds: 2, seasonality: 2 }, detachedContext());
    // m = 2 over indices 0..5: |6-5|, |9-7|, |8-6|, |10-9| -> 6/4
    expect(r.folds[0].scale).toBeCloseTo(1.5, 6);
    expect(r.overall[0].mase).toBeCloseTo(9 / 4 / 1.5, 6);
  });

  it('a forecaster that is exact on a line scores 0 on every measure', async () => {
    // Drift extends the line through the context's ends: exact on y_t = 2t + 5.
    const r = await runBacktest({ models: [{ name: 'drift', create: drift }], series: [series('line', (t) => 2 * t + 5, 60)], lookback: 8, horizon: 6, folds: 4 }, detachedContext());
    const o = r.overall[0];
    expect([o.mse, o.mae, o.smape, o.mase]).toEqual([0, 0, 0, 0]);
    expect(o.count).toBe(24);
  });

  it('seasonal naive on a purely periodic series scores 0', async () => {
    const pattern = [3, 1, 4, 1, 5, 9, 2];
    const r = await runBacktest(
      { models: [{ name: 'snaive', create: () => new SeasonalNaiveForecaster({ seasonLength: 7, maxHorizon: 10000 }) }], series: [series('p', (t) => pattern[t % 7], 80)], lookback: 7, horizon: 10, folds: 3, step: 4, seasonality: 7 },
      detachedContext(),
    );
    expect(r.overall[0].mse).toBe(0);
    expect(r.overall[0].perStep.mse.every((v) => v === 0)).toBe(true);
    // in-sample seasonal-naive MAE with m = 7 is 0 too: MASE is undefined, not 0
    expect(r.overall[0].mase).toBeNaN();
  });

  it('skips NaN targets but rejects NaN in what models read', async () => {
    const gap = [...values];
    gap[9] = NaN; // last target only
    const r = await runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('s', gap)], lookback: 2, horizon: 2, folds: 2 }, detachedContext());
    expect(r.overall[0].count).toBe(3);
    expect(r.overall[0].mae).toBeCloseTo((2 + 1 + 2) / 3, 6);

    const bad = [...values];
    bad[2] = NaN; // in the training part
    await expect(runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('holes', bad)], lookback: 2, horizon: 2, folds: 2 }, detachedContext())).rejects.toThrow(
      /Series 'holes' channel 0 has NaN at index 2/,
    );
  });
});

describe('runBacktest: errors, progress, cancellation, chart', () => {
  it('names a series too short for lookback + folds * step + horizon', async () => {
    const run = runBacktest({ models: [{ name: 'naive', create: naive }], series: [series('fine', (t) => t, 40), series('stub', (t) => t, 20)], lookback: 10, horizon: 5, folds: 3 }, detachedContext());
    await expect(run).rejects.toThrow(Unprocessable);
    await expect(run).rejects.toThrow(/'stub'.*30 steps/);
  });

  it('rejects malformed requests with every field named', async () => {
    const err = await runBacktest({ models: [], series: [series('a', [1, 2, 3])], lookback: 0, horizon: 2.5, folds: 1 }, detachedContext()).catch((e) => e);
    expect(err).toBeInstanceOf(ValidationFailed);
    expect((err as ValidationFailed).details.map((d) => d.field)).toEqual(expect.arrayContaining(['lookback', 'horizon', 'models']));
  });

  it('fails before fitting when a model needs more context than the lookback', async () => {
    const fitted = new RecordingForecaster(1);
    const run = runBacktest(
      { models: [{ name: 'rec', create: () => fitted }, { name: 'snaive', create: () => new SeasonalNaiveForecaster({ seasonLength: 24, maxHorizon: 10000 }) }], series: [series('a', (t) => t, 200)], lookback: 12, horizon: 6, folds: 2 },
      detachedContext(),
    );
    await expect(run).rejects.toThrow(/'snaive'.*24 steps of context/);
    expect(fitted.fits).toHaveLength(0);
    expect(fitted.disposed).toBe(1);
  });

  it('reports monotone progress that ends at 1', async () => {
    const seen: number[] = [];
    await runBacktest(
      { models: [{ name: 'a', create: () => new RecordingForecaster() }, { name: 'b', create: () => new RecordingForecaster() }], series: [series('s', (t) => t, 40)], lookback: 3, horizon: 2, folds: 4, refit: 'every-fold' },
      { signal: new AbortController().signal, progress: (f) => seen.push(f) },
    );
    expect(seen.length).toBeGreaterThan(8);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1] - 1e-12);
    expect(seen[seen.length - 1]).toBe(1);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
  });

  it('stops when the signal is aborted, and disposes the model', async () => {
    const abort = new AbortController();
    const model = new RecordingForecaster(1, () => {
      if (model.batches.length === 1) abort.abort(); // during the second fold
    });
    const run = runBacktest({ models: [{ name: 'rec', create: () => model }], series: [series('s', (t) => t, 40)], lookback: 3, horizon: 2, folds: 5 }, { signal: abort.signal, progress: () => undefined });
    await expect(run).rejects.toThrow(Cancelled);
    expect(model.batches.length).toBe(2);
    expect(model.disposed).toBe(1);

    const already = new AbortController();
    already.abort();
    const untouched = new RecordingForecaster();
    await expect(runBacktest({ models: [{ name: 'rec', create: () => untouched }], series: [series('s', (t) => t, 40)], lookback: 3, horizon: 2, folds: 2 }, { signal: already.signal, progress: () => undefined })).rejects.toThrow(Cancelled);
    expect(untouched.fits).toHaveLength(0);
  });

  it('keeps truth and every fold of every model for the chosen chart series', async () => {
    const r = await runBacktest(
      { models: [{ name: 'naive', create: naive }, { name: 'drift', create: drift }], series: [series('a', (t) => t, 30), series('b', (t) => 2 * t, 40)], lookback: 4, horizon: 3, folds: 2, chartSeries: 'b' },
      detachedContext(),
    );
    const c = r.chart;
    expect(c.series).toBe('b');
    // origins 34, 37; 6 steps of context shown (min(lookback 4, span 6) = 4) -> from index 30
    expect(c.times[0]).toBe(T0 + 30 * HOUR);
    expect(c.truth).toEqual([60, 62, 64, 66, 68, 70, 72, 74, 76, 78]);
    expect(c.originTimes).toEqual([T0 + 34 * HOUR, T0 + 37 * HOUR]);
    expect(c.forecasts.map((f) => `${f.model}#${f.fold}@${f.origin}`)).toEqual(['naive#0@34', 'naive#1@37', 'drift#0@34', 'drift#1@37']);
    expect(c.forecasts[0].times).toEqual([34, 35, 36].map((t) => T0 + t * HOUR));
    expect(c.forecasts[0].values).toEqual([66, 66, 66]);
    expect(c.forecasts[2].values).toEqual([68, 70, 72]);
    expect(JSON.parse(JSON.stringify(r)).chart.truth).toHaveLength(10); // plain JSON
  });
});
