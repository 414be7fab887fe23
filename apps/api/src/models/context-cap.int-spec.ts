import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

// No model by this id: a request the cap lets through goes on to a 404, one it refuses never gets there.
const MISSING = '00000000-0000-4000-8000-000000000000';

/** `n` context values as JSON text, built without a 2 M-element JS array on the test's side. */
function values(n: number): string {
  return `[${'1.5,'.repeat(n - 1)}1.5]`;
}

describe('forecast context cap (issue 24 #3, MAX_CONTEXT_VALUES)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SQLITE_PATH: ':memory:', MAX_CONTEXT_VALUES: '1000' });
  }, 30000);
  afterAll(() => api.close());

  const post = (body: string) =>
    api.http().post(`/models/${MISSING}/forecast`).set('Content-Type', 'application/json').send(body);

  it('refuses a 2 M-value context with 413 naming context and the setting', async () => {
    const res = await post(`{"horizon":4,"context":${values(2_000_000)}}`);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: 'payload_too_large',
      message: expect.stringContaining('MAX_CONTEXT_VALUES'),
      details: [{ field: 'context', reason: expect.stringContaining('2000000 values; at most 1000') }],
      requestId: expect.any(String),
    });
    expect((await api.http().get('/health')).status).toBe(200);
  });

  it('refuses it while the body is parsed: nothing after the over-long context is read', async () => {
    // broken JSON after the context: a body parsed to its end would be a 400 bad_request
    const res = await post(`{"horizon":4,"context":${values(2_000_000)},"broken": tru}`);
    expect(res.status).toBe(413);
    expect(res.body.details).toEqual([
      { field: 'context', reason: '2000000 values; at most 1000 (MAX_CONTEXT_VALUES)' },
    ]);
    // a body with no context over the cap is read to its end, and its error is the parser's
    const broken = await post(
      `{"horizon":4,"context":${values(1000)},"pad":"${'x'.repeat(300_000)}","broken": tru}`,
    );
    expect({ status: broken.status, error: broken.body.error }).toEqual({
      status: 400,
      error: 'bad_request',
    });
  });

  it('names the over-long channel of contexts', async () => {
    const res = await post(`{"horizon":4,"contexts":[${values(10)},${values(1001)}]}`);
    expect(res.status).toBe(413);
    expect(res.body.details).toEqual([
      { field: 'contexts[1]', reason: expect.stringContaining('1001 values') },
    ]);
  });

  it('lets a context at the cap through to the model lookup', async () => {
    const res = await post(`{"horizon":4,"context":${values(1000)}}`);
    expect(res.status).toBe(404);
  });
});

describe('forecast context cut to the lookback (issue 24 #3)', () => {
  let api: TestApi;
  let modelId: string;
  let seriesKey: string;
  const LOOKBACK = 24;

  beforeAll(async () => {
    api = await startApi({
      DATA_DIR: tempDataDir(),
      SQLITE_PATH: ':memory:',
      SEQCAST_DEMO_DATA: 'true',
      TF_BACKEND: 'cpu',
    });
    const datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
    seriesKey = (await api.http().get(`/datasets/${datasetId}/series`).expect(200)).body.items[0].key;
    modelId = (
      await api
        .http()
        .post('/models')
        .send({ kind: 'nlinear', datasetId, target: 'CO2', lookback: LOOKBACK, horizon: 6 })
        .expect(201)
    ).body.id;
    const job = (await api.http().post(`/models/${modelId}/train`).expect(202)).body.id;
    const done = await waitFor(
      async () => (await api.http().get(`/jobs/${job}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      60000,
    );
    expect(done.status).toBe('succeeded');
  }, 90000);
  afterAll(() => api.close());

  const forecast = (body: string) =>
    api.http().post(`/models/${modelId}/forecast`).set('Content-Type', 'application/json').send(body);

  it('reads only the last lookback values of a trained series, never validating the ones before', async () => {
    // The trained series (it has its training scale): 10 lookbacks of values, with one that no
    // validation accepts far before the window. The answer equals the one for the window alone.
    const window = Array.from({ length: LOOKBACK }, (_, i) => 400 + 0.5 * i);
    const before = Array.from({ length: 9 * LOOKBACK - 1 }, (_, i) => 100 + i);
    const key = JSON.stringify(seriesKey);
    const long = await forecast(
      `{"horizon":6,"seriesKey":${key},"context":["not a number",${before},${window}]}`,
    );
    expect(long.status).toBe(200);
    const short = await forecast(JSON.stringify({ horizon: 6, seriesKey, context: window }));
    expect(short.status).toBe(200);
    expect(long.body.point).toEqual(short.body.point);
  });

  it('keeps the whole context of a series the model never saw (its scale comes from all of it)', async () => {
    const ramp = Array.from({ length: 10 * LOOKBACK }, (_, i) => 100 + i);
    const whole = await forecast(JSON.stringify({ horizon: 6, seriesKey: 'unseen', context: ramp }));
    const tail = await forecast(
      JSON.stringify({ horizon: 6, seriesKey: 'unseen', context: ramp.slice(-LOOKBACK) }),
    );
    expect(whole.status).toBe(200);
    expect(tail.status).toBe(200);
    // the same window scaled by another mean and std: a different forecast
    expect(whole.body.point).not.toEqual(tail.body.point);
    // every value is checked, and the first bad one is named
    const bad = await forecast(
      JSON.stringify({ horizon: 6, seriesKey: 'unseen', context: [...ramp.slice(0, 5), 'x', ...ramp] }),
    );
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain(
      'context must be an array of finite numbers: entry 5 is \\"x\\"',
    );
  });
});
