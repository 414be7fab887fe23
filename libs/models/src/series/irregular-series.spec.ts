import { splitByFractions } from '@seqcast/data';
import {
  forecasterRegistry,
  loadScaledForecaster,
  Ls4Forecaster,
  ScaledForecaster,
  simulateAr,
  TINY_LS4,
} from '@seqcast/forecast';
import { ArtifactStore } from '@seqcast/tensor';
import { ARTIFACT_STORE } from '../artifact-store.provider';
import { bootFeature, FeatureApp } from '../testing/feature-app';
import { ForecastService } from './forecast/forecast.service';
import { ModelsService } from './models.service';
import { ModelUpdatesService } from './update/model-updates.service';
import { CalibrationService } from '../calibrate/calibration.service';
import { CalibratorsModule } from '../calibrate/calibrators.module';
import { DEFAULT_SPLIT } from './train/train-model.handler';

jest.setTimeout(180_000);

/**
 * Irregular series through the train job and the forecast service, as a user runs them: the
 * same values stamped three ways (hourly; off any grid; hourly with gaps), LS4 trained on each
 * and its test figures and forecasts rebuilt by hand from the stamps: a timed model reads each
 * step's gap, and evenly spaced stamps give what rows read as steps give.
 */
const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const LOOKBACK = 12;
const HORIZON = 4;
const N = 150;

/** Gaps in minutes, cycled: off any grid (median 60 min) ... */
const OFF_GRID = [40, 60, 60, 95, 60, 25, 60, 130];
/** ... and on the hourly grid with a two-hour hole in every eight gaps. */
const WITH_HOLES = [60, 60, 60, 60, 60, 60, 60, 180];

const y = Float32Array.from(
  simulateAr({ coefficients: [0.6, -0.25], length: N, noiseStd: 2, seed: 3 }),
  (v) => +(50 + v).toFixed(4),
);

function stamps(gapsMin: number[] | null): number[] {
  const t = [START];
  for (let i = 1; i < N; i++) t.push(t[i - 1] + (gapsMin ? gapsMin[(i - 1) % gapsMin.length] : 60) * 60_000);
  return t;
}

const csv = (t: number[]) =>
  ['time,key,value', ...t.map((ms, i) => `${new Date(ms).toISOString()},s,${y[i]}`)].join('\n');

const maxGap = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('irregular series: LS4 reads the stamps in training, test scoring, forecasts and calibration', () => {
  let app: FeatureApp;
  let models: ModelsService;
  let forecasts: ForecastService;
  let store: ArtifactStore;
  const roles = { timeColumn: 'time', keyColumns: ['key'], valueColumns: ['value'] };

  async function trained(
    name: string,
    t: number[],
    kind = 'ls4',
    fitOn?: 'all',
  ): Promise<{
    id: string;
    result: Record<string, unknown>;
    pipeline: ScaledForecaster;
    frequency: string | null;
  }> {
    const ds = await app.uploadCsv(name, csv(t), { roles });
    const m = await models.create({
      kind,
      config: kind === 'ls4' ? TINY_LS4 : {},
      datasetId: ds.id,
      target: 'value',
      lookback: LOOKBACK,
      horizon: HORIZON,
    });
    const job = await app.settle((await models.train(m.id, fitOn ? { fitOn } : {})).id, 150_000);
    if (job.status !== 'succeeded') throw new Error(`training ${name} failed: ${JSON.stringify(job.error)}`);
    const [version] = await models.versionsOf(m.id);
    const { model } = await loadScaledForecaster(store, version.artifactRef, forecasterRegistry);
    return {
      id: m.id,
      result: job.result as Record<string, unknown>,
      pipeline: model,
      frequency: ds.latest?.frequency ?? null,
    };
  }

  beforeAll(async () => {
    // the calibrators' module brings the series models' with it
    app = await bootFeature(CalibratorsModule);
    models = app.get(ModelsService);
    forecasts = app.get(ForecastService);
    store = app.get(ARTIFACT_STORE);
  });
  afterAll(() => app?.close());

  it('off-grid stamps: dt = gap / median gap in training and in the test figures; forecasts one median gap apart', async () => {
    const t = stamps(OFF_GRID);
    const { id, result, pipeline, frequency } = await trained('off-grid', t);
    expect(frequency).toBeNull();
    // the median of the gaps 25, 40, 60 x4, 95, 130 minutes
    expect(result.timing).toMatchObject({ dt: true, unit: 'ms', nominalGap: HOUR });
    const model = pipeline.model as Ls4Forecaster;
    expect(model.nominalGap).toBe(HOUR);

    // The test figures, rebuilt: every window of the test rows forecast at the stamps it is scored at.
    const split = splitByFractions(N, DEFAULT_SPLIT, LOOKBACK);
    const [scaled] = pipeline.scaler.apply('s', [y.subarray(split.test.start, split.test.end)]);
    const tt = t.slice(split.test.start, split.test.end);
    let timedSe = 0;
    let stepsSe = 0;
    let count = 0;
    for (let s = 0; s + LOOKBACK + HORIZON <= scaled.length; s++) {
      const ctx = [scaled.subarray(s, s + LOOKBACK)];
      const timed = model.predictTimed(
        { values: ctx, times: tt.slice(s, s + LOOKBACK) },
        tt.slice(s + LOOKBACK, s + LOOKBACK + HORIZON),
      );
      const steps = model.predict(ctx, HORIZON);
      for (let h = 0; h < HORIZON; h++) {
        const truth = scaled[s + LOOKBACK + h];
        timedSe += (timed.at(h) - truth) ** 2;
        stepsSe += (steps.at(h) - truth) ** 2;
        count++;
      }
    }
    const test = result.test as { mse: number; windows: number };
    expect(test.windows * HORIZON).toBe(count);
    expect(test.mse).toBeCloseTo(timedSe / count, 5);
    // the same model reading the rows as steps scores otherwise: the figure is the timed one
    expect(Math.abs(stepsSe / count - timedSe / count)).toBeGreaterThan(1e-4);

    // A forecast of the series: its last lookback values at their stamps, steps one hour apart.
    const f = await forecasts.forecast(id, { seriesKey: 's', horizon: HORIZON });
    expect(f.timing).toMatchObject({ dt: true, unit: 'ms', nominalGap: HOUR });
    expect(f.frequency).toBe('1h');
    const last = t[N - 1];
    expect(f.origin).toBe(new Date(last).toISOString());
    expect(f.steps.map((s) => s.timestamp)).toEqual(
      [1, 2, 3, 4].map((k) => new Date(last + k * HOUR).toISOString()),
    );
    const [scale] = pipeline.scaler.scalesOf('s')!;
    const byHand = model.predictTimed(
      {
        values: [Float32Array.from(y.subarray(N - LOOKBACK), (v) => (v - scale.mean) / scale.std)],
        times: t.slice(N - LOOKBACK),
      },
      [1, 2, 3, 4].map((k) => last + k * HOUR),
    );
    expect(
      maxGap(
        f.point[0],
        Array.from(byHand.channel(0), (v) => v * scale.std + scale.mean),
      ),
    ).toBeLessThan(1e-3);

    // Inline contexts: the same values one nominal gap apart are read with dt 1 at every step,
    // which is what the rows-as-steps path (no stamps) gives; uneven stamps change the forecast.
    const context = Array.from(y.subarray(N - 40));
    const even = context.map((_, i) => new Date(START + i * HOUR).toISOString());
    // gaps of 15 min, 1 h and 3 h in turn: dt 0.25, 1 and 3
    const uneven: string[] = [];
    for (let i = 0, at = START; i < context.length; at += [15, 60, 180][i % 3] * 60_000, i++)
      uneven.push(new Date(at).toISOString());
    const plain = await forecasts.forecast(id, { context, horizon: HORIZON });
    const withEven = await forecasts.forecast(id, { context, contextTimes: even, horizon: HORIZON });
    const withUneven = await forecasts.forecast(id, { context, contextTimes: uneven, horizon: HORIZON });
    expect(plain.timing).toBeUndefined();
    expect(withEven.timing).toMatchObject({ dt: true, nominalGap: HOUR });
    expect(maxGap(withEven.point[0], plain.point[0])).toBeLessThan(1e-3);
    expect(maxGap(withUneven.point[0], plain.point[0])).toBeGreaterThan(1e-3);
    expect(withUneven.steps[0].timestamp).toBe(new Date(Date.parse(uneven[39]) + HOUR).toISOString());

    // Split conformal on it: the residuals are truths minus forecasts made at the truths' stamps
    // (every origin after the training rows), so the served bounds are the point plus or minus
    // their ceil((n + 1) * 0.9)-th smallest |residual| per step.
    const { job } = await app.get(CalibrationService).create(id, { method: 'split', alpha: [0.1] });
    expect((await app.settle(job.id)).error).toBeNull();
    const trainEnd = Math.floor(N * DEFAULT_SPLIT.train);
    const residuals: number[][] = Array.from({ length: HORIZON }, () => []);
    for (let o = trainEnd; o + HORIZON <= N; o++) {
      const g = model.predictTimed(
        {
          values: [Float32Array.from(y.subarray(o - LOOKBACK, o), (v) => (v - scale.mean) / scale.std)],
          times: t.slice(o - LOOKBACK, o),
        },
        t.slice(o, o + HORIZON),
      );
      for (let h = 0; h < HORIZON; h++) residuals[h].push(y[o + h] - (g.at(h) * scale.std + scale.mean));
    }
    const n = residuals[0].length;
    const q = residuals.map((r) => r.map(Math.abs).sort((a, b) => a - b)[Math.ceil((n + 1) * 0.9) - 1]);
    const bounded = await forecasts.forecast(id, { seriesKey: 's', horizon: HORIZON });
    bounded.steps.forEach((st, h) => {
      expect(st['lo-90']).toBeCloseTo(bounded.point[0][h] - q[h], 3);
      expect(st['hi-90']).toBeCloseTo(bounded.point[0][h] + q[h], 3);
    });

    // an update would read new rows as steps: refused at the route and by the model itself
    await expect(app.get(ModelUpdatesService).update(id)).rejects.toMatchObject({
      details: [{ field: 'model' }],
    });
    await expect(model.update([[y.subarray(0, 30)]])).rejects.toMatchObject({
      details: [{ field: 'newObservations' }],
    });

    // bad stamps are named
    const field = async (req: Parameters<ForecastService['forecast']>[1]) => {
      try {
        await forecasts.forecast(id, req);
      } catch (e) {
        return (e as { details: { field: string }[] }).details[0].field;
      }
      return 'accepted';
    };
    expect(await field({ context, contextTimes: even.slice(1), horizon: HORIZON })).toBe('contextTimes');
    const back = [...even];
    back[7] = back[5];
    expect(await field({ context, contextTimes: back, horizon: HORIZON })).toBe('contextTimes[7]');
    expect(await field({ context, contextTimes: even, contextEnd: even[39], horizon: HORIZON })).toBe(
      'contextEnd',
    );
  });

  it('hourly stamps with holes: dt in whole hours (1, and 3 across a hole), refitted on every row with them', async () => {
    const t = stamps(WITH_HOLES);
    const { id, result, pipeline, frequency } = await trained('holes', t, 'ls4', 'all');
    expect(frequency).toBe('1h');
    expect(result.timing).toMatchObject({ dt: true, unit: 'steps of 1h', nominalGap: 1 });
    expect(result.fitOn).toBe('all');
    const model = pipeline.model as Ls4Forecaster;
    expect(model.nominalGap).toBe(1);
    const f = await forecasts.forecast(id, { seriesKey: 's', horizon: HORIZON });
    expect(f.timing).toMatchObject({ dt: true, unit: 'steps of 1h', nominalGap: 1 });
    // the context on the axis by hand: hours since the first stamp
    const hours = t.slice(N - LOOKBACK).map((ms) => (ms - t[N - LOOKBACK]) / HOUR);
    expect(hours.some((h, i) => i > 0 && h - hours[i - 1] === 3)).toBe(true);
    const [scale] = pipeline.scaler.scalesOf('s')!;
    const last = hours[LOOKBACK - 1];
    const byHand = model.predictTimed(
      {
        values: [Float32Array.from(y.subarray(N - LOOKBACK), (v) => (v - scale.mean) / scale.std)],
        times: hours,
      },
      [last + 1, last + 2, last + 3, last + 4],
    );
    expect(
      maxGap(
        f.point[0],
        Array.from(byHand.channel(0), (v) => v * scale.std + scale.mean),
      ),
    ).toBeLessThan(1e-3);
    expect(f.steps[0].timestamp).toBe(new Date(t[N - 1] + HOUR).toISOString());
  });

  it('evenly spaced stamps train and forecast as before (no timing); other kinds read uneven rows as steps, as they always have', async () => {
    const even = await trained('hourly', stamps(null));
    expect(even.frequency).toBe('1h');
    expect(even.result.timing).toBeUndefined();
    expect((even.pipeline.model as Ls4Forecaster).nominalGap).toBeNull();
    const f = await forecasts.forecast(even.id, { seriesKey: 's', horizon: HORIZON });
    expect(f.timing).toBeUndefined();
    expect(f.frequency).toBe('1h');

    const lin = await trained('off-grid-nlinear', stamps(OFF_GRID), 'nlinear');
    expect(lin.result.timing).toMatchObject({ dt: false, unit: 'ms', nominalGap: HOUR });
    expect((lin.result.timing as { note: string }).note).toMatch(/equally spaced steps/);
    const g = await forecasts.forecast(lin.id, { seriesKey: 's', horizon: HORIZON });
    // no frequency: its steps have no stamps, as before
    expect(g.timing).toBeUndefined();
    expect(g.frequency).toBeNull();
    expect(g.steps[0].timestamp).toBeNull();
  });
});
