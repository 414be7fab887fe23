import { JobStore } from '@seqcast/jobs';
import { settleJob, startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

type View = {
  id: string;
  type: string;
  status: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
  error: string | null;
};

/**
 * POST /jobs/:id/retry: a failed or cancelled job runs again as a new job, checked as POST
 * /jobs checks it; a job that has not finished, or succeeded, is a conflict.
 */
describe('retrying a job', () => {
  let api: TestApi;
  let store: JobStore;
  const enqueue = async (payload: Record<string, unknown>, maxAttempts = 1): Promise<View> =>
    (await api.http().post('/jobs').send({ type: 'diagnostic.sleep', payload, maxAttempts }).expect(202))
      .body;
  const view = async (id: string): Promise<View> => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  /** A finished row written as a worker would leave it, so the retry sees exactly this payload. */
  const finishedRow = async (type: string, payload: Record<string, unknown>) => {
    const row = await store.create({ type, payload, maxAttempts: 1 });
    await store.finish(row.id, 'failed', { error: 'it broke' });
    return row.id;
  };

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu' });
    store = api.app.get(JobStore, { strict: false });
  }, 60000);
  afterAll(() => api?.close());

  it('runs a failed job again as a new job with its type, payload and attempts; the original stays', async () => {
    const payload = { steps: 2, stepMs: 1, fail: 'boom' };
    const first = await enqueue(payload, 2);
    expect((await settleJob(api, first.id)).status).toBe('failed');
    const again: View = (await api.http().post(`/jobs/${first.id}/retry`).expect(202)).body;
    expect(again.id).not.toBe(first.id);
    expect([again.type, again.payload, again.maxAttempts]).toEqual(['diagnostic.sleep', payload, 2]);
    const done = await settleJob(api, again.id);
    expect([done.status, done.error]).toEqual(['failed', 'boom']);
    expect((await view(first.id)).status).toBe('failed');
  });

  it('runs a cancelled job again', async () => {
    const long = await enqueue({ steps: 1000, stepMs: 20 });
    await api.http().post(`/jobs/${long.id}/cancel`).expect(200);
    await waitFor(
      () => view(long.id),
      (j) => j.status === 'cancelled',
    );
    const again: View = (await api.http().post(`/jobs/${long.id}/retry`).expect(202)).body;
    expect(['queued', 'running']).toContain(again.status);
    await api.http().post(`/jobs/${again.id}/cancel`).expect(200);
  });

  it('refuses a job that is running or succeeded: 409 naming status', async () => {
    const long = await enqueue({ steps: 1000, stepMs: 20 });
    const running = await api.http().post(`/jobs/${long.id}/retry`).expect(409);
    expect(running.body.details).toEqual([
      { field: 'status', reason: expect.stringMatching(/^(queued|running), not failed or cancelled$/) },
    ]);
    await api.http().post(`/jobs/${long.id}/cancel`).expect(200);
    const ok = await enqueue({ steps: 1, stepMs: 0 });
    expect((await settleJob(api, ok.id)).status).toBe('succeeded');
    const r = await api.http().post(`/jobs/${ok.id}/retry`).expect(409);
    expect(r.body.details).toEqual([{ field: 'status', reason: 'succeeded, not failed or cancelled' }]);
  });

  it('checks the payload again as POST /jobs does, naming its field', async () => {
    const id = await finishedRow('diagnostic.sleep', { steps: -1 });
    const r = await api.http().post(`/jobs/${id}/retry`).expect(400);
    expect(r.body.details.map((d: { field: string }) => d.field)).toEqual(['payload.steps']);
  });

  it('refuses a type only its own route enqueues, as POST /jobs does (400 naming type)', async () => {
    const id = await finishedRow('evaluation.backtest', { models: [] });
    const viaRetry = await api.http().post(`/jobs/${id}/retry`).expect(400);
    const viaJobs = await api
      .http()
      .post('/jobs')
      .send({ type: 'evaluation.backtest', payload: {} })
      .expect(400);
    expect(viaRetry.body.details).toEqual(viaJobs.body.details);
    expect(viaRetry.body.details[0].field).toBe('type');
  });

  it('answers 404 for an unknown job and 400 for an id that is not one', async () => {
    await api.http().post('/jobs/00000000-0000-4000-8000-000000000000/retry').expect(404);
    await api.http().post('/jobs/nope/retry').expect(400);
  });

  it('is documented in OpenAPI with its conflict', async () => {
    const doc = (await api.http().get('/docs/json').expect(200)).body;
    const op = doc.paths['/jobs/{id}/retry'].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['202', '409']));
  });
});
