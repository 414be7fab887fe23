import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';

/**
 * Training runs in a worker thread: while a training job runs in the in-process queue,
 * the same process keeps answering HTTP. Checked by counting /health answers during the
 * job and their latency, with bounds loose enough for a loaded machine: training on the
 * event loop would give no answers at all until it ended.
 */
describe('training off the HTTP event loop', () => {
  let api: TestApi;
  beforeAll(async () => {
    // The loop below asks as fast as answers come, well past the default rate limit, which is not what it checks.
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu', RATE_LIMIT_RPS: '0' });
  });
  afterAll(() => api?.close());

  it('keeps /health answering while a training job runs, and trains the right model', async () => {
    const h = (await api.http().get('/health').expect(200)).body;
    expect(h.tensor).toMatchObject({ backend: 'cpu', kernels: 'seqcast-fast' });

    const job = (await api.http().post('/jobs').send({ type: 'diagnostic.train', payload: { epochs: 60, rows: 4096 } }).expect(202)).body;
    await waitFor(async () => (await api.http().get(`/jobs/${job.id}`)).body, (j) => j.status !== 'queued', 20000, 20);
    const latencies: number[] = [];
    let status = 'running';
    while (status === 'running') {
      const t0 = Date.now();
      await api.http().get('/health').expect(200);
      latencies.push(Date.now() - t0);
      status = (await api.http().get(`/jobs/${job.id}`)).body.status;
    }
    const done = (await api.http().get(`/jobs/${job.id}`).expect(200)).body;
    expect(done.status).toBe('succeeded');
    // The model trained in the thread is the known one: y = 2x - 1.
    expect(done.result.w).toBeCloseTo(2, 1);
    expect(done.result.b).toBeCloseTo(-1, 1);
    expect(done.result.epochs).toBe(60);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    latencies.sort((a, b) => a - b);
    expect(latencies[Math.floor(latencies.length / 2)]).toBeLessThan(500);
  }, 120000);
});
