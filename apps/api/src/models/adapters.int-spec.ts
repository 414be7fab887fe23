import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

/**
 * Online adapters over HTTP on the demo CO2 series: attach, forecast (the series' adapter
 * starts there), feed truths through the one observations route, inspect, reset, roll back,
 * restart. The truths are the frozen forecast's first step plus a level shift of 2 ppm, so
 * an adapter that learns moves its forecasts up.
 */
describe('adapters over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let modelId: string;
  let seriesKey: string;
  const SHIFT = 2;
  const env = () => ({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const settle = (id: string) =>
    waitFor(
      () => job(id),
      (j) => j.status === 'succeeded' || j.status === 'failed',
      120000,
    );
  const forecast = async (body: Record<string, unknown> = {}) =>
    (
      await api
        .http()
        .post(`/models/${modelId}/forecast`)
        .send({ seriesKey, horizon: 12, ...body })
        .expect(200)
    ).body;
  const observe = (body: Record<string, unknown>, status = 200) =>
    api.http().post(`/models/${modelId}/observations`).send(body).expect(status);
  const state = async (aid: string, key = seriesKey) =>
    (await api.http().get(`/models/${modelId}/adapters/${aid}/state`).query({ seriesKey: key }).expect(200))
      .body.series[0];

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi(env());
    const datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
    seriesKey = (await api.http().get(`/datasets/${datasetId}/series`).expect(200)).body.items[0].key;
    modelId = (
      await api
        .http()
        .post('/models')
        .send({ kind: 'nlinear', datasetId, target: 'CO2', lookback: 48, horizon: 12 })
        .expect(201)
    ).body.id;
    expect(
      (await settle((await api.http().post(`/models/${modelId}/train`).expect(202)).body.id)).status,
    ).toBe('succeeded');
  }, 120000);
  afterAll(() => api?.close());

  it('lists the methods and refuses bad adapters naming the field', async () => {
    const methods = (await api.http().get('/models/adapter-methods').expect(200)).body.map(
      (m: { method: string }) => m.method,
    );
    expect(methods).toEqual(expect.arrayContaining(['tafas', 'petsa', 'onenet']));
    let r = await api.http().post(`/models/${modelId}/adapters`).send({ method: 'magic' }).expect(400);
    expect(r.body.details[0].field).toBe('method');
    r = await api
      .http()
      .post(`/models/${modelId}/adapters`)
      .send({ method: 'petsa', options: { rank: 0 } })
      .expect(400);
    expect(r.body.details[0].field).toBe('options.rank');
    r = await api
      .http()
      .post(`/models/${modelId}/adapters`)
      .send({ method: 'petsa', options: { lr: -1 } })
      .expect(400);
    expect(r.body.details[0].field).toBe('options.lr');
    await api
      .http()
      .post('/models/00000000-0000-4000-8000-000000000000/adapters')
      .send({ method: 'petsa' })
      .expect(404);
    // nothing attached: the observations route says so
    await observe({ seriesKey, values: [1] }, 409);
    expect((await api.http().get(`/models/${modelId}/adapters`).expect(200)).body).toEqual([]);
  });

  it('adapts forecasts from observed truths; refuses repeats and unknown series; resets, rolls back and survives a restart', async () => {
    const frozen = await forecast();
    const adapter = (
      await api
        .http()
        .post(`/models/${modelId}/adapters`)
        .send({ method: 'petsa', options: { lr: 0.01 } })
        .expect(201)
    ).body;
    expect(adapter).toMatchObject({
      method: 'petsa',
      status: 'ready',
      options: expect.objectContaining({ rank: 16 }),
    });

    // the modules start as the identity: the first adapted forecast is the frozen one
    let f = await forecast();
    expect(f.adaptation).toMatchObject({ adapterId: adapter.id, method: 'petsa', at: 48, steps: 0 });
    f.point[0].forEach((v: number, h: number) => expect(v).toBeCloseTo(frozen.point[0][h], 3));
    const start = await state(adapter.id);
    expect(start).toMatchObject({ next: 48, steps: 0, updates: 0 });
    expect(start.parameterCount).toBeGreaterThan(0);

    // a stream of truths, one step each: the frozen forecast's first step shifted by SHIFT
    for (let t = 0; t < 40; t++) {
      const truth = frozen.point[0][0] + SHIFT + 0.1 * t;
      const r = (await observe({ seriesKey, values: [truth] })).body;
      expect(r.adaptation).toMatchObject({ adapterId: adapter.id, updated: true, next: 49 + t });
      for (const u of r.adaptation.updates) expect(u.labels[1]).toBeLessThan(49 + t);
      if (t === 0) {
        // the same forecast's truth again: refused, nothing changes
        const again = await observe({ seriesKey, values: [truth], forecastId: f.id }, 409);
        expect(again.body.details[0].field).toBe('forecastId');
        expect((await state(adapter.id)).next).toBe(49);
      }
      f = await forecast();
      expect(f.adaptation.at).toBe(49 + t);
    }
    const after = await state(adapter.id);
    expect(after.next).toBe(88);
    expect(after.steps).toBeGreaterThan(0);
    expect(after.rollbackPoints.length).toBeGreaterThan(10);

    // a context is refused once the series is streamed; unknown series and forecasts are 404
    let r = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 12, context: new Array(48).fill(300) })
      .expect(409);
    expect(r.body.details[0].field).toBe('context');
    r = await observe({ seriesKey: 'no-such-series', values: [1] }, 404);
    expect(r.body.details[0].field).toBe('seriesKey');
    r = await observe({ seriesKey, values: [1, Number.NaN] }, 400);

    // a second series adapts on its own (its context given at its first forecast)
    const other = await forecast({
      seriesKey: 'other',
      context: Array.from({ length: 60 }, (_, i) => 320 + Math.sin(i / 2)),
    });
    expect(other.adaptation).toMatchObject({ at: 48, steps: 0 });
    await observe({ seriesKey: 'other', values: [321] });
    expect((await state(adapter.id, 'other')).next).toBe(49);
    expect((await state(adapter.id)).next).toBe(88);

    // rollback: the state as at stream time 60 (observations resume there); reset: identity modules, stream kept
    const back = (
      await api
        .http()
        .post(`/models/${modelId}/adapters/${adapter.id}/rollback`)
        .send({ seriesKey, seq: 60 })
        .expect(200)
    ).body;
    expect(back.next).toBe(60);
    expect(back.rollbackPoints[0]).toBe(60);
    r = await api
      .http()
      .post(`/models/${modelId}/adapters/${adapter.id}/rollback`)
      .send({ seriesKey, seq: 1000 })
      .expect(404);
    expect(r.body.details[0].field).toBe('seq');
    // the newest forecast started at time 88: its truth would leave a gap in the rolled-back stream
    r = await observe({ seriesKey, values: [1] }, 409);
    expect(r.body.details[0].field).toBe('at');
    expect((await state(adapter.id)).next).toBe(60);
    f = await forecast();
    expect(f.adaptation.at).toBe(60);
    const reset = (
      await api.http().post(`/models/${modelId}/adapters/${adapter.id}/reset`).send({ seriesKey }).expect(200)
    ).body;
    expect(reset).toMatchObject({ next: 60, steps: 0 });

    // a restart keeps every series' state: the same forecast after as before
    await observe({ seriesKey, values: [frozen.point[0][0] + SHIFT] });
    const before = await forecast();
    await api.close();
    api = await startApi(env());
    const afterRestart = await forecast();
    expect(afterRestart.adaptation).toEqual(before.adaptation);
    afterRestart.point[0].forEach((v: number, h: number) => expect(v).toBeCloseTo(before.point[0][h], 5));
    expect((await state(adapter.id, 'other')).next).toBe(49);
  }, 120000);

  it('adapts a two-target model: the truth of every channel at once, refused one channel at a time', async () => {
    const datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
    const id = (
      await api
        .http()
        .post('/models')
        .send({ kind: 'linear', datasetId, targets: ['CO2', 'adjusted CO2'], lookback: 24, horizon: 6 })
        .expect(201)
    ).body.id;
    expect((await settle((await api.http().post(`/models/${id}/train`).expect(202)).body.id)).status).toBe(
      'succeeded',
    );
    await api.http().post(`/models/${id}/adapters`).send({ method: 'onenet' }).expect(201);
    const f = (await api.http().post(`/models/${id}/forecast`).send({ seriesKey, horizon: 6 }).expect(200))
      .body;
    expect(f.channels).toEqual(['CO2', 'adjusted CO2']);
    expect(f.adaptation).toMatchObject({ method: 'onenet', steps: 0 });
    let r = await api
      .http()
      .post(`/models/${id}/observations`)
      .send({ seriesKey, values: [f.point[0][0]] })
      .expect(400);
    expect(r.body.details[0].field).toBe('valuesByChannel');
    r = await api
      .http()
      .post(`/models/${id}/observations`)
      .send({ seriesKey, valuesByChannel: [[f.point[0][0]]] })
      .expect(400);
    expect(r.body.details[0].field).toBe('valuesByChannel');
    r = await api
      .http()
      .post(`/models/${id}/observations`)
      .send({ seriesKey, valuesByChannel: [[f.point[0][0] + 1], [f.point[1][0] - 1]] })
      .expect(200);
    expect(r.body.adaptation).toMatchObject({ updated: true, next: f.adaptation.at + 1 });
    const g = (await api.http().post(`/models/${id}/forecast`).send({ seriesKey, horizon: 6 }).expect(200))
      .body;
    expect(g.adaptation.at).toBe(f.adaptation.at + 1);
  }, 120000);

  it('keeps a calibrator updating on the adapted forecasts, and detaching stops adapting', async () => {
    const cal = (await api.http().post(`/models/${modelId}/calibrators`).send({ method: 'aci' }).expect(202))
      .body;
    expect((await settle(cal.job.id)).status).toBe('succeeded');
    const f = await forecast();
    expect(f.adaptation).not.toBeNull();
    expect(f.interval).toMatchObject({ calibratorId: cal.calibrator.id });
    // the bounds go around the adapted point
    expect(f.bounds['lo-90'][0][0]).toBeLessThan(f.point[0][0]);
    expect(f.bounds['hi-90'][0][0]).toBeGreaterThan(f.point[0][0]);
    const r = (await observe({ seriesKey, values: [f.point[0][0] + 0.5] })).body;
    expect(r.calibratorId).toBe(cal.calibrator.id);
    expect(r.residuals[0]).toBeCloseTo(0.5, 3);
    expect(r.adaptation.updated).toBe(true);

    const adapters = (await api.http().get(`/models/${modelId}/adapters`).expect(200)).body;
    await api.http().delete(`/models/${modelId}/adapters/${adapters[0].id}`).expect(200);
    expect((await forecast()).adaptation).toBeNull();
  }, 120000);
});
