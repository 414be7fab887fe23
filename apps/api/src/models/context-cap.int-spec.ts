import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';

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
