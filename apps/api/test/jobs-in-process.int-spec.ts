import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';

/** The embedded default: SQLite and the in-process queue, one process. */
describe('jobs, in-process driver', () => {
  let api: TestApi;
  let dir: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, JOBS_CONCURRENCY: '1', SHUTDOWN_GRACE_MS: '0', SCHEDULE_MIN_INTERVAL_S: '2' });
  });
  afterAll(() => api?.close());

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const enqueue = async (payload: Record<string, unknown>, maxAttempts?: number) =>
    (await api.http().post('/jobs').send({ type: 'diagnostic.sleep', payload, maxAttempts }).expect(202)).body;

  it('runs a job to success, reporting progress on the way', async () => {
    const created = await enqueue({ steps: 6, stepMs: 150 });
    expect(created.status).toBe('queued');
    const mid = await waitFor(() => job(created.id), (j) => j.status === 'running' && j.progress.fraction > 0);
    expect(mid.progress.fraction).toBeLessThan(1);
    expect(mid.progress.message).toMatch(/^step \d of 6$/);
    const done = await waitFor(() => job(created.id), (j) => j.status === 'succeeded');
    expect(done.progress.fraction).toBe(1);
    expect(done.result).toMatchObject({ steps: 6, slept: 900, attempt: 1 });
    expect(done.attempts).toBe(1);
    expect(new Date(done.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(done.startedAt).getTime());
  });

  it('cancels a running job and a queued one', async () => {
    const running = await enqueue({ steps: 100, stepMs: 50 });
    const queued = await enqueue({ steps: 1, stepMs: 1 });
    await waitFor(() => job(running.id), (j) => j.status === 'running');
    const q = (await api.http().post(`/jobs/${queued.id}/cancel`).expect(200)).body;
    expect(q.status).toBe('cancelled');
    await api.http().post(`/jobs/${running.id}/cancel`).expect(200);
    const r = await waitFor(() => job(running.id), (j) => j.status === 'cancelled');
    expect(r.progress.fraction).toBeLessThan(1);
    // The queued one never ran.
    expect((await job(queued.id)).attempts).toBe(0);
    // A finished job cannot be cancelled.
    await api.http().post(`/jobs/${queued.id}/cancel`).expect(200);
    const ok = await enqueue({ steps: 1, stepMs: 1 });
    await waitFor(() => job(ok.id), (j) => j.status === 'succeeded');
    const res = await api.http().post(`/jobs/${ok.id}/cancel`).expect(409);
    expect(res.body).toMatchObject({ error: 'conflict', details: [{ field: 'status', reason: 'succeeded' }] });
  });

  it('records a failing job with its error, and retries up to maxAttempts', async () => {
    const failing = await enqueue({ steps: 2, stepMs: 10, fail: 'the disk is on fire' }, 1);
    const f = await waitFor(() => job(failing.id), (j) => j.status === 'failed');
    expect(f.error).toBe('the disk is on fire');
    expect(f.attempts).toBe(1);

    const flaky = await enqueue({ steps: 2, stepMs: 10, fail: 'transient', failUntilAttempt: 1 }, 2);
    const s = await waitFor(() => job(flaky.id), (j) => j.status === 'succeeded');
    expect(s.attempts).toBe(2);
    expect(s.result.attempt).toBe(2);
  });

  it('lists jobs and job types', async () => {
    const list = (await api.http().get('/jobs?status=failed&limit=10').expect(200)).body;
    expect(list.total).toBeGreaterThanOrEqual(1);
    expect(list.items.every((j: { status: string }) => j.status === 'failed')).toBe(true);
    const types = (await api.http().get('/jobs/types').expect(200)).body;
    expect(types.map((t: { type: string }) => t.type)).toContain('diagnostic.sleep');
  });

  it('answers bad requests with the documented error shape', async () => {
    let r = await api.http().post('/jobs').send({ type: 'no.such.type' }).expect(400);
    expect(r.body).toMatchObject({ error: 'validation_failed', details: [{ field: 'type' }] });
    expect(r.body.details[0].reason).toContain('diagnostic.sleep');
    r = await api.http().post('/jobs').send({ type: 'diagnostic.sleep', maxAttempts: 0, extra: true }).expect(400);
    expect(r.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'maxAttempts']);
    r = await api.http().post('/jobs').set('content-type', 'application/json').send('{"type":').expect(400);
    expect(r.body.error).toBe('bad_request');
    r = await api.http().get('/jobs/not-a-uuid').expect(400);
    expect(Object.keys(r.body).sort()).toEqual(['details', 'error', 'message', 'requestId']);
    r = await api.http().get('/jobs/00000000-0000-4000-8000-000000000000').expect(404);
    expect(r.body).toMatchObject({ error: 'not_found', details: [{ field: 'id' }] });
    r = await api.http().get('/jobs?status=sleeping').expect(400);
    expect(r.body.details[0].field).toBe('status');
  });

  it('enqueues from a cron schedule, and refuses a bad one', async () => {
    const r = await api.http().post('/schedules').send({ name: 'x', cron: 'every tuesday', jobType: 'diagnostic.sleep' }).expect(400);
    expect(r.body.details[0].field).toBe('cron');
    await api.http().post('/schedules').send({ name: 'x', cron: '* * * * *', jobType: 'nope' }).expect(400);
    // closer than SCHEDULE_MIN_INTERVAL_S (2 s here)
    const fast = await api.http().post('/schedules').send({ name: 'every second', cron: '* * * * * *', jobType: 'diagnostic.sleep' }).expect(400);
    expect(fast.body).toMatchObject({ error: 'validation_failed', details: [{ field: 'cron' }] });
    const s = (
      await api.http().post('/schedules').send({ name: 'every 2 s', cron: '*/2 * * * * *', jobType: 'diagnostic.sleep', payload: { steps: 1, stepMs: 1 } }).expect(201)
    ).body;
    expect(s).toMatchObject({ skippedRuns: 0, lastSkippedAt: null });
    const fired = await waitFor(
      async () => (await api.http().get('/jobs?limit=500').expect(200)).body.items.filter((j: { scheduleId: string }) => j.scheduleId === s.id),
      (jobs) => jobs.length >= 2,
      10000,
    );
    expect(fired[0].payload).toEqual({ steps: 1, stepMs: 1 });
    await api.http().delete(`/schedules/${s.id}`).expect(204);
    await api.http().get(`/schedules/${s.id}`).expect(404);
  });
});

describe('graceful shutdown, in-process driver', () => {
  it('hands a running job back and the next process finishes it', async () => {
    const dir = tempDataDir();
    const first = await startApi({ DATA_DIR: dir, SHUTDOWN_GRACE_MS: '0' });
    const created = (await first.http().post('/jobs').send({ type: 'diagnostic.sleep', payload: { steps: 40, stepMs: 50 } }).expect(202)).body;
    await waitFor(async () => (await first.http().get(`/jobs/${created.id}`)).body, (j) => j.status === 'running');
    await first.close();
    const second = await startApi({ DATA_DIR: dir });
    try {
      const j = await waitFor(async () => (await second.http().get(`/jobs/${created.id}`)).body, (x) => x.status === 'succeeded', 20000);
      // the handed-back run did not fail: it does not count as an attempt
      expect(j.attempts).toBe(1);
    } finally {
      await second.close();
    }
  });
});
