import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';

/** Issue 24 #4: DELETE /jobs/:id removes finished jobs only. */
describe('DELETE /jobs/:id', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), JOBS_CONCURRENCY: '1', SHUTDOWN_GRACE_MS: '0' });
  });
  afterAll(() => api?.close());

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const enqueue = async (payload: Record<string, unknown>) =>
    (await api.http().post('/jobs').send({ type: 'diagnostic.sleep', payload }).expect(202)).body;

  it('deletes a finished job, and a second DELETE is 404', async () => {
    const done = await enqueue({ steps: 1, stepMs: 1 });
    await waitFor(
      () => job(done.id),
      (j) => j.status === 'succeeded',
    );
    await api.http().delete(`/jobs/${done.id}`).expect(204);
    await api.http().get(`/jobs/${done.id}`).expect(404);
    const again = await api.http().delete(`/jobs/${done.id}`).expect(404);
    expect(again.body).toMatchObject({ error: 'not_found', details: [{ field: 'id' }] });
    expect(typeof again.body.requestId).toBe('string');
  });

  it('refuses a running job with 409 until it is cancelled', async () => {
    const running = await enqueue({ steps: 200, stepMs: 50 });
    await waitFor(
      () => job(running.id),
      (j) => j.status === 'running',
    );
    const res = await api.http().delete(`/jobs/${running.id}`).expect(409);
    expect(res.body).toMatchObject({ error: 'conflict', details: [{ field: 'status', reason: 'running' }] });
    expect(typeof res.body.requestId).toBe('string');
    expect((await job(running.id)).status).toBe('running');

    await api.http().post(`/jobs/${running.id}/cancel`).expect(200);
    await waitFor(
      () => job(running.id),
      (j) => j.status === 'cancelled',
    );
    await api.http().delete(`/jobs/${running.id}`).expect(204);
    await api.http().get(`/jobs/${running.id}`).expect(404);
  });

  it('answers 400 on an id that is not a uuid', async () => {
    const res = await api.http().delete('/jobs/not-a-uuid').expect(400);
    expect(res.body).toMatchObject({ error: expect.any(String), details: expect.any(Array) });
  });
});
