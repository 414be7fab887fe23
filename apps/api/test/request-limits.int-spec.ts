import { startApi, tempDataDir, TestApi } from '../../../test/support/api';

/** `{"config":{"a":{"a":...}}}` nested `levels` deep, built as text (a nested object could not be stringified). */
function nestedBody(levels: number): string {
  return `{"kind":"nlinear","datasetId":"00000000-0000-4000-8000-000000000000","config":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
}

describe('request body limits (issue 24 #7) and response headers', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SQLITE_PATH: ':memory:', MAX_JSON_BYTES: '65536', MAX_JSON_DEPTH: '16' });
  }, 30000);
  afterAll(() => api.close());

  it('answers 400 naming the depth limit to 10 000 levels of nested JSON, and stays up', async () => {
    for (const body of [nestedBody(10000), `[${'['.repeat(10000)}${']'.repeat(10000)}]`]) {
      const res = await api.http().post('/models').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'validation_failed',
        message: expect.stringContaining('MAX_JSON_DEPTH'),
        details: [expect.objectContaining({ field: 'body', reason: expect.stringContaining('16') })],
        requestId: expect.any(String),
      });
    }
    expect((await api.http().get('/health')).status).toBe(200);
  });

  it('lets a body at the depth limit through to the DTO validation', async () => {
    // 16 levels: the body object, then config and 14 objects inside it.
    const res = await api.http().post('/models').set('Content-Type', 'application/json').send(nestedBody(15));
    expect(res.status).not.toBe(500);
    expect(res.body.message ?? '').not.toContain('MAX_JSON_DEPTH');
  });

  it('answers 413 naming the limit to a JSON body over MAX_JSON_BYTES', async () => {
    const body = JSON.stringify({ kind: 'nlinear', config: { pad: 'x'.repeat(70000) } });
    const res = await api.http().post('/models').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      error: 'payload_too_large',
      message: expect.stringContaining('MAX_JSON_BYTES'),
      details: [expect.objectContaining({ field: 'body', reason: expect.stringContaining('65536') })],
      requestId: expect.any(String),
    });
  });

  it('does not say what serves it (no X-Powered-By)', async () => {
    for (const res of [await api.http().get('/health'), await api.http().post('/models').send({})]) {
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });
});
