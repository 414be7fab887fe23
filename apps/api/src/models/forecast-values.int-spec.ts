import { forecastFromResult, forecastsFromTable, ForecastResult } from '@seqcast/models';
import { tableFromIPC } from 'apache-arrow';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

/**
 * The Forecast value over HTTP on the demo CO2 series: the JSON answer carries the per-channel
 * arrays beside the univariate steps, intervals by level, and the same values in Arrow.
 */
describe('forecast values over HTTP', () => {
  let api: TestApi;
  let modelId: string;
  let seriesKey: string;
  const settle = (id: string) =>
    waitFor(
      async () => (await api.http().get(`/jobs/${id}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      120000,
    );
  const arrow = async (body: object) =>
    tableFromIPC(
      (
        await api
          .http()
          .post(`/models/${modelId}/forecast`)
          .set('accept', 'application/vnd.apache.arrow.stream')
          .send(body)
          .buffer(true)
          .parse((res, cb) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => cb(null, Buffer.concat(chunks)));
          })
          .expect(200)
      ).body as Buffer,
    );

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    const datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
    seriesKey = (await api.http().get(`/datasets/${datasetId}/series`).expect(200)).body.items[0].key;
    modelId = (
      await api
        .http()
        .post('/models')
        .send({ kind: 'nlinear', datasetId, target: 'CO2', lookback: 48, horizon: 6 })
        .expect(201)
    ).body.id;
    expect(
      (await settle((await api.http().post(`/models/${modelId}/train`).expect(202)).body.id)).status,
    ).toBe('succeeded');
  }, 120000);
  afterAll(() => api?.close());

  it('answers per-channel arrays beside the steps, and refuses quantiles or samples of a point model', async () => {
    const f: ForecastResult = (
      await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon: 6 }).expect(200)
    ).body;
    expect(f.channels).toEqual(['CO2']);
    expect(f.point).toEqual([f.steps.map((s) => s.value)]);
    expect(f.start).toBe(f.steps[0].timestamp);
    expect(f.interval).toBeNull();
    expect(f.bounds).toBeUndefined();
    let r = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 6, quantiles: [0.1] })
      .expect(422);
    expect(r.body.details[0].field).toBe('quantiles');
    r = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 6, samples: true })
      .expect(422);
    expect(r.body.details[0].field).toBe('samples');
    await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 6, quantiles: [1.5] })
      .expect(400);
  });

  it('carries calibrated intervals by level in JSON and Arrow alike, and takes the truth of a named channel', async () => {
    const { job } = (
      await api
        .http()
        .post(`/models/${modelId}/calibrators`)
        .send({ method: 'split', alpha: [0.1, 0.2] })
        .expect(202)
    ).body;
    expect((await settle(job.id)).status).toBe('succeeded');
    const f: ForecastResult = (
      await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon: 6 }).expect(200)
    ).body;
    expect(f.interval).toMatchObject({ method: 'split', levels: ['80', '90'] });
    expect(f.bounds!['lo-90']).toEqual([f.steps.map((s) => s['lo-90'])]);
    expect(f.bounds!['hi-80']).toEqual([f.steps.map((s) => s['hi-80'])]);
    const fromJson = forecastFromResult(f);
    const [fromArrow] = forecastsFromTable(await arrow({ seriesKey, horizon: 6 }));
    expect(fromArrow.point()).toEqual(fromJson.point());
    for (const level of ['80', '90']) expect(fromArrow.interval(level)).toEqual(fromJson.interval(level));

    await api
      .http()
      .post(`/models/${modelId}/observations`)
      .send({ seriesKey, values: [400], forecastId: f.id, channel: 'N2O' })
      .expect(400);
    const obs = (
      await api
        .http()
        .post(`/models/${modelId}/observations`)
        .send({ seriesKey, values: [f.steps[0].value + 1], forecastId: f.id, channel: 'CO2' })
        .expect(200)
    ).body;
    expect(obs.residuals[0]).toBeCloseTo(1, 4);
  }, 120000);
});
