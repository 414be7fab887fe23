import { NotFound } from '@seqcast/core';
import { bootFeature, FeatureApp, HOURLY_ROLES, hourlyCsv } from '../testing/feature-app';
import type { BacktestJobResult } from './backtest.handler';
import { EvaluationsModule } from './evaluations.module';
import { EvaluationsService } from './evaluations.service';

jest.setTimeout(60_000);

const SLOPE = 0.5;
const H = 4;
/** A straight line: the naive forecast h steps ahead misses by SLOPE * h, every time. */
const trend = Float32Array.from({ length: 120 }, (_, t) => 5 + SLOPE * t);

describe('EvaluationsModule on its own (SQLite in memory, in-process queue)', () => {
  let app: FeatureApp;
  let evaluations: EvaluationsService;
  let datasetId: string;

  beforeAll(async () => {
    app = await bootFeature(EvaluationsModule);
    evaluations = app.get(EvaluationsService);
    datasetId = (await app.uploadCsv('trend', hourlyCsv(trend), HOURLY_ROLES)).id;
  });
  afterAll(() => app?.close());

  it('backtests naive on a linear trend: errors and split-conformal widths in closed form', async () => {
    const job = await evaluations.create({
      datasetId,
      target: 'value',
      lookback: 8,
      horizon: H,
      folds: 3,
      models: [{ kind: 'naive' }],
      intervals: { method: 'split', alpha: 0.1, calibrationWindows: 20 },
    });
    const done = await app.settle(job.id);
    expect(done.error).toBeNull();
    const result = done.result as BacktestJobResult;
    const [naive] = result.overall;
    const steps = Array.from({ length: H }, (_, i) => i + 1);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // MAE = SLOPE (H + 1) / 2, MSE = SLOPE^2 (H + 1)(2H + 1) / 6, MASE against the in-sample naive step SLOPE
    expect(naive.count).toBe(3 * H);
    expect(naive.mae).toBeCloseTo(mean(steps.map((h) => SLOPE * h)), 5);
    expect(naive.mse).toBeCloseTo(mean(steps.map((h) => (SLOPE * h) ** 2)), 5);
    expect(naive.mase).toBeCloseTo((H + 1) / 2, 4);
    naive.perStep.mae.forEach((e, i) => expect(e).toBeCloseTo(SLOPE * (i + 1), 5));
    // every held-out residual at step h is SLOPE * h, so the conformal bound is too: width 2 SLOPE h
    const [intervals] = result.intervals!;
    expect(intervals.points).toBe(3 * H);
    expect(intervals.meanWidth).toBeCloseTo(mean(steps.map((h) => 2 * SLOPE * h)), 3);
    expect(intervals.winkler).toBeCloseTo(intervals.meanWidth, 3);
    expect((await evaluations.file(job.id, 'report.md')).toString()).toContain('Prediction intervals');
  });

  it('knows only its own jobs', async () => {
    await expect(evaluations.get('00000000-0000-4000-8000-000000000000')).rejects.toThrow(NotFound);
  });
});
