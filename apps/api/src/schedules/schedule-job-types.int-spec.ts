import { JobHandlerRegistry } from '@seqcast/jobs';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';

/** POST /schedules takes the job types and payloads POST /jobs takes, and refuses the same way. */
describe('POST /schedules: job type and payload', () => {
  let api: TestApi;
  let internalType: string;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SQLITE_PATH: ':memory:' });
    const registry = api.app.get(JobHandlerRegistry, { strict: false });
    internalType = registry.types().find((t) => registry.get(t)!.access === 'internal')!;
  }, 60000);
  afterAll(async () => api?.close());

  const schedule = (jobType: string, payload: Record<string, unknown>) =>
    api.http().post('/schedules').send({ name: 'x', cron: '0 3 * * *', jobType, payload });

  it('refuses an internal job type with the 400 POST /jobs gives, and stores nothing', async () => {
    expect(internalType).toBeDefined();
    const viaJobs = await api.http().post('/jobs').send({ type: internalType, payload: {} });
    const viaSchedules = await schedule(internalType, { modelId: '00000000-0000-4000-8000-000000000000' });
    expect(viaJobs.status).toBe(400);
    expect(viaSchedules.status).toBe(400);
    expect(viaSchedules.body.error).toBe('validation_failed');
    expect(viaSchedules.body.message).toBe(viaJobs.body.message);
    // The same reason, on the field of this body that names the type.
    expect(viaSchedules.body.details).toEqual([{ ...viaJobs.body.details[0], field: 'jobType' }]);
    expect((await api.http().get('/schedules').expect(200)).body).toEqual([]);
  });

  it("checks the payload with the job type's own validation, naming payload fields", async () => {
    const res = await schedule('diagnostic.sleep', { steps: 0, nonsense: true });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'payload.nonsense', reason: 'unknown field' },
        { field: 'payload.steps', reason: 'must be at least 1' },
      ]),
    );
    expect((await api.http().get('/schedules').expect(200)).body).toEqual([]);
  });

  it('accepts a public type with a valid payload', async () => {
    const res = await schedule('diagnostic.sleep', { steps: 2, stepMs: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ jobType: 'diagnostic.sleep', payload: { steps: 2, stepMs: 1 } });
    await api.http().delete(`/schedules/${res.body.id}`).expect(204);
  });
});
