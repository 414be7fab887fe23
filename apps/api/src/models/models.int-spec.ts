import { tableFromIPC } from 'apache-arrow';
import * as fs from 'fs';
import * as path from 'path';
import { startApi, tempDataDir, TestApi, waitFor, collectBytes } from '../../../../test/support/api';

/**
 * The forecasting flow as a user drives it over HTTP, on a small real series: the demo
 * dataset (monthly CO2 at Mauna Loa, from vega-datasets) loaded on first start.
 */
describe('models over HTTP: create, train, forecast', () => {
  let api: TestApi;
  let dir: string;
  let datasetId: string;
  let seriesKey: string;
  let lastDate: string;
  let modelId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    const ds = (await api.http().get('/datasets').expect(200)).body.items[0];
    datasetId = ds.id;
    const series = (await api.http().get(`/datasets/${datasetId}/series`).expect(200)).body.items[0];
    seriesKey = series.key;
    lastDate = series.last;
  }, 60000);
  afterAll(() => api?.close());

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;

  it('lists model kinds with config schemas', async () => {
    const kinds = (await api.http().get('/models/kinds').expect(200)).body;
    const names = kinds.map((k: { kind: string }) => k.kind);
    expect(names).toEqual(
      expect.arrayContaining([
        'naive',
        'seasonal-naive',
        'drift',
        'classic-ar',
        'linear',
        'dlinear',
        'nlinear',
        'ar-net',
        'spacetime',
        'ls4',
      ]),
    );
    expect(
      kinds.find((k: { kind: string }) => k.kind === 'nlinear').configSchema.properties.ridge,
    ).toBeDefined();
  });

  it('refuses models that cannot work, naming the field', async () => {
    let r = await api
      .http()
      .post('/models')
      .send({ kind: 'prophet', datasetId, target: 'CO2', lookback: 24, horizon: 12 })
      .expect(400);
    expect(r.body.details[0]).toMatchObject({ field: 'kind' });
    r = await api
      .http()
      .post('/models')
      .send({ kind: 'nlinear', datasetId, target: 'N2O', lookback: 24, horizon: 12 })
      .expect(400);
    expect(r.body.details[0]).toMatchObject({ field: 'target' });
    expect(r.body.details[0].reason).toContain('CO2');
    r = await api
      .http()
      .post('/models')
      .send({ kind: 'nlinear', datasetId, target: 'CO2', lookback: 24, horizon: 12, config: { ridge: -1 } })
      .expect(400);
    expect(r.body.details[0].field).toContain('ridge');
    await api
      .http()
      .post('/models')
      .send({
        kind: 'nlinear',
        datasetId: '00000000-0000-4000-8000-000000000000',
        target: 'CO2',
        lookback: 24,
        horizon: 12,
      })
      .expect(404);
  });

  it('trains a model as a job and forecasts with timestamps after the last observation', async () => {
    const m = (
      await api
        .http()
        .post('/models')
        .send({ kind: 'nlinear', datasetId, target: 'CO2', lookback: 48, horizon: 12 })
        .expect(201)
    ).body;
    modelId = m.id;
    expect(m).toMatchObject({ status: 'created', lookback: 48, horizon: 12 });
    const early = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 12 })
      .expect(409);
    expect(early.body.message).toContain('train');

    const j = (await api.http().post(`/models/${modelId}/train`).expect(202)).body;
    const done = await waitFor(
      () => job(j.id),
      (x) => ['succeeded', 'failed'].includes(x.status),
      60000,
    );
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    // Standardised test MSE of a linear model on CO2 (trend + season) is far below the variance (1).
    expect(done.result.test.mse).toBeLessThan(0.1);
    expect((await api.http().get(`/models/${modelId}`).expect(200)).body.status).toBe('trained');
    const versions = (await api.http().get(`/models/${modelId}/versions`).expect(200)).body;
    expect(versions).toHaveLength(1);

    const f = (
      await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon: 12 }).expect(200)
    ).body;
    expect(f.steps).toHaveLength(12);
    expect(f.origin.slice(0, 10)).toBe(String(lastDate).slice(0, 10));
    const months = f.steps.map((s: { timestamp: string }) => s.timestamp.slice(0, 7));
    const first = new Date(f.origin);
    first.setUTCMonth(first.getUTCMonth() + 1);
    expect(months[0]).toBe(first.toISOString().slice(0, 7));
    // CO2 is 300-450 ppm: a forecast in scale shows the scaler was inverted.
    for (const s of f.steps) expect(s.value).toBeGreaterThan(300);
    for (const s of f.steps) expect(s.value).toBeLessThan(500);

    const arrow = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .set('accept', 'application/vnd.apache.arrow.stream')
      .send({ seriesKey, horizon: 12 })
      .buffer(true)
      .parse(collectBytes)
      .expect(200);
    const table = tableFromIPC(arrow.body as Buffer);
    expect(table.numRows).toBe(12);
    expect(Array.from(table.getChild('value')!.toArray() as Float64Array)).toEqual(
      f.steps.map((s: { value: number }) => s.value),
    );
  }, 90000);

  it('forecasts from a given context, and answers requests that do not fit', async () => {
    const context = Array.from({ length: 48 }, (_, i) => 400 + Math.sin((2 * Math.PI * i) / 12));
    const f = (
      await api
        .http()
        .post(`/models/${modelId}/forecast`)
        .send({ seriesKey: 'other', horizon: 3, context, contextEnd: '2030-01-01T00:00:00Z' })
        .expect(200)
    ).body;
    expect(f.steps.map((s: { timestamp: string }) => s.timestamp.slice(0, 7))).toEqual([
      '2030-02',
      '2030-03',
      '2030-04',
    ]);
    let r = await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon: 13 }).expect(422);
    expect(r.body.details[0].field).toBe('horizon');
    r = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey: 'nope', horizon: 3 })
      .expect(404);
    expect(r.body.details[0].field).toBe('seriesKey');
    r = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 3, context: [1, 2, 3] })
      .expect(422);
    expect(r.body.details[0].field).toBe('context');
    r = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 3, context: ['a'] })
      .expect(400);
    expect(r.body.details[0].field).toBe('context');
  });

  it('runs a batch forecast over all series into an Arrow file', async () => {
    const j = (await api.http().post(`/models/${modelId}/batch-forecasts`).send({ horizon: 6 }).expect(202))
      .body;
    const done = await waitFor(
      () => job(j.id),
      (x) => x.status === 'succeeded' || x.status === 'failed',
      30000,
    );
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ series: 1, rows: 6, horizon: 6 });
    const file = await api
      .http()
      .get(`/models/${modelId}/batch-forecasts/${j.id}`)
      .buffer(true)
      .parse(collectBytes)
      .expect(200);
    expect(tableFromIPC(file.body as Buffer).numRows).toBe(6);
  }, 60000);

  it('reads AR coefficients, and schedules retraining', async () => {
    const m = (
      await api
        .http()
        .post('/models')
        .send({
          kind: 'classic-ar',
          datasetId,
          target: 'CO2',
          lookback: 24,
          horizon: 12,
          config: { order: 13 },
        })
        .expect(201)
    ).body;
    const j = (await api.http().post(`/models/${m.id}/train`).expect(202)).body;
    expect(
      (
        await waitFor(
          () => job(j.id),
          (x) => x.status === 'succeeded' || x.status === 'failed',
          60000,
        )
      ).status,
    ).toBe('succeeded');
    const c = (await api.http().get(`/models/${m.id}/coefficients`).expect(200)).body;
    expect(c.lags).toHaveLength(13);
    await api.http().get(`/models/${modelId}/coefficients`).expect(422);
    await api
      .http()
      .post(`/models/${m.id}/schedules`)
      .send({ action: 'retrain', cron: 'sometimes' })
      .expect(400);
    const s = (
      await api
        .http()
        .post(`/models/${m.id}/schedules`)
        .send({ action: 'retrain', cron: '0 3 * * *' })
        .expect(201)
    ).body;
    expect(s).toMatchObject({ jobType: 'model.train', payload: { modelId: m.id } });
    expect((await api.http().get(`/models/${m.id}/schedules`).expect(200)).body).toHaveLength(1);
  }, 90000);

  it('gives identical forecasts after a restart (weights loaded from the artifact)', async () => {
    const before = (
      await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon: 12 }).expect(200)
    ).body;
    await api.close();
    api = await startApi({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    const after = (
      await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon: 12 }).expect(200)
    ).body;
    expect(after.steps).toEqual(before.steps);
  }, 60000);

  it('serves a model saved before the scaling pipeline (scales in the manifest) as it was served then', async () => {
    // libs/forecast's pinned artifacts, written by the code before the pipeline, with what
    // its serving path answered then; put in place of this model's current version.
    const fixtures = path.join(__dirname, '../../../../libs/forecast/src/pipeline/testdata');
    const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'expected.json'), 'utf8'));
    const { artifactRef } = (await api.http().get(`/models/${modelId}/versions`).expect(200)).body[0];
    fs.cpSync(path.join(fixtures, 'legacy-nlinear'), path.join(dir, 'artifacts', artifactRef), {
      recursive: true,
    });
    await api.close();
    api = await startApi({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    const values = async (key: string, context: number[]) =>
      (
        await api
          .http()
          .post(`/models/${modelId}/forecast`)
          .send({ seriesKey: key, horizon: 6, context })
          .expect(200)
      ).body.steps.map((s: { value: number }) => s.value);
    // 'co2' is scaled by the scale the artifact kept for it; 'other' by its own context.
    expect(await values('co2', expected.values)).toEqual(expected.forecasts['legacy-nlinear'].seen);
    expect(await values('other', expected.unseen)).toEqual(expected.forecasts['legacy-nlinear'].unseen);
  }, 60000);
});
