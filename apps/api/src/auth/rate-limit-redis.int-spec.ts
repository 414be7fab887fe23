import { randomUUID } from 'crypto';
import { startApi, TestApi } from '../../../../test/support/api';
import { freshPostgresUrl } from '../../../../test/support/postgres';
import { exhaust, keyOf, LIMITS } from '../../../../test/support/rate-limit';
import { RedisBuckets } from './redis-buckets';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('rate limits in Redis (REDIS_URL): one bucket per key across api processes', () => {
  const apis: TestApi[] = [];
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    dropDb = db.drop;
    // A queue name of its own: the buckets live under it, apart from parallel runs.
    const env = { DATABASE_URL: db.url, REDIS_URL, QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`, ROLE: 'api', AUTH: 'required', ...LIMITS };
    apis.push(await startApi(env)); // the first migrates the database
    apis.push(await startApi(env));
  }, 60000);

  afterAll(async () => {
    for (const a of apis) await a.close();
    await dropDb?.();
  });

  it('refuses the request after the burst whichever process serves it; another key is not affected', async () => {
    const a = await keyOf(apis[0], 'a');
    const b = await keyOf(apis[0], 'b');
    // Requests alternate between the two processes: they share the bucket.
    const refused = await exhaust(apis, { Authorization: `Bearer ${a.key}` });
    expect(refused.body.message).toContain(`API key ${a.prefix}`);
    expect((await apis[0].http().get('/jobs').set('X-Api-Key', a.key)).status).toBe(429);
    expect((await apis[1].http().get('/jobs').set('X-Api-Key', b.key)).status).toBe(200);
    expect([200, 503]).toContain((await apis[1].http().get('/health')).status);
  });

  it('lets requests through uncounted when Redis does not answer', async () => {
    // Nothing listens on port 1: every command fails at once.
    const store = new RedisBuckets('redis://127.0.0.1:1', { rate: 1, burst: 1 }, 'unreachable');
    await store.connect();
    try {
      for (let i = 0; i < 3; i++) expect((await store.take('k')).allowed).toBe(true);
    } finally {
      await store.close();
    }
  });
});
