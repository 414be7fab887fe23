import { randomUUID } from 'crypto';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';
import { freshPostgresUrl } from '../../../test/support/postgres';
import { arCsv, trainedModel, uploadSeries } from '../../../test/support/stored-objects';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Two api processes on one database (PostgreSQL), queue (BullMQ) and data folder: a model deleted through one stops
 * being served by the other, which had it loaded in its model cache (keyed by version id),
 * because the other re-reads the model's row before it trusts its cache.
 */
describe('a model deleted through another api process', () => {
  let one: TestApi;
  let two: TestApi;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    dropDb = db.drop;
    const env = {
      DATA_DIR: tempDataDir(),
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`,
      TF_BACKEND: 'cpu',
      SHUTDOWN_GRACE_MS: '0',
    };
    one = await startApi(env); // ROLE=all: serves and runs the jobs
    two = await startApi({ ...env, ROLE: 'api' });
  }, 60000);
  afterAll(async () => {
    await two?.close();
    await one?.close();
    await dropDb?.();
  });

  it('is a 404 on the other process too', async () => {
    const datasetId = await uploadSeries(one, 'shared', arCsv(31));
    const id = await trainedModel(one, datasetId);
    const ask = (api: TestApi) => api.http().post(`/models/${id}/forecast`).send({ seriesKey: 'a', horizon: 2 });
    expect((await ask(two)).status).toBe(200); // loaded into the second process's cache

    await one.http().delete(`/models/${id}`).expect(204);
    const answer = await waitFor(
      async () => (await ask(two)).body,
      (b) => b.error !== undefined,
    );
    expect(answer).toMatchObject({ error: 'not_found', details: [{ field: 'id' }] });
    await two.http().get(`/models/${id}`).expect(404);
  }, 60000);
});
