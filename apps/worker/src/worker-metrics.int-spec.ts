import { randomUUID } from 'crypto';
import * as net from 'net';
import { startApi, TestApi, waitFor } from '../../../test/support/api';
import { freshPostgresUrl } from '../../../test/support/postgres';
import { Proc, startWorkerProcess, stop } from '../../../test/support/processes';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((r) => srv.close(r));
  return port;
}

/** `name{labels} value` samples of an exposition, labels as one string. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) return Number(m[3]);
  }
  return undefined;
}

/**
 * Issue 24 deliver 5: a worker's own /metrics (WORKER_METRICS_PORT) with the job runs of
 * its process, and the progress gauge of running jobs on both the worker and the api.
 */
describe('worker metrics and job progress', () => {
  let api: TestApi;
  let worker: Proc;
  let port: number;
  let dropDb: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    dropDb = db.drop;
    port = await freePort();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`,
      JOBS_LOCK_MS: '2000',
    };
    api = await startApi({ ...env, ROLE: 'api' });
    worker = await startWorkerProcess({ ...env, WORKER_METRICS_PORT: String(port) });
  }, 60000);
  afterAll(async () => {
    if (worker) await stop(worker, 'SIGKILL');
    await api?.close();
    await dropDb?.();
  });

  const workerMetrics = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('version=0.0.4');
    return res.text();
  };
  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;

  it("shows a running job's progress as the job reports it, and the worker's own job runs", async () => {
    const id = (
      await api
        .http()
        .post('/jobs')
        .send({ type: 'diagnostic.sleep', payload: { steps: 40, stepMs: 100 } })
        .expect(202)
    ).body.id;
    await waitFor(
      () => job(id),
      (j) => j.status === 'running' && j.progress.fraction >= 0.2,
    );
    // The gauge reads the job row: it lies between what GET /jobs/:id said just before and just after.
    const before = (await job(id)).progress.fraction;
    const fromWorker = sample(await workerMetrics(), 'seqcast_job_progress_ratio', {
      type: 'diagnostic.sleep',
      job: id,
    });
    const apiText = (await api.http().get('/metrics').expect(200)).text;
    const fromApi = sample(apiText, 'seqcast_job_progress_ratio', { type: 'diagnostic.sleep', job: id });
    const after = (await job(id)).progress.fraction;
    for (const v of [fromWorker, fromApi]) {
      expect(v).toBeGreaterThanOrEqual(before);
      expect(v).toBeLessThanOrEqual(after);
      expect(v).toBeLessThan(1);
    }
    await waitFor(
      () => job(id),
      (j) => j.status === 'succeeded',
      20000,
    );
    const text = await workerMetrics();
    // Finished jobs leave the gauge; the run is counted by the process that ran it, not the api.
    expect(sample(text, 'seqcast_job_progress_ratio', { job: id })).toBeUndefined();
    expect(sample(text, 'seqcast_job_runs_total', { type: 'diagnostic.sleep', outcome: 'succeeded' })).toBe(
      1,
    );
    expect(
      sample(text, 'seqcast_job_duration_seconds_count', { type: 'diagnostic.sleep', outcome: 'succeeded' }),
    ).toBe(1);
    expect(sample(text, 'seqcast_process_memory_bytes', { kind: 'rss' })).toBeGreaterThan(0);
    const apiAfter = (await api.http().get('/metrics').expect(200)).text;
    expect(sample(apiAfter, 'seqcast_job_runs_total', { type: 'diagnostic.sleep' })).toBeUndefined();
    // Anything but GET /metrics is a plain 404.
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  }, 60000);
});
