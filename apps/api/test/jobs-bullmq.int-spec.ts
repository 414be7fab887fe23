import { randomUUID } from 'crypto';
import { startApi, TestApi, waitFor } from '../../../test/support/api';
import { freshPostgresUrl } from '../../../test/support/postgres';
import { Proc, startWorkerProcess, stop } from '../../../test/support/processes';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Production mode: PostgreSQL, BullMQ on Redis, an api-only process that enqueues and
 * separate worker processes that run the jobs.
 */
describe('jobs, BullMQ driver with separate worker processes', () => {
  let api: TestApi;
  let env: Record<string, string>;
  let dropDb: () => Promise<void>;
  const workers: Proc[] = [];

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    dropDb = db.drop;
    env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`,
      JOBS_LOCK_MS: '1000',
      SHUTDOWN_GRACE_MS: '0',
      SCHEDULE_MIN_INTERVAL_S: '2',
    };
    api = await startApi({ ...env, ROLE: 'api' });
    workers.push(await startWorkerProcess(env));
  }, 60000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => stop(w, 'SIGKILL')));
    await api?.close();
    await dropDb?.();
  });

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const enqueue = async (payload: Record<string, unknown>, maxAttempts?: number) =>
    (await api.http().post('/jobs').send({ type: 'diagnostic.sleep', payload, maxAttempts }).expect(202)).body;

  it('reports its queue driver in /health', async () => {
    const h = (await api.http().get('/health').expect(200)).body;
    expect(h).toMatchObject({ status: 'ok', role: 'api', database: { engine: 'postgres', ok: true }, queue: { driver: 'bullmq', ok: true } });
  });

  it('runs a job enqueued by the api in a worker process, with progress', async () => {
    const created = await enqueue({ steps: 6, stepMs: 150 });
    const mid = await waitFor(() => job(created.id), (j) => j.status === 'running' && j.progress.fraction > 0);
    expect(mid.progress.fraction).toBeLessThan(1);
    const done = await waitFor(() => job(created.id), (j) => j.status === 'succeeded');
    expect(done.result.pid).toBe(workers[0].child.pid);
    expect(done.result.pid).not.toBe(process.pid);
    expect(done.progress.fraction).toBe(1);
  }, 30000);

  it('cancels a running job in another process, and a queued one', async () => {
    const running = await enqueue({ steps: 200, stepMs: 50 });
    const queued = await enqueue({ steps: 1, stepMs: 1 });
    await waitFor(() => job(running.id), (j) => j.status === 'running');
    expect((await api.http().post(`/jobs/${queued.id}/cancel`).expect(200)).body.status).toBe('cancelled');
    await api.http().post(`/jobs/${running.id}/cancel`).expect(200);
    const r = await waitFor(() => job(running.id), (j) => j.status === 'cancelled');
    expect(r.progress.fraction).toBeLessThan(0.5);
    await new Promise((res) => setTimeout(res, 500));
    expect((await job(queued.id)).attempts).toBe(0);
  }, 30000);

  it('records a failing job with its error', async () => {
    const f = await enqueue({ steps: 2, stepMs: 10, fail: 'no such file: model.bin' }, 1);
    const done = await waitFor(() => job(f.id), (j) => j.status === 'failed');
    expect(done.error).toBe('no such file: model.bin');
  }, 30000);

  it('does not lose a job when its worker is killed mid-job: another worker retries it', async () => {
    const created = await enqueue({ steps: 30, stepMs: 100 }, 3);
    const first = workers[0];
    await waitFor(() => job(created.id), (j) => j.status === 'running' && j.progress.fraction > 0.1);
    await stop(first, 'SIGKILL');
    const second = await startWorkerProcess(env);
    workers.push(second);
    const done = await waitFor(() => job(created.id), (j) => j.status === 'succeeded', 45000);
    expect(done.attempts).toBe(2);
    expect(done.result.pid).toBe(second.child.pid);
  }, 60000);

  it('hands a job back on SIGTERM without counting the attempt: one attempt is enough', async () => {
    const created = await enqueue({ steps: 30, stepMs: 100 }, 1);
    await waitFor(() => job(created.id), (j) => j.status === 'running' && j.progress.fraction > 0.1);
    // whichever worker has it stops gracefully (SHUTDOWN_GRACE_MS = 0: hands it back at once)
    await Promise.all(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map((w) => stop(w, 'SIGTERM')));
    const back = await job(created.id);
    expect([back.status, back.attempts]).toEqual(['queued', 0]);
    const next = await startWorkerProcess(env);
    workers.push(next);
    const done = await waitFor(() => job(created.id), (j) => j.status === 'succeeded', 30000);
    expect([done.attempts, done.maxAttempts]).toEqual([1, 1]);
    expect(done.result.pid).toBe(next.child.pid);
  }, 60000);

  it('fires a schedule once per tick however many workers run', async () => {
    workers.push(await startWorkerProcess(env));
    const s = (
      await api.http().post('/schedules').send({ name: 'tick', cron: '*/2 * * * * *', jobType: 'diagnostic.sleep', payload: { steps: 1, stepMs: 1 } }).expect(201)
    ).body;
    const t0 = Date.now();
    const fired = await waitFor(
      async () => (await api.http().get('/jobs?limit=500').expect(200)).body.items.filter((j: { scheduleId: string }) => j.scheduleId === s.id),
      (jobs) => jobs.length >= 2 && jobs.every((j: { status: string }) => j.status === 'succeeded'),
      20000,
    );
    const elapsed = (Date.now() - t0) / 1000;
    await api.http().delete(`/schedules/${s.id}`).expect(204);
    // One firing every 2 s: two workers (and the api) must not double it.
    expect(fired.length).toBeLessThanOrEqual(Math.ceil(elapsed / 2) + 1);
    expect(fired[0].payload).toEqual({ steps: 1, stepMs: 1 });
  }, 40000);
});
