import { AppConfig, dataPaths } from '@seqcast/core';
import { runBacktest, type BacktestResult } from '@seqcast/eval';
import { servedPipeline, simulateAr, TINY_LS4 } from '@seqcast/forecast';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { bootFeature, FeatureApp, HOURLY_ROLES, hourlyCsv } from '../testing/feature-app';
import type { BacktestJobResult } from './backtest.handler';
import { EvaluationsModule } from './evaluations.module';
import { EvaluationsService } from './evaluations.service';

jest.setTimeout(180_000);

/**
 * POST /evaluations on unevenly stamped rows: an LS4 is backtested with each step's dt from
 * the stamps at every fold (the train job's rule: steps of the dataset's frequency, dt 3
 * across a two-hour hole), which the same backtest run by hand on the stamps in hours gives;
 * other kinds read the rows as steps and say so; intervals and adapters, which read rows as
 * steps, are refused beside a timed model.
 */
const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const L = 12;
const H = 4;
const N = 160;
/** Gaps in hours, cycled: an hourly grid with a two-hour hole in every eight gaps. */
const GAPS = [1, 1, 1, 1, 1, 1, 1, 3];

const y = Float32Array.from(
  simulateAr({ coefficients: [0.6, -0.25], length: N, noiseStd: 2, seed: 7 }),
  (v) => Number((50 + v).toFixed(4)),
);
const hours = [0];
for (let i = 1; i < N; i++) hours.push(hours[i - 1] + GAPS[(i - 1) % GAPS.length]);
const csv = [
  'time,value',
  ...hours.map((h, i) => `${new Date(START + h * HOUR).toISOString()},${y[i]}`),
].join('\n');

describe('backtests of a timed model on unevenly spaced rows', () => {
  let app: FeatureApp;
  let evaluations: EvaluationsService;
  let datasetId: string;

  beforeAll(async () => {
    app = await bootFeature(EvaluationsModule);
    evaluations = app.get(EvaluationsService);
    datasetId = (
      await app.uploadCsv('holes', csv, {
        roles: { timeColumn: 'time', valueColumns: ['value'], keyColumns: [] },
      })
    ).id;
  });
  afterAll(() => app?.close());

  const request = { target: 'value', lookback: L, horizon: H, folds: 3, refit: 'every-fold' as const };

  it('fits and forecasts LS4 with dt from the stamps at every fold, as a backtest by hand on the hours', async () => {
    const job = await evaluations.create({
      ...request,
      datasetId,
      models: [
        { name: 'ls4', kind: 'ls4', config: TINY_LS4 },
        { name: 'naive', kind: 'naive' },
      ],
    });
    const done = await app.settle(job.id, 150_000);
    expect(done.error).toBeNull();
    const result = done.result as BacktestJobResult;
    expect(result.timing).toEqual([
      expect.objectContaining({ model: 'ls4', dt: true, unit: 'steps of 1h', nominalGap: 1 }),
      expect.objectContaining({ model: 'naive', dt: false, unit: 'steps of 1h', nominalGap: 1 }),
    ]);
    const dir = path.join(dataPaths(app.get(AppConfig)).root, result.reportDir);
    const saved = JSON.parse(await fsp.readFile(path.join(dir, 'result.json'), 'utf8')) as BacktestResult & {
      timing: unknown;
    };
    expect(saved.timing).toEqual(result.timing);
    expect(await fsp.readFile(path.join(dir, 'report.md'), 'utf8')).toContain('## Timing');

    // The same backtest in this process, on the stamps as hours since the first (dt 1, and 3
    // across a hole), with the configuration the job ran.
    const config = (done.payload.models as { config: Record<string, unknown> }[])[0].config;
    const times = Float64Array.from(hours, (h) => START + h * HOUR);
    const series = [{ key: '', times, values: [y], axisTimes: Float64Array.from(hours) }];
    const common = { series, lookback: L, horizon: H, folds: 3, refit: 'every-fold' as const };
    const ctx = { signal: new AbortController().signal, progress: () => undefined };
    const byHand = await runBacktest(
      {
        ...common,
        models: [{ name: 'ls4', create: () => servedPipeline('ls4', config), timed: { nominalGap: 1 } }],
      },
      ctx,
    );
    const ls4 = saved.folds.filter((f) => f.model === 'ls4');
    expect(ls4.map((f) => f.origin)).toEqual(byHand.folds.map((f) => f.origin));
    ls4.forEach((f, k) => expect(f.mse).toBeCloseTo(byHand.folds[k].mse, 4));
    expect(result.overall[0].mse).toBeCloseTo(byHand.overall[0].mse, 4);
    // a hole is inside the folds' contexts: reading the rows as steps gives other figures
    const steps = await runBacktest(
      { ...common, models: [{ name: 'ls4', create: () => servedPipeline('ls4', config) }] },
      ctx,
    );
    expect(Math.abs(steps.overall[0].mse - result.overall[0].mse)).toBeGreaterThan(1e-4);
  });

  it('refuses intervals and adapters beside a timed model (they read rows as steps), not for other kinds', async () => {
    const failure = async (extra: Record<string, unknown>, kind = 'ls4') => {
      const job = await evaluations.create({
        ...request,
        datasetId,
        models: [{ kind, config: kind === 'ls4' ? TINY_LS4 : {} }],
        ...extra,
      });
      const done = await app.settle(job.id, 60_000);
      return done.error;
    };
    const intervals = { intervals: { method: 'split', alpha: 0.1, calibrationWindows: 10 } };
    expect(await failure(intervals)).toMatch(
      /reads each step's gap.*intervals read rows as equally spaced steps/,
    );
    expect(await failure({ adaptation: { adapters: [{ method: 'petsa' }] } })).toMatch(
      /reads each step's gap.*adapters read rows as equally spaced steps/,
    );
    expect(await failure(intervals, 'naive')).toBeNull();
  });

  it('evenly spaced rows backtest as before: no timing', async () => {
    const even = (await app.uploadCsv('hourly', hourlyCsv(y), HOURLY_ROLES)).id;
    const job = await evaluations.create({ ...request, datasetId: even, models: [{ kind: 'naive' }] });
    const done = await app.settle(job.id);
    expect(done.error).toBeNull();
    expect((done.result as BacktestJobResult).timing).toBeUndefined();
  });
});
