import { forecastFromResult, ForecastResult, forecastsFromTable } from '@seqcast/models';
import { tableFromIPC } from 'apache-arrow';
import { startApi, tempDataDir, TestApi, waitFor, collectBytes } from '../../../../test/support/api';

type Step = Record<string, number | string | null> & { value: number };

/** Conformal intervals on a trained model over HTTP, on the demo CO2 series. */
describe('calibrators over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let modelId: string;
  let seriesKey: string;

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const settle = (id: string) =>
    waitFor(
      () => job(id),
      (j) => j.status === 'succeeded' || j.status === 'failed',
      120000,
    );
  const forecast = async (horizon = 12) =>
    (await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon }).expect(200)).body;
  /** The forecast answered in Arrow IPC (Accept: application/vnd.apache.arrow.stream). */
  const arrowForecast = async (horizon: number) =>
    tableFromIPC(
      (
        await api
          .http()
          .post(`/models/${modelId}/forecast`)
          .set('accept', 'application/vnd.apache.arrow.stream')
          .send({ seriesKey, horizon })
          .buffer(true)
          .parse(collectBytes)
          .expect(200)
      ).body as Buffer,
    );

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
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

  it('refuses bad calibrators with the field named', async () => {
    let r = await api.http().post(`/models/${modelId}/calibrators`).send({ method: 'magic' }).expect(400);
    expect(r.body.details[0].field).toBe('method');
    r = await api
      .http()
      .post(`/models/${modelId}/calibrators`)
      .send({ method: 'split', alpha: [1.5] })
      .expect(400);
    expect(r.body.details[0].field).toMatch(/alpha/);
    r = await api
      .http()
      .post(`/models/${modelId}/calibrators`)
      .send({ method: 'aci', options: { gamma: -1 } })
      .expect(400);
    expect(r.body.details[0].field).toMatch(/gamma/);
    await api
      .http()
      .post(`/models/${modelId}/observations`)
      .send({ seriesKey, values: [1] })
      .expect(409);
  });

  it('answers per-channel arrays beside the steps, and refuses quantiles or samples of a point model', async () => {
    const f: ForecastResult = await forecast(6);
    expect(f.channels).toEqual(['CO2']);
    expect(f.point).toEqual([f.steps.map((s) => s.value)]);
    expect(f.start).toBe(f.steps[0].timestamp);
    expect(f.interval).toBeNull();
    expect(f.bounds).toBeUndefined();
    const ask = (body: object, status: number) =>
      api
        .http()
        .post(`/models/${modelId}/forecast`)
        .send({ seriesKey, horizon: 6, ...body })
        .expect(status);
    expect((await ask({ quantiles: [0.1] }, 422)).body.details[0].field).toBe('quantiles');
    expect((await ask({ samples: true }, 422)).body.details[0].field).toBe('samples');
    await ask({ quantiles: [1.5] }, 400);
  });

  it('puts nested split-conformal bounds on forecasts', async () => {
    const { calibrator, job: j } = (
      await api
        .http()
        .post(`/models/${modelId}/calibrators`)
        .send({ method: 'split', alpha: [0.1, 0.2] })
        .expect(202)
    ).body;
    expect(calibrator.status).toBe('fitting');
    expect((await settle(j.id)).status).toBe('succeeded');
    const f = await forecast();
    expect(f.interval).toMatchObject({ method: 'split', levels: expect.arrayContaining(['90', '80']) });
    for (const s of f.steps as Step[]) {
      // A 90% interval contains the 80% one, which contains the point (symmetric scores).
      expect(s['lo-90']).toBeLessThanOrEqual(s['lo-80'] as number);
      expect(s['lo-80']).toBeLessThanOrEqual(s.value);
      expect(s.value).toBeLessThanOrEqual(s['hi-80'] as number);
      expect(s['hi-80']).toBeLessThanOrEqual(s['hi-90'] as number);
    }
    // Farther steps are harder: the 12-step interval is wider than the 1-step one.
    const w = (s: Step) => (s['hi-90'] as number) - (s['lo-90'] as number);
    expect(w(f.steps[11])).toBeGreaterThan(w(f.steps[0]));
    // The Arrow answer carries the same bounds as columns.
    const table = await arrowForecast(12);
    expect(table.schema.fields.map((x) => x.name)).toEqual([
      'series',
      'step',
      'timestamp',
      'value',
      'hi-80',
      'hi-90',
      'lo-80',
      'lo-90',
    ]);
    expect(Array.from(table.getChild('lo-90')!.toArray() as Float64Array)).toEqual(
      f.steps.map((s: Step) => s['lo-90']),
    );
  }, 120000);

  it('carries the intervals by level in JSON and Arrow alike, and takes the truth of a named channel', async () => {
    const f: ForecastResult = await forecast(6);
    expect(f.interval).toMatchObject({ method: 'split', levels: ['80', '90'] });
    expect(f.bounds!['lo-90']).toEqual([f.steps.map((s) => s['lo-90'])]);
    expect(f.bounds!['hi-80']).toEqual([f.steps.map((s) => s['hi-80'])]);
    const fromJson = forecastFromResult(f);
    const [fromArrow] = forecastsFromTable(await arrowForecast(6));
    expect(fromArrow.point()).toEqual(fromJson.point());
    for (const level of ['80', '90']) expect(fromArrow.interval(level)).toEqual(fromJson.interval(level));
    const observe = (channel: string, status: number) =>
      api
        .http()
        .post(`/models/${modelId}/observations`)
        .send({ seriesKey, values: [f.steps[0].value + 1], forecastId: f.id, channel })
        .expect(status);
    expect((await observe('N2O', 400)).body.details[0].field).toBe('channel');
    expect((await observe('CO2', 200)).body.residuals[0]).toBeCloseTo(1, 4);
  });

  it('adapts ACI online from observations, and keeps the state across a restart', async () => {
    const { job: j } = (
      await api
        .http()
        .post(`/models/${modelId}/calibrators`)
        .send({ method: 'aci', alpha: [0.1], options: { gamma: 0.05 } })
        .expect(202)
    ).body;
    expect((await settle(j.id)).status).toBe('succeeded');
    const f1 = await forecast();
    const width1 = (f1.steps[0]['hi-90'] as number) - (f1.steps[0]['lo-90'] as number);
    // Truth far outside the interval: err_t = 1, so alpha_t falls by gamma * (1 - alpha) and the interval widens.
    const obs = (
      await api
        .http()
        .post(`/models/${modelId}/observations`)
        .send({ seriesKey, values: [f1.steps[0].value + 50], forecastId: f1.id })
        .expect(200)
    ).body;
    expect(obs.residuals[0]).toBeCloseTo(50, 3);
    await api
      .http()
      .post(`/models/${modelId}/observations`)
      .send({ seriesKey, values: [1], forecastId: f1.id })
      .expect(409);
    const f2 = await forecast();
    const width2 = (f2.steps[0]['hi-90'] as number) - (f2.steps[0]['lo-90'] as number);
    expect(width2).toBeGreaterThan(width1);

    await api.close();
    api = await startApi({ DATA_DIR: dir, SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    const f3 = await forecast();
    expect(f3.steps).toEqual(f2.steps);
  }, 120000);

  it("fits EnbPI on the served model's held-out residuals, and refuses steps past the calibrated ones unless asked", async () => {
    const { calibrator, job: j } = (
      await api
        .http()
        .post(`/models/${modelId}/calibrators`)
        .send({
          method: 'enbpi',
          alpha: [0.1],
          calibration: { maxWindows: 200, steps: 3 },
        })
        .expect(202)
    ).body;
    const done = await settle(j.id);
    expect(done.error).toBeNull();
    const f = await forecast(3);
    expect(f.interval.method).toBe('enbpi');
    expect(f.interval).toMatchObject({ calibratedSteps: 3, extrapolated: null });
    for (const s of f.steps as Step[])
      expect((s['hi-90'] as number) - (s['lo-90'] as number)).toBeGreaterThan(0);
    // Past the 3 calibrated steps: refused naming horizon, unless asked to extrapolate; then
    // the bounds reuse step 3's residuals, the answer says so, and a client's Forecast value
    // read back from it keeps the count.
    const refused = await api
      .http()
      .post(`/models/${modelId}/forecast`)
      .send({ seriesKey, horizon: 5 })
      .expect(422);
    expect(refused.body.details[0]).toMatchObject({ field: 'horizon' });
    expect(refused.body.message).toMatch(/calibrated for 3 steps/);
    const longer = (
      await api
        .http()
        .post(`/models/${modelId}/forecast`)
        .send({ seriesKey, horizon: 5, extrapolateIntervals: true })
        .expect(200)
    ).body;
    expect(longer.interval.extrapolated).toMatchObject({ fromStep: 4, toStep: 5 });
    expect(longer.interval.extrapolated.note).toMatch(/residuals for 3 steps.*steps 4-5.*steps >= 5/);
    expect(forecastFromResult(longer).meta.intervalSource?.calibratedSteps).toBe(3);
    const list = (await api.http().get(`/models/${modelId}/calibrators`).expect(200)).body;
    const status = Object.fromEntries(
      list.map((c: { method: string; status: string }) => [c.method, c.status]),
    );
    expect(status).toEqual({ enbpi: 'ready', aci: 'superseded', split: 'superseded' });
    // 200 calibration origins one row apart: every step holds 200 residuals
    const state = (await api.http().get(`/models/${modelId}/calibrators/${calibrator.id}/state`).expect(200))
      .body;
    expect(state.series[0].steps.map((s: { step: number; seen: number }) => [s.step, s.seen])).toEqual([
      [1, 200],
      [2, 200],
      [3, 200],
    ]);
  }, 120000);

  it('takes truth in pieces: each step updates when its truth comes, a step given twice is refused naming it', async () => {
    const { calibrator, job: j } = (
      await api
        .http()
        .post(`/models/${modelId}/calibrators`)
        .send({ method: 'aci', alpha: [0.1, 0.2], options: { gamma: 0.05 } })
        .expect(202)
    ).body;
    expect((await settle(j.id)).status).toBe('succeeded');
    const stateOf = async () =>
      (await api.http().get(`/models/${modelId}/calibrators/${calibrator.id}/state`).expect(200)).body
        .series[0];
    const before = await stateOf();
    expect(before.calibratedSteps).toBe(12);
    expect(before.steps[0].levels['90']).toMatchObject({
      alpha: 0.1,
      alphaT: 0.1,
      truths: 0,
      rollingCoverage: null,
    });
    const f: ForecastResult = await forecast(12);
    const far = f.steps.map((s) => s.value + 1000); // outside every interval: alpha_t falls at each step given
    const post = (body: object, status: number) =>
      api
        .http()
        .post(`/models/${modelId}/observations`)
        .send({ seriesKey, forecastId: f.id, ...body })
        .expect(status);
    const first = (await post({ values: far.slice(0, 6) }, 200)).body;
    expect(first.fromStep).toBe(1);
    const half = await stateOf();
    const missed = 0.1 + 0.05 * (0.1 - 1);
    for (const s of half.steps.slice(0, 6))
      expect(s.levels['90']).toMatchObject({ alphaT: missed, truths: 1, rollingCoverage: 0 });
    for (const s of half.steps.slice(6)) expect(s.levels['90']).toMatchObject({ alphaT: 0.1, truths: 0 });
    // step 6 again (with 7): 409 naming step 6, nothing changed
    const again = (await post({ values: far.slice(5, 7), fromStep: 6 }, 409)).body;
    expect(again.details).toEqual([
      { field: 'forecastId', reason: 'step 6 already observed' },
      { field: 'values[0]', reason: 'step 6 already observed' },
    ]);
    expect(again.message).toMatch(/truth of step 6/);
    expect(await stateOf()).toEqual(half);
    // past the horizon: 400 naming values
    expect((await post({ values: far.slice(6), fromStep: 8 }, 400)).body.details[0].field).toBe('values');
    expect((await post({ values: far.slice(6), fromStep: 0 }, 400)).body.details[0].field).toBe('fromStep');
    const rest = (await post({ values: far.slice(6), fromStep: 7 }, 200)).body;
    expect(rest.residuals[0]).toBeCloseTo(1000, 3);
    const after = await stateOf();
    for (const s of after.steps)
      expect(s.levels['90']).toMatchObject({ alphaT: missed, truths: 1, rollingCoverage: 0 });
    expect(after.updates).toBe(2);
    await post({ values: [1] }, 409);
    // another model's calibrator id, or an unknown one: 404 naming cid
    const unknown = await api
      .http()
      .get(`/models/${modelId}/calibrators/00000000-0000-4000-8000-000000000000/state`)
      .expect(404);
    expect(unknown.body.details[0].field).toBe('cid');
  }, 120000);
});
