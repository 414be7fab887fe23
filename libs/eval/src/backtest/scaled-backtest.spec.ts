import { detachedContext } from '@seqcast/core';
import { forecasterRegistry, servedPipeline, simulateAr } from '@seqcast/forecast';
import type { BacktestSeries } from './backtest-types';
import { runBacktest } from './rolling-origin';

// A global model backtested in its scaling pipeline is fitted and served exactly as the train
// job fits and serves it: the same forecasts as fitSeries + predictSeries by hand (the
// serving route), and a series 10,000 times larger does not drown out a small one.

const HOUR = 3600_000;
const n = 600;
const small = simulateAr({ coefficients: [0.7, -0.2], length: n, seed: 3 });
const large = simulateAr({ coefficients: [-0.5, 0.3], length: n, seed: 4 }).map((v) => 10_000 * v + 50_000);
const data: BacktestSeries[] = [
  ['small', small],
  ['large', large],
].map(([key, v]) => ({
  key: key as string,
  times: Float64Array.from({ length: n }, (_, t) => t * HOUR),
  values: [Float32Array.from(v as Float32Array)],
}));
const config = { lookback: 24, horizon: 6, ridge: 1e-4 };
const opts = { series: data, lookback: 24, horizon: 6, folds: 3, step: 6 };

it('scores the served pipeline: the forecasts of fitSeries + predictSeries by hand, fold by fold', async () => {
  const r = await runBacktest(
    { ...opts, models: [{ name: 'nlinear', create: () => servedPipeline('nlinear', config) }] },
    detachedContext(),
  );
  const origins = r.settings.series[0].origins;
  const byHand = servedPipeline('nlinear', config);
  // the backtest's training rows: everything before the first origin, its last 10% held out as valid
  const end = origins[0];
  const cut = end - Math.floor(end * 0.1);
  await byHand.fitSeries(
    data.map((s) => ({
      key: s.key,
      train: [s.values[0].subarray(0, cut)],
      valid: [s.values[0].subarray(cut, end)],
    })),
    detachedContext(),
  );
  const chartSeries = r.chart.forecasts.filter((f) => f.model === 'nlinear');
  origins.forEach((o, k) => {
    const f = byHand.predictSeries({
      seriesKey: 'small',
      history: [data[0].values[0].subarray(o - 24, o)],
      horizon: 6,
    });
    chartSeries[k].values.forEach((v, h) => expect(v).toBeCloseTo(f.channel(0)[h], 4));
  });
  byHand.dispose();
});

it('gives a small series its own fit: relative errors like a model fitted on it alone, unlike raw values', async () => {
  const scaled = await runBacktest(
    { ...opts, models: [{ name: 'scaled', create: () => servedPipeline('nlinear', config) }] },
    detachedContext(),
  );
  const raw = await runBacktest(
    { ...opts, models: [{ name: 'raw', create: () => forecasterRegistry.create('nlinear', config) }] },
    detachedContext(),
  );
  const alone = await runBacktest(
    {
      ...opts,
      series: [data[0]],
      models: [{ name: 'alone', create: () => servedPipeline('nlinear', config) }],
    },
    detachedContext(),
  );
  const mase = (r: typeof raw, key: string) => {
    const rows = r.folds.filter((f) => f.series === key);
    return rows.reduce((s, f) => s + f.mase, 0) / rows.length;
  };
  // On raw values the large series' dynamics (a different AR process) set the shared weights.
  expect(mase(raw, 'small')).toBeGreaterThan(1.2 * mase(alone, 'small'));
  // Scaled, the small series weighs as much as the large one: near its own fit.
  expect(mase(scaled, 'small')).toBeLessThan(mase(raw, 'small'));
});
