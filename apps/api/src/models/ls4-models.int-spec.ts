import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

/**
 * LS4 over HTTP as a user runs it (a tiny configuration so the spec trains in seconds):
 * probabilistic forecasts served as quantiles and sample paths, and unconditional generation.
 */
describe('LS4 over HTTP', () => {
  let api: TestApi;
  let modelId: string;
  let seriesKey: string;
  let datasetId: string;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
    seriesKey = (await api.http().get(`/datasets/${datasetId}/series`).expect(200)).body.items[0].key;
    modelId = (
      await api
        .http()
        .post('/models')
        .send({
          kind: 'ls4',
          datasetId,
          target: 'CO2',
          lookback: 24,
          horizon: 6,
          config: {
            dModel: 8,
            stateSize: 8,
            layers: 1,
            zDim: 2,
            epochs: 2,
            batchSize: 32,
            samples: 40,
            emaDecay: 0,
          },
        })
        .expect(201)
    ).body.id;
    const job = (await api.http().post(`/models/${modelId}/train`).expect(202)).body;
    const done = await waitFor(
      async () => (await api.http().get(`/jobs/${job.id}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      120000,
    );
    expect(done.error ?? null).toBeNull();
  }, 150000);
  afterAll(() => api?.close());

  it('serves quantiles and sample paths of its forecast distribution', async () => {
    const f = (
      await api
        .http()
        .post(`/models/${modelId}/forecast`)
        .send({ seriesKey, horizon: 6, quantiles: [0.1, 0.5, 0.9], samples: true })
        .expect(200)
    ).body;
    expect(f.samples).toHaveLength(40);
    const q = (level: string) => f.quantiles[level][0] as number[];
    for (let h = 0; h < 6; h++) {
      expect(q('0.1')[h]).toBeLessThanOrEqual(q('0.5')[h]);
      expect(q('0.5')[h]).toBeLessThanOrEqual(q('0.9')[h]);
      // the quantiles are those of the paths served beside them
      const at = (f.samples as number[][][]).map((s) => s[0][h]).sort((a, b) => a - b);
      expect(q('0.1')[h]).toBeGreaterThanOrEqual(at[0]);
      expect(q('0.9')[h]).toBeLessThanOrEqual(at[at.length - 1]);
    }
    // the point is the paths' mean
    const mean = (f.samples as number[][][]).reduce((s, p) => s + p[0][0], 0) / 40;
    expect(f.point[0][0]).toBeCloseTo(mean, 3);
  });

  it('generates sample paths, in a training series units or standardised, and refuses bad requests naming the field', async () => {
    const std = (
      await api.http().post(`/models/${modelId}/samples`).send({ count: 3, length: 20, seed: 1 }).expect(200)
    ).body;
    expect(std).toMatchObject({ count: 3, length: 20, units: 'standardised', channels: ['CO2'] });
    expect(std.paths).toHaveLength(3);
    expect(std.paths[0][0]).toHaveLength(20);
    const again = (
      await api.http().post(`/models/${modelId}/samples`).send({ count: 3, length: 20, seed: 1 }).expect(200)
    ).body;
    expect(again.paths).toEqual(std.paths);
    const inUnits = (
      await api
        .http()
        .post(`/models/${modelId}/samples`)
        .send({ count: 3, length: 20, seed: 1, seriesKey })
        .expect(200)
    ).body;
    expect(inUnits.units).toBe('series');
    // the same draws, mapped by the series' training scale (CO2 in ppm: hundreds)
    const ratio =
      (inUnits.paths[0][0][1] - inUnits.paths[0][0][0]) / (std.paths[0][0][1] - std.paths[0][0][0]);
    expect(ratio).toBeGreaterThan(0);
    expect(Math.abs(inUnits.paths[0][0][0])).toBeGreaterThan(100);

    let r = await api.http().post(`/models/${modelId}/samples`).send({ count: 0, length: 20 }).expect(400);
    expect(r.body.details[0].field).toBe('count');
    r = await api.http().post(`/models/${modelId}/samples`).send({ count: 2, length: 100000 }).expect(400);
    expect(r.body.details[0].field).toBe('length');
    r = await api
      .http()
      .post(`/models/${modelId}/samples`)
      .send({ count: 2, length: 5, seriesKey: 'nope' })
      .expect(404);
    expect(r.body.details[0].field).toBe('seriesKey');
    const lin = (
      await api
        .http()
        .post('/models')
        .send({ kind: 'nlinear', datasetId, target: 'CO2', lookback: 24, horizon: 6 })
        .expect(201)
    ).body.id;
    const job = (await api.http().post(`/models/${lin}/train`).expect(202)).body;
    await waitFor(
      async () => (await api.http().get(`/jobs/${job.id}`).expect(200)).body,
      (j) => j.status === 'succeeded',
      60000,
    );
    r = await api.http().post(`/models/${lin}/samples`).send({ count: 2, length: 5 }).expect(422);
    expect(r.body.details[0].field).toBe('kind');
  }, 90000);
});
