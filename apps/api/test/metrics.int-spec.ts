import * as fs from 'fs';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';

/**
 * GET /metrics (issue 24 #5): requests counted under their route template, job outcomes,
 * model-cache hits and misses, and an exposition a Prometheus parser reads.
 */

const START = Date.UTC(2024, 0, 1);
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

function csv(): string {
  const lines = ['time,value'];
  for (let i = 0; i < 120; i++) lines.push(`${new Date(START + i * 3_600_000).toISOString()},${10 + Math.sin(i / 4) * 3 + (i % 5)}`);
  return lines.join('\n');
}

/** `name{labels} value` with labels as a map; throws on a line that is not one. */
function parseSample(line: string): { name: string; labels: Record<string, string>; value: number } {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
  if (!m) throw new Error(`not an exposition line: ${line}`);
  const labels: Record<string, string> = {};
  const body = m[2] ?? '';
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/g;
  let consumed = 0;
  for (let l = re.exec(body); l; l = re.exec(body)) {
    labels[l[1]] = l[2];
    consumed += l[0].length;
  }
  if (consumed !== body.length) throw new Error(`bad labels: ${line}`);
  const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
  if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`bad value: ${line}`);
  return { name: m[1], labels, value };
}

describe('GET /metrics', () => {
  let api: TestApi;
  let dir: string;
  let modelId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu', JOBS_CONCURRENCY: '1' });
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const scrape = async () => {
    const res = await api.http().get('/metrics').expect(200);
    // Express may reorder the parameters; a scraper reads the type and the version.
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
    const samples = res.text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map(parseSample);
    return { text: res.text, samples };
  };
  const value = (samples: ReturnType<typeof parseSample>[], name: string, labels: Record<string, string>) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

  it('counts requests per route template, jobs by outcome and model-cache lookups', async () => {
    const datasetId = (
      await api.http().post('/datasets?name=m&timeColumn=time&valueColumns=value').set('Content-Type', 'text/csv').send(csv()).expect(201)
    ).body.id;
    modelId = (
      await api.http().post('/models').send({ kind: 'nlinear', datasetId, target: 'value', lookback: 12, horizon: 4 }).expect(201)
    ).body.id;
    const trainJob = (await api.http().post(`/models/${modelId}/train`).expect(202)).body.id;
    const trained = await waitFor(() => job(trainJob), (j) => j.status === 'succeeded' || j.status === 'failed', 60000);
    expect(trained.error).toBeNull();

    const before = await scrape();
    const cacheBefore = {
      hit: value(before.samples, 'seqcast_model_cache_lookups_total', { result: 'hit' }) ?? 0,
      miss: value(before.samples, 'seqcast_model_cache_lookups_total', { result: 'miss' }) ?? 0,
    };
    await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey: '', horizon: 4 }).expect(200);
    await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey: '', horizon: 4 }).expect(200);
    await api.http().get(`/models/${UNKNOWN_ID}`).expect(404);
    await api.http().get(`/models/${modelId}`).expect(200);
    await api.http().get('/no/such/route/12345').expect(404);
    const sleep = (await api.http().post('/jobs').send({ type: 'diagnostic.sleep', payload: { steps: 1, stepMs: 1 } }).expect(202)).body.id;
    await waitFor(() => job(sleep), (j) => j.status === 'succeeded');
    const sleepJob = async (payload: Record<string, unknown>, maxAttempts: number, status: string) => {
      const id = (await api.http().post('/jobs').send({ type: 'diagnostic.sleep', payload, maxAttempts }).expect(202)).body.id;
      await waitFor(() => job(id), (j) => j.status === status);
    };
    // One retried then succeeded, one failed for good.
    await sleepJob({ steps: 1, stepMs: 1, fail: 'transient', failUntilAttempt: 1 }, 2, 'succeeded');
    await sleepJob({ steps: 1, stepMs: 1, fail: 'for good' }, 1, 'failed');

    const { text, samples } = await scrape();
    // Ids never become labels; routes are templates.
    for (const id of [modelId, datasetId, UNKNOWN_ID, trainJob, sleep, '12345']) expect(text).not.toContain(id);
    const requests = (method: string, route: string, status: string) =>
      value(samples, 'seqcast_http_request_duration_seconds_count', { method, route, status });
    expect(requests('POST', '/models/:id/forecast', '2xx')).toBe(2);
    expect(requests('GET', '/models/:id', '4xx')).toBe(1);
    expect(requests('GET', '/models/:id', '2xx')).toBe(1);
    expect(requests('POST', '/models/:id/train', '2xx')).toBe(1);
    expect(requests('GET', '(unmatched)', '4xx')).toBe(1);
    expect(requests('GET', '/jobs/:id', '2xx')).toBeGreaterThanOrEqual(2);
    // Buckets are cumulative and end in +Inf = count.
    const infBucket = value(samples, 'seqcast_http_request_duration_seconds_bucket', {
      method: 'POST',
      route: '/models/:id/forecast',
      status: '2xx',
      le: '+Inf',
    });
    expect(infBucket).toBe(2);

    expect(value(samples, 'seqcast_job_runs_total', { type: 'diagnostic.sleep', outcome: 'succeeded' })).toBe(2);
    expect(value(samples, 'seqcast_job_runs_total', { type: 'diagnostic.sleep', outcome: 'retry' })).toBe(1);
    expect(value(samples, 'seqcast_job_runs_total', { type: 'diagnostic.sleep', outcome: 'failed' })).toBe(1);
    expect(value(samples, 'seqcast_job_runs_total', { type: 'model.train', outcome: 'succeeded' })).toBe(1);
    expect(value(samples, 'seqcast_job_duration_seconds_count', { type: 'model.train', outcome: 'succeeded' })).toBe(1);

    // Two forecasts of one model version: the first loads the artifact, the second is served from memory.
    expect(value(samples, 'seqcast_model_cache_lookups_total', { result: 'miss' })! - cacheBefore.miss).toBe(1);
    expect(value(samples, 'seqcast_model_cache_lookups_total', { result: 'hit' })! - cacheBefore.hit).toBe(1);

    expect(value(samples, 'seqcast_jobs', { status: 'queued' })).toBe(0);
    expect(value(samples, 'seqcast_jobs', { status: 'running' })).toBe(0);
    expect(value(samples, 'seqcast_process_memory_bytes', { kind: 'rss' })).toBeGreaterThan(0);
    expect(value(samples, 'seqcast_process_memory_bytes', { kind: 'heap_used' })).toBeGreaterThan(0);
    expect(value(samples, 'seqcast_event_loop_lag_seconds', { stat: 'p99' })).toBeGreaterThanOrEqual(0);
    // Every family is declared once with its type.
    for (const name of ['seqcast_http_request_duration_seconds', 'seqcast_job_runs_total', 'seqcast_jobs']) {
      expect(text.match(new RegExp(`^# TYPE ${name} `, 'gm'))).toHaveLength(1);
    }
  }, 120000);
});
