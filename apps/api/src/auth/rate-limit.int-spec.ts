import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';
import { exhaust, keyOf, LIMITS } from '../../../../test/support/rate-limit';

describe('rate limits, in memory (no REDIS_URL)', () => {
  let api: TestApi;

  afterEach(async () => api?.close());

  it('refuses a key over its burst with 429 and Retry-After; another key and /health are not affected', async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), AUTH: 'required', ...LIMITS });
    const a = await keyOf(api, 'a');
    const b = await keyOf(api, 'b');
    const refused = await exhaust([api], { 'X-Api-Key': a.key });
    expect(refused.body.message).toContain(`API key ${a.prefix}`);
    expect(refused.body.message).not.toContain(a.key);
    expect((await api.http().get('/jobs').set('X-Api-Key', b.key)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect([200, 503]).toContain((await api.http().get('/health')).status);
    // The OpenAPI document tells clients about the 429 and its Retry-After.
    const doc = (await api.http().get('/docs/json').expect(200)).body;
    expect(doc.paths['/jobs'].get.responses['429'].headers).toHaveProperty('Retry-After');
  });

  it('counts by client address when AUTH is off', async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), AUTH: 'off', ...LIMITS });
    const refused = await exhaust([api], {});
    expect(refused.body.message).toMatch(/client (::ffff:)?127\.0\.0\.1/);
  });

  it('counts nothing with RATE_LIMIT_RPS=0', async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), RATE_LIMIT_RPS: '0', RATE_LIMIT_BURST: '1' });
    for (let i = 0; i < 5; i++) {
      const res = await api.http().get('/jobs');
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-remaining']).toBeUndefined();
    }
  });
});
