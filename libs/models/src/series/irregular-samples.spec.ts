import {
  forecasterRegistry,
  loadScaledForecaster,
  Ls4Forecaster,
  simulateAr,
  TINY_LS4,
} from '@seqcast/forecast';
import { ArtifactStore } from '@seqcast/tensor';
import { ARTIFACT_STORE } from '../artifact-store.provider';
import { bootFeature, FeatureApp } from '../testing/feature-app';
import { ForecastService } from './forecast/forecast.service';
import { ModelsService } from './models.service';
import { SeriesModelsModule } from './series-models.module';

jest.setTimeout(180_000);

/**
 * POST /models/:id/samples with `times`: LS4's unconditional paths drawn on a grid of stamps.
 * A grid one nominal gap apart is dt 1 at every step, so it draws what the route draws without
 * times (same seed); an uneven grid draws what the model draws at those times put on its axis
 * by hand (hours since the first stamp for an hourly dataset, ms over the median gap without a
 * frequency), and not the plain paths. Bad grids are named.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.UTC(2024, 0, 1);
const N = 120;
const COUNT = 3;
const LENGTH = 10;
const SEED = 4;

const y = Float32Array.from(
  simulateAr({ coefficients: [0.6, -0.25], length: N, noiseStd: 2, seed: 9 }),
  (v) => Number((50 + v).toFixed(4)),
);

/** Stamps with these gaps in minutes, cycled. */
function stamps(gapsMin: number[], n: number, start = START): number[] {
  const t = [start];
  for (let i = 1; i < n; i++) t.push(t[i - 1] + gapsMin[(i - 1) % gapsMin.length] * MIN);
  return t;
}
const iso = (t: number[]) => t.map((ms) => new Date(ms).toISOString());
const csv = (t: number[]) =>
  ['time,value', ...t.map((ms, i) => `${new Date(ms).toISOString()},${y[i]}`)].join('\n');
const maxGap = (a: number[][][], b: number[][][]) =>
  a.flat(2).reduce((m, v, i) => Math.max(m, Math.abs(v - b.flat(2)[i])), 0);

describe('LS4 samples on a grid of stamps', () => {
  let app: FeatureApp;
  let models: ModelsService;
  let forecasts: ForecastService;

  async function trained(name: string, t: number[]): Promise<{ id: string; model: Ls4Forecaster }> {
    const ds = await app.uploadCsv(name, csv(t), {
      roles: { timeColumn: 'time', valueColumns: ['value'], keyColumns: [] },
    });
    const m = await models.create({
      kind: 'ls4',
      config: TINY_LS4,
      datasetId: ds.id,
      target: 'value',
      lookback: 12,
      horizon: 4,
    });
    const job = await app.settle((await models.train(m.id, {})).id, 150_000);
    if (job.status !== 'succeeded') throw new Error(`training ${name} failed: ${JSON.stringify(job.error)}`);
    const [version] = await models.versionsOf(m.id);
    const store: ArtifactStore = app.get(ARTIFACT_STORE);
    const { model } = await loadScaledForecaster(store, version.artifactRef, forecasterRegistry);
    return { id: m.id, model: model.model as Ls4Forecaster };
  }

  beforeAll(async () => {
    app = await bootFeature(SeriesModelsModule);
    models = app.get(ModelsService);
    forecasts = app.get(ForecastService);
  });
  afterAll(() => app?.close());

  const draw = (id: string, times?: string[]) =>
    forecasts.samples(id, { count: COUNT, length: LENGTH, seed: SEED, ...(times ? { times } : {}) });

  it('hourly data with holes (dt from the stamps, nominal gap one hour step)', async () => {
    const { id, model } = await trained('holes', stamps([60, 60, 60, 60, 60, 60, 60, 180], N));
    expect(model.nominalGap).toBe(1);
    const plain = await draw(id);
    expect(plain.times).toBeNull();
    expect(plain.timing).toBeUndefined();

    const hourly = iso(stamps([60], LENGTH, Date.UTC(2025, 5, 1)));
    const even = await draw(id, hourly);
    expect(even.times).toEqual(hourly);
    expect(even.timing).toMatchObject({ dt: true, unit: 'steps of 1h', nominalGap: 1 });
    expect(maxGap(even.paths, plain.paths)).toBeLessThan(1e-4);

    // gaps of 1, 2, 1 and 4 hours: dt 1, 2, 1, 4 after the first step's 1
    const gaps = [60, 120, 60, 240];
    const uneven = await draw(id, iso(stamps(gaps, LENGTH)));
    const hours = stamps(gaps, LENGTH, 0).map((ms) => ms / HOUR);
    const byHand = model.generate(COUNT, LENGTH, SEED, { times: hours });
    expect(
      maxGap(
        uneven.paths,
        byHand.map((p) => p.map((ch) => Array.from(ch))),
      ),
    ).toBeLessThan(1e-4);
    expect(maxGap(uneven.paths, plain.paths)).toBeGreaterThan(1e-3);
  });

  it('stamps off any grid (nominal gap the median gap in ms), and bad grids named', async () => {
    const { id, model } = await trained('off-grid', stamps([40, 60, 60, 95, 60, 25, 60, 130], N));
    expect(model.nominalGap).toBe(HOUR);
    const plain = await draw(id);
    const even = await draw(id, iso(stamps([60], LENGTH)));
    expect(even.timing).toMatchObject({ dt: true, unit: 'ms', nominalGap: HOUR });
    expect(maxGap(even.paths, plain.paths)).toBeLessThan(1e-4);
    // every 30 min: dt 0.5 after the first step
    const half = await draw(id, iso(stamps([30], LENGTH)));
    const byHand = model.generate(COUNT, LENGTH, SEED, { times: stamps([30], LENGTH) });
    expect(
      maxGap(
        half.paths,
        byHand.map((p) => p.map((ch) => Array.from(ch))),
      ),
    ).toBeLessThan(1e-4);
    expect(maxGap(half.paths, plain.paths)).toBeGreaterThan(1e-3);

    const field = async (times: string[]) => {
      try {
        await draw(id, times);
      } catch (e) {
        const err = e as { status: number; details: { field: string }[] };
        return `${err.status} ${err.details[0].field}`;
      }
      return 'accepted';
    };
    const good = iso(stamps([60], LENGTH));
    expect(await field(good.slice(1))).toBe('400 times');
    const back = [...good];
    back[3] = back[2];
    expect(await field(back)).toBe('400 times[3]');
    const bad = [...good];
    bad[5] = 'yesterday';
    expect(await field(bad)).toBe('400 times[5]');
  });

  it('a model fitted on evenly spaced hourly rows: one hour is dt 1, so a two-hourly grid is dt 2', async () => {
    const { id, model } = await trained('hourly', stamps([60], N));
    expect(model.nominalGap).toBeNull();
    const plain = await draw(id);
    const hourly = await draw(id, iso(stamps([60], LENGTH)));
    expect(maxGap(hourly.paths, plain.paths)).toBeLessThan(1e-4);
    const twoHourly = await draw(id, iso(stamps([120], LENGTH)));
    expect(twoHourly.timing).toMatchObject({ unit: 'steps of 1h', nominalGap: 1 });
    const steps = Array.from({ length: LENGTH }, (_, i) => 2 * i);
    const byHand = model.generate(COUNT, LENGTH, SEED, { times: steps, nominalGap: 1 });
    expect(
      maxGap(
        twoHourly.paths,
        byHand.map((p) => p.map((ch) => Array.from(ch))),
      ),
    ).toBeLessThan(1e-4);
    expect(maxGap(twoHourly.paths, plain.paths)).toBeGreaterThan(1e-3);
  });
});
