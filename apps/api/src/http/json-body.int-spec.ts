import * as fs from 'fs';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';

// No model by this id: a body the parser reads goes on to the context cap or a 404.
const MISSING = '00000000-0000-4000-8000-000000000000';
const context = (n: number) => `[${'1.5,'.repeat(n - 1)}1.5]`;

/**
 * The app's JSON parser (json-body.ts): big bodies are parsed in turns (the malformed-input
 * corpus measures /health meanwhile), with body-parser's answers; uploads are not read by it,
 * so a JSON upload has MAX_UPLOAD_BYTES, like every other format, not MAX_JSON_BYTES.
 */
describe('JSON request bodies', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({
      DATA_DIR: tempDataDir(),
      SQLITE_PATH: ':memory:',
      MAX_JSON_BYTES: String(2_000_000),
    });
  }, 30000);
  afterAll(async () => {
    await api.close();
    fs.rmSync(api.config.DATA_DIR, { recursive: true, force: true });
  });

  const post = (path: string, body: string | Buffer, type = 'application/json') =>
    api.http().post(path).set('Content-Type', type).send(body);

  it('reads a body of a megabyte (parsed in turns) as it reads a small one', async () => {
    // 200 000 values: the context cap (MAX_CONTEXT_VALUES 100 000) names what the parser read
    const big = await post(`/models/${MISSING}/forecast`, `{"horizon":4,"context":${context(200_000)}}`);
    expect(big.status).toBe(413);
    expect(big.body.details).toEqual([
      { field: 'context', reason: expect.stringContaining('200000 values') },
    ]);
    const within = await post(`/models/${MISSING}/forecast`, `{"horizon":4,"context":${context(90_000)}}`);
    expect(within.status).toBe(404);
  });

  it('answers malformed bodies, big or small, with 400 bad_request', async () => {
    for (const body of [
      `{"horizon":4,"context":${context(100_000)},}`,
      `{"horizon":4,"context":${context(100_000)}`,
      '{"a":',
      '"text"',
      '42',
    ]) {
      const res = await post('/models', body);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 400, error: 'bad_request' });
      expect(res.body.requestId).toEqual(expect.any(String));
    }
  });

  it('refuses a charset other than UTF-8 with 415 naming content-type', async () => {
    const res = await post(
      '/models',
      Buffer.from('{"kind":"naive"}', 'utf16le'),
      'application/json; charset=utf-16le',
    );
    expect(res.status).toBe(415);
    expect(res.body.details).toEqual([
      { field: 'content-type', reason: expect.stringContaining('utf-16le') },
    ]);
  });

  it('reads an empty body as {} (the DTO then names the missing fields)', async () => {
    const empty = await post('/models', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error).toBe('validation_failed');
    expect(empty.body.message).toContain('kind must be a string');
  });

  it('leaves uploads to the datasets controller: a JSON upload over MAX_JSON_BYTES is stored', async () => {
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      time: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      value: i % 7,
    }));
    const text = JSON.stringify(rows); // ~2.3 MB, over this app's MAX_JSON_BYTES
    expect(text.length).toBeGreaterThan(2_000_000);
    const res = await post('/datasets?name=big-json&timeColumn=time&valueColumns=value', text);
    expect(res.status).toBe(201);
    expect(res.body.latest.rowCount).toBe(50_000);
  }, 60000);
});
