import { randomUUID } from 'crypto';
import { JOB_QUEUE } from '@seqcast/jobs';
import type { BullMqQueue } from '../../../libs/jobs/src/queue/bullmq.driver';
import { startApi, TestApi, waitFor } from '../../../test/support/api';
import { freshPostgresUrl } from '../../../test/support/postgres';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const FIRES = 8;

/**
 * Two processes that run jobs (here two apps in this one, each with its own Redis and
 * database connections) take fires of one schedule at the same moment, as they do when a
 * backlog of fires meets several workers. Runs of a schedule never overlap: one fire makes
 * the job, every other one is a recorded skip.
 */
describe('schedule fires across BullMQ workers (Redis + PostgreSQL)', () => {
  const apps: TestApi[] = [];
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    dropDb = db.drop;
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`,
      JOBS_CONCURRENCY: String(FIRES / 2),
      SHUTDOWN_GRACE_MS: '0',
    };
    // One after the other: the first migrates the database.
    apps.push(await startApi(env));
    apps.push(await startApi(env));
  }, 60000);

  afterAll(async () => {
    for (const a of apps) await a.close();
    await dropDb?.();
  });

  const queueOf = (api: TestApi) => api.app.get<BullMqQueue>(JOB_QUEUE, { strict: false });
  /** A schedule that fires by itself only once a year: the fires are the test's. */
  const yearly = async (api: TestApi) =>
    (
      await api
        .http()
        .post('/schedules')
        .send({ name: 'yearly', cron: '0 0 1 1 *', jobType: 'diagnostic.sleep', payload: { steps: 100, stepMs: 100 } })
        .expect(201)
    ).body;
  const runsOf = async (api: TestApi, scheduleId: string) =>
    (await api.http().get('/jobs?limit=100').expect(200)).body.items.filter(
      (j: { scheduleId: string | null }) => j.scheduleId === scheduleId,
    );
  const cleanUp = async (api: TestApi, scheduleId: string) => {
    for (const run of await runsOf(api, scheduleId)) await api.http().post(`/jobs/${run.id}/cancel`).expect(200);
    await api.http().delete(`/schedules/${scheduleId}`).expect(204);
  };

  it('makes one run of two fires started at the same instant by two processes; the other is a skip', async () => {
    const [a, b] = apps;
    const s = await yearly(a);
    const fire = { scheduleId: s.id, type: s.jobType, payload: s.payload, maxAttempts: 1 };
    // Both start before either has read anything: the check-then-create window is wide open.
    const started = await Promise.all([queueOf(a).fires.start(fire), queueOf(b).fires.start(fire)]);
    expect(started.filter((r) => r !== null)).toHaveLength(1);
    expect(await runsOf(a, s.id)).toHaveLength(1);
    expect((await a.http().get(`/schedules/${s.id}`).expect(200)).body.skippedRuns).toBe(1);
    await cleanUp(a, s.id);
  });

  it('enqueues exactly one job and counts every other fire as skipped when workers take a backlog at once', async () => {
    const [a] = apps;
    const s = await yearly(a);
    // What BullMQ's job scheduler adds at each fire, FIRES of them at once.
    const queue = queueOf(a);
    await queue.queue.addBulk(
      Array.from({ length: FIRES }, () => ({
        name: s.jobType,
        data: { scheduleId: s.id, payload: s.payload },
        opts: queue.jobOptions(undefined, 1),
      })),
    );
    const schedule = await waitFor(
      async () => (await a.http().get(`/schedules/${s.id}`).expect(200)).body,
      (v) => v.skippedRuns >= FIRES - 1,
      20000,
    );
    expect(await runsOf(a, s.id)).toHaveLength(1);
    expect(schedule.skippedRuns).toBe(FIRES - 1);
    expect(schedule.lastSkippedAt).not.toBeNull();
    await cleanUp(a, s.id);
  }, 40000);
});
