import * as fs from 'fs';
import { simulateAr } from '@seqcast/forecast';
import { qrLeastSquares } from '@seqcast/numeric';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

/**
 * POST /models/:id/train {fitOn: "all"} over HTTP: a least-squares kind ('linear', ridge 0)
 * on a series whose last part follows another process than its first. Fitted on every row,
 * the served forecast is the closed-form least-squares fit on all rows under the scale of all
 * rows, worked out here by QR; fitted on the split (the default) it is the fit on the first
 * 70%, and the two differ because the newest rows differ.
 */

const H = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const LOOKBACK = 3;
const HORIZON = 2;
const ROWS = 200;
/** The train job's split: the model learns each series' first 70% of the rows. */
const TRAIN_END = Math.floor(ROWS * 0.7);

// the first 140 rows around 10, the last 60 a different AR process around 30
const early = simulateAr({ coefficients: [0.6, -0.2], length: TRAIN_END, noiseStd: 1, seed: 7 });
const late = simulateAr({ coefficients: [-0.5, 0.3], length: ROWS - TRAIN_END, noiseStd: 3, seed: 8 });
const VALUES = Float32Array.from([...Array.from(early, (v) => 10 + v), ...Array.from(late, (v) => 30 + v)]);

function csv(values: Float32Array): string {
  const lines = ['key,time,value'];
  values.forEach((v, i) => lines.push(`a,${new Date(START + i * H).toISOString()},${v}`));
  return lines.join('\n');
}

/**
 * The direct linear model by hand: rows [0, end) standardised by their own mean and population
 * std (as float32, as the pipeline hands them to the model), every window, one least-squares
 * regression with an intercept per horizon step (QR); the forecast from the series' last
 * LOOKBACK values, on the data's scale.
 */
function referenceForecast(end: number): number[] {
  const rows = VALUES.subarray(0, end);
  let mean = 0;
  for (const v of rows) mean += v;
  mean /= end;
  let ss = 0;
  for (const v of rows) ss += (v - mean) ** 2;
  const std = Math.sqrt(ss / end);
  const z = Float32Array.from(rows, (v) => (v - mean) / std);
  const zLast = Float32Array.from(VALUES.subarray(ROWS - LOOKBACK), (v) => (v - mean) / std);
  const cols = LOOKBACK + 1;
  const n = end - LOOKBACK - HORIZON + 1;
  const x = new Float64Array(n * cols);
  for (let r = 0; r < n; r++) {
    x[r * cols] = 1;
    for (let i = 0; i < LOOKBACK; i++) x[r * cols + 1 + i] = z[r + i];
  }
  return Array.from({ length: HORIZON }, (_, h) => {
    const y = Float64Array.from({ length: n }, (_, r) => z[r + LOOKBACK + h]);
    const w = qrLeastSquares(x, n, cols, y);
    let f = w[0];
    for (let i = 0; i < LOOKBACK; i++) f += w[1 + i] * zLast[i];
    return f * std + mean;
  });
}

describe('POST /models/:id/train {fitOn}', () => {
  let api: TestApi;
  let dir: string;
  let datasetId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    datasetId = (
      await api
        .http()
        .post('/datasets?name=shift&keyColumns=key&timeColumn=time&valueColumns=value')
        .set('Content-Type', 'text/csv')
        .send(csv(VALUES))
        .expect(201)
    ).body.id;
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const settle = (id: string) =>
    waitFor(
      async () => (await api.http().get(`/jobs/${id}`).expect(200)).body,
      (x) => x.status === 'succeeded' || x.status === 'failed',
      60000,
    );
  const create = async () =>
    (
      await api
        .http()
        .post('/models')
        .send({
          kind: 'linear',
          config: { lookback: LOOKBACK, horizon: HORIZON, ridge: 0 },
          datasetId,
          target: 'value',
          lookback: LOOKBACK,
          horizon: HORIZON,
        })
        .expect(201)
    ).body.id as string;
  const train = async (id: string, body: Record<string, unknown>) => {
    const done = await settle((await api.http().post(`/models/${id}/train`).send(body).expect(202)).body.id);
    expect(done.error).toBeNull();
    return done.result as { fitOn: string; test: unknown };
  };
  const forecast = async (id: string) =>
    (
      await api.http().post(`/models/${id}/forecast`).send({ seriesKey: 'a', horizon: HORIZON }).expect(200)
    ).body.steps.map((s: { value: number }) => s.value) as number[];
  const close = (got: number[], want: number[]) =>
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(want[i]))));

  it('is described in the OpenAPI document', async () => {
    const doc = (await api.http().get('/docs/json').expect(200)).body;
    const fitOn = doc.components.schemas.TrainModelDto.properties.fitOn;
    expect(fitOn.enum).toEqual(['split', 'all']);
    expect(fitOn.description).toContain('every row');
  });

  it('fitOn "all" serves the least-squares fit on every row; the default fits the first 70%', async () => {
    const all = referenceForecast(ROWS);
    const split = referenceForecast(TRAIN_END);
    // the newest rows move the fit: the two references are far apart
    expect(Math.abs(all[0] - split[0])).toBeGreaterThan(1);

    const onAll = await create();
    const allResult = await train(onAll, { fitOn: 'all' });
    expect(allResult.fitOn).toBe('all');
    close(await forecast(onAll), all);

    const onSplit = await create();
    const splitResult = await train(onSplit, {});
    expect(splitResult.fitOn).toBe('split');
    close(await forecast(onSplit), split);
    // the test metrics are the split fit's in both (the refit has seen the test rows)
    expect(allResult.test).toEqual(splitResult.test);

    const versions = async (id: string) => (await api.http().get(`/models/${id}/versions`).expect(200)).body;
    expect((await versions(onAll))[0]).toMatchObject({ version: 1, fitOn: 'all' });
    expect((await versions(onSplit))[0]).toMatchObject({ version: 1, fitOn: 'split' });
    expect((await versions(onAll))[0].metrics.refit).toMatchObject({
      windows: ROWS - LOOKBACK - HORIZON + 1,
    });

    // a version fitted on every row has no held-out rows to calibrate on
    const cal = await api.http().post(`/models/${onAll}/calibrators`).send({ method: 'split' }).expect(422);
    expect(cal.body.details[0]).toMatchObject({ field: 'fitOn' });
  });

  it('refuses an unknown fitOn (400 naming the field), queueing nothing', async () => {
    const id = await create();
    const r = await api.http().post(`/models/${id}/train`).send({ fitOn: 'everything' }).expect(400);
    expect(JSON.stringify(r.body)).toContain('fitOn');
    const model = (await api.http().get(`/models/${id}`).expect(200)).body;
    expect(model.status).toBe('created');
  });
});
