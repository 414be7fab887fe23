import { simulateAr, TINY_LS4 } from '@seqcast/forecast';
import { ForecastService } from '../series/forecast/forecast.service';
import { ModelsService } from '../series/models.service';
import { bootFeature, FeatureApp } from '../testing/feature-app';
import { AdaptationService } from './adaptation.service';
import { AdaptersModule } from './adapters.module';

jest.setTimeout(180_000);

/**
 * Adapters run the model's forward on rows as equally spaced steps. An LS4 trained with each
 * step's gap is not adapted (422 naming model, as its updates); an adapter on an LS4 trained on
 * evenly spaced rows does not adapt a forecast that reads uneven stamps (422 naming the field
 * the stamps came from), while evenly spaced ones are adapted as before.
 */
const MIN = 60_000;
const START = Date.UTC(2024, 0, 1);
const N = 120;
const LOOKBACK = 12;
const HORIZON = 4;

const y = Float32Array.from(
  simulateAr({ coefficients: [0.6, -0.25], length: N, noiseStd: 2, seed: 11 }),
  (v) => Number((50 + v).toFixed(4)),
);

function stamps(gapsMin: number[], n: number): number[] {
  const t = [START];
  for (let i = 1; i < n; i++) t.push(t[i - 1] + gapsMin[(i - 1) % gapsMin.length] * MIN);
  return t;
}
const csv = (t: number[]) =>
  ['time,key,value', ...t.map((ms, i) => `${new Date(ms).toISOString()},s,${y[i]}`)].join('\n');

describe('adapters and timed models', () => {
  let app: FeatureApp;
  let models: ModelsService;
  let adapters: AdaptationService;
  let forecasts: ForecastService;

  async function trained(name: string, t: number[]): Promise<string> {
    const ds = await app.uploadCsv(name, csv(t), {
      roles: { timeColumn: 'time', valueColumns: ['value'], keyColumns: ['key'] },
    });
    const m = await models.create({
      kind: 'ls4',
      config: TINY_LS4,
      datasetId: ds.id,
      target: 'value',
      lookback: LOOKBACK,
      horizon: HORIZON,
    });
    const job = await app.settle((await models.train(m.id, {})).id, 150_000);
    if (job.status !== 'succeeded') throw new Error(`training ${name} failed: ${JSON.stringify(job.error)}`);
    return m.id;
  }

  beforeAll(async () => {
    app = await bootFeature(AdaptersModule);
    models = app.get(ModelsService);
    adapters = app.get(AdaptationService);
    forecasts = app.get(ForecastService);
  });
  afterAll(() => app?.close());

  it('an LS4 trained with dt from uneven stamps is not adapted: 422 naming model', async () => {
    const id = await trained('off-grid', stamps([40, 60, 60, 95, 60, 25, 60, 130], N));
    await expect(adapters.create(id, { method: 'petsa' })).rejects.toMatchObject({
      status: 422,
      details: [{ field: 'model' }],
    });
    expect(await adapters.list(id)).toHaveLength(0);
  });

  it('an adapter on an evenly trained LS4 adapts evenly spaced forecasts and refuses uneven contextTimes', async () => {
    const id = await trained('hourly', stamps([60], N));
    await adapters.create(id, { method: 'petsa' });
    const context = Array.from(y.subarray(N - LOOKBACK));
    const at = (gapsMin: number[]) => stamps(gapsMin, LOOKBACK).map((ms) => new Date(ms).toISOString());
    await expect(
      forecasts.forecast(id, { context, contextTimes: at([15, 60, 180]), horizon: HORIZON }),
    ).rejects.toMatchObject({ status: 422, details: [{ field: 'contextTimes' }] });
    // the same values one hour apart are read as steps (no timing) and adapted
    const even = await forecasts.forecast(id, { context, contextTimes: at([60]), horizon: HORIZON });
    expect(even.timing).toBeUndefined();
    expect(JSON.stringify(even)).toContain('adapterId');
  });
});
