import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

/**
 * The statistical kinds and the ensemble over HTTP, on the demo dataset (monthly CO2 at
 * Mauna Loa): configured, trained (nothing to learn beyond the checks) and served like any kind.
 */
describe('statistical models over HTTP', () => {
  let api: TestApi;
  let datasetId: string;
  let seriesKey: string;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
    seriesKey = (await api.http().get(`/datasets/${datasetId}/series`).expect(200)).body.items[0].key;
  }, 60000);
  afterAll(() => api?.close());

  const trained = async (kind: string, config: Record<string, unknown>) => {
    const m = (
      await api
        .http()
        .post('/models')
        .send({ kind, config, datasetId, target: 'CO2', lookback: 120, horizon: 12 })
        .expect(201)
    ).body;
    const j = (await api.http().post(`/models/${m.id}/train`).expect(202)).body;
    const done = await waitFor(
      async () => (await api.http().get(`/jobs/${j.id}`).expect(200)).body,
      (x) => ['succeeded', 'failed'].includes(x.status),
      150000,
    );
    expect(done.error).toBeNull();
    return m.id as string;
  };

  // one ETS model (not the automatic choice among 15): the train job scores every test window,
  // each a fit, and the shared test machines are slow
  const ets = { seasonLength: 12, error: 'A', trend: 'A', season: 'A', damped: 'no' };

  // the airline model (Box & Jenkins' ARIMA(0,1,1)(0,1,1)12): one fit per window, no search
  const arima = { seasonLength: 12, order: [0, 1, 1], seasonalOrder: [0, 1, 1] };

  it('ets, arima and an ensemble train and forecast the CO2 season in ppm', async () => {
    for (const [kind, config] of [
      ['ets', ets],
      ['arima', arima],
      [
        'ensemble',
        {
          members: JSON.stringify([
            { kind: 'ets', config: ets },
            { kind: 'arima', config: arima },
            { kind: 'theta', config: { seasonLength: 12 } },
            { kind: 'seasonal-naive', config: { seasonLength: 12 } },
          ]),
        },
      ],
    ] as const) {
      const id = await trained(kind, config);
      const f = (await api.http().post(`/models/${id}/forecast`).send({ seriesKey, horizon: 12 }).expect(200))
        .body;
      const values = f.steps.map((s: { value: number }) => s.value);
      expect(values).toHaveLength(12);
      for (const v of values) expect(v).toBeGreaterThan(300);
      for (const v of values) expect(v).toBeLessThan(500);
      // CO2 peaks in May and bottoms out in September-October: a season of several ppm
      expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(3);
    }
  }, 480000);

  it('lists arima among the kinds, and refuses a bad order naming the field', async () => {
    const kinds = (await api.http().get('/models/kinds').expect(200)).body;
    const arimaKind = kinds.find((k: { kind: string }) => k.kind === 'arima');
    expect(arimaKind.configSchema.properties.order).toMatchObject({ type: 'array', default: [] });
    const r = await api
      .http()
      .post('/models')
      .send({
        kind: 'arima',
        config: { order: [1, 3, 0] },
        datasetId,
        target: 'CO2',
        lookback: 48,
        horizon: 12,
      })
      .expect(400);
    expect(r.body.details.map((d: { field: string }) => d.field)).toEqual(['config.order[1]']);
  });

  it('refuses an ensemble member that is not a kind, naming it', async () => {
    const r = await api
      .http()
      .post('/models')
      .send({
        kind: 'ensemble',
        config: { members: JSON.stringify([{ kind: 'ets' }, { kind: 'prophet' }]) },
        datasetId,
        target: 'CO2',
        lookback: 48,
        horizon: 12,
      })
      .expect(400);
    expect(JSON.stringify(r.body.details)).toContain('config.members[1].kind');
  });
});
