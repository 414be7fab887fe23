import * as fs from 'fs';
import * as path from 'path';
import { declaredJobTypes, JobHandlerRegistry, JobRunner, JobStore } from '@seqcast/jobs';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';

/** A TPP evaluation config reading one earthquake catalogue from `file`. */
const tpp = (file: string) => ({
  datasets: [{ name: 'x', source: { kind: 'earthquakes', file } }],
  models: [{ kind: 'rmtpp' }],
  seeds: [0],
});

/** The error body without what differs between any two requests. */
const comparable = (body: Record<string, unknown>) => {
  const { requestId: _ignored, ...rest } = body;
  return rest;
};

/**
 * Every job type's payload passes its handler's validation whichever way it arrives: its own
 * route, POST /jobs, or a row another process wrote. Paths are judged by where they point,
 * so the answer never tells whether a file outside the shared data folder exists.
 */
describe('job payloads', () => {
  let api: TestApi;
  let shared: string;
  const before = process.env.SEQCAST_SHARED_DATA;

  beforeAll(async () => {
    // A shared folder of this test's own, with a link that leads out of it.
    shared = tempDataDir('seqcast-shared-');
    fs.symlinkSync('/etc', path.join(shared, 'etc-link'));
    process.env.SEQCAST_SHARED_DATA = shared;
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu' });
  }, 60000);
  afterAll(async () => {
    if (before === undefined) delete process.env.SEQCAST_SHARED_DATA;
    else process.env.SEQCAST_SHARED_DATA = before;
    await api?.close();
  });

  it('refuses a TPP evaluation reading a file outside the shared folder at POST /jobs, naming the field', async () => {
    const r = await api
      .http()
      .post('/jobs')
      .send({ type: 'evaluation.tpp', payload: tpp('/etc/shadow') })
      .expect(400);
    expect(r.body.error).toBe('validation_failed');
    expect(r.body.details.map((d: { field: string }) => d.field)).toEqual([
      'payload.datasets[0].source.file',
    ]);
    expect((await api.http().get('/jobs').query({ type: 'evaluation.tpp' }).expect(200)).body.total).toBe(0);
  });

  it('answers the same whether the file outside exists or not (no existence oracle)', async () => {
    const ask = async (route: string, body: (f: string) => Record<string, unknown>, file: string) =>
      comparable((await api.http().post(route).send(body(file)).expect(400)).body);
    const viaJobs = (file: string) => ({ type: 'evaluation.tpp', payload: tpp(file) });
    for (const [route, body] of [
      ['/jobs', viaJobs],
      ['/evaluations/tpp', tpp],
    ] as const) {
      const exists = await ask(route, body, '/etc/passwd');
      expect(await ask(route, body, '/etc/no-such-file-seqcast')).toEqual(exists);
      // a relative climb and a link out of the folder get the same answer too
      expect(await ask(route, body, '${SHARED_DATA}/../../etc/passwd')).toEqual(exists);
      expect(await ask(route, body, '${SHARED_DATA}/etc-link/passwd')).toEqual(exists);
      expect(await ask(route, body, '${SHARED_DATA}/etc-link/no-such-file-seqcast')).toEqual(exists);
    }
  });

  it('accepts a file inside the shared folder at POST /jobs, as its own route does', async () => {
    const r = await api
      .http()
      .post('/jobs')
      .send({ type: 'evaluation.tpp', payload: tpp('${SHARED_DATA}/quakes.csv') });
    expect(r.status).toBe(202);
    await api.http().post(`/jobs/${r.body.id}/cancel`);
  });

  it('fails a job row with a bad payload before its handler runs (a row written by another process)', async () => {
    const store = api.app.get(JobStore, { strict: false });
    const runner = api.app.get(JobRunner, { strict: false });
    const handler = api.app
      .get(JobHandlerRegistry, { strict: false })
      .accepting('evaluation.tpp', 'internal');
    const run = jest.spyOn(handler, 'run');
    try {
      const row = await store.create({ type: 'evaluation.tpp', payload: tpp('/etc/shadow'), maxAttempts: 3 });
      expect(await runner.run(row.id, ['queued'])).toBe('failed');
      const done = await store.get(row.id);
      expect(done.status).toBe('failed');
      expect(done.attempts).toBe(1); // no retry: the payload would be refused again
      expect(done.error).toMatch(/^invalid payload: .*datasets\[0\]\.source\.file/);
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
  });

  it('gives every job type a validator; POST /jobs refuses the types only their own route enqueues', async () => {
    const registry = api.app.get(JobHandlerRegistry, { strict: false });
    const types = declaredJobTypes().map((t) => t.type);
    expect(registry.types()).toEqual(expect.arrayContaining(types));
    expect(registry.publicTypes().sort()).toEqual([
      'diagnostic.sleep',
      'diagnostic.train',
      'evaluation.generation',
      'evaluation.sequences',
      'evaluation.tpp',
    ]);
    for (const type of types) {
      const handler = registry.accepting(type, 'internal');
      expect({ type, validate: typeof handler.validate }).toEqual({ type, validate: 'function' });
      // an unknown field is refused by every validator (a typo is not ignored)
      await expect(Promise.resolve().then(() => handler.validate({ noSuchField: 1 }))).rejects.toMatchObject({
        code: 'validation_failed',
      });
      const r = await api
        .http()
        .post('/jobs')
        .send({ type, payload: { noSuchField: 1 } })
        .expect(400);
      const fields = r.body.details.map((d: { field: string }) => d.field);
      if (handler.access === 'public') expect(fields).toContain('payload.noSuchField');
      else expect(fields).toEqual(['type']);
    }
  });
});
