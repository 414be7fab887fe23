import { ValidationFailed } from '@seqcast/core';
import { AR, ArFixture, bootWithArModel } from '../testing/ar-series-model';
import { ForecastService } from './forecast/forecast.service';
import { ModelsService } from './models.service';
import { SeriesModelsModule } from './series-models.module';

jest.setTimeout(60_000);

const iso = (row: number) => new Date(Date.UTC(2024, 0, 1) + row * 3_600_000).toISOString();

describe('SeriesModelsModule on its own (SQLite in memory, in-process queue)', () => {
  let fx: ArFixture;
  beforeAll(async () => {
    fx = await bootWithArModel(SeriesModelsModule);
  });
  afterAll(() => fx?.app.close());

  it('trains Classic-AR through the job queue and serves the least-squares forecast on the data scale', async () => {
    const models = fx.app.get(ModelsService);
    expect((await models.get(fx.modelId)).lookback).toBe(AR.order);
    expect((await models.versionsOf(fx.modelId)).map((v) => v.version)).toEqual([1]);
    const forecasts = fx.app.get(ForecastService);
    const f = await forecasts.forecast(fx.modelId, { seriesKey: fx.seriesKey, horizon: AR.horizon });
    // scaled by the training rows, fitted by QR, forecast recursively from the last rows
    const truth = AR.reference.forecast(AR.rows, AR.horizon);
    f.steps.forEach((s, h) => expect(s.value).toBeCloseTo(truth[h], 3));
    // from the last row, one hour a step
    expect([f.origin, f.start]).toEqual([iso(AR.rows - 1), iso(AR.rows)]);
    // a context sent with the request is scaled by the series' scale too
    const context = Array.from(AR.values.subarray(AR.rows - AR.order));
    const again = await forecasts.forecast(fx.modelId, {
      seriesKey: fx.seriesKey,
      horizon: AR.horizon,
      context,
    });
    again.steps.forEach((s, h) => expect(s.value).toBeCloseTo(truth[h], 3));
  });

  it('refuses an unknown kind and a horizon beyond the configuration, naming the field', async () => {
    const models = fx.app.get(ModelsService);
    const fieldOf = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => (e instanceof ValidationFailed ? e.details[0].field : e),
      );
    const base = { datasetId: fx.datasetId, target: 'value', lookback: 3, horizon: 4 };
    expect(await fieldOf(models.create({ ...base, kind: 'magic' }))).toBe('kind');
    expect(await fieldOf(models.create({ ...base, kind: 'classic-ar', config: { maxHorizon: 2 } }))).toBe(
      'horizon',
    );
  });
});
