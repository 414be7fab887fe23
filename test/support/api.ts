import { INestApplication } from '@nestjs/common';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import request from 'supertest';
import { AppConfig, loadConfig } from '@seqcast/core';
import { createApp } from '../../apps/api/src/create-app';

export interface TestApi {
  app: INestApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** A temporary data directory, removed by the caller's afterAll if it likes. */
export function tempDataDir(prefix = 'seqcast-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The real HTTP app on an ephemeral port, configured from `env` like a deployment. */
export async function startApi(env: Record<string, string>): Promise<TestApi> {
  const config = loadConfig({ SEQCAST_DEMO_DATA: 'false', LOG_LEVEL: 'silent', ...env });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    http: () => request(app.getHttpServer()),
    close: () => app.close(),
  };
}

/** Polls `probe` until `done` says so (or throws after `ms`). */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (v: T) => boolean,
  ms = 15000,
  every = 50,
): Promise<T> {
  const until = Date.now() + ms;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > until) throw new Error(`timed out; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, every));
    last = await probe();
  }
  return last;
}

/** Waits for job `id` to finish (succeeded or failed) and returns its view. */
export async function settleJob(api: TestApi, id: string, ms = 120000): Promise<{ status: string; error: unknown; result: Record<string, unknown> | null }> {
  return waitFor(
    async () => (await api.http().get(`/jobs/${id}`).expect(200)).body,
    (x) => x.status === 'succeeded' || x.status === 'failed',
    ms,
  );
}

/** Waits for evaluation `id` (POST /evaluations) to finish (succeeded or failed) and returns its view. */
export async function settleEvaluation(api: TestApi, id: string, ms = 120000): Promise<{ status: string; error: unknown; result: Record<string, unknown> | null }> {
  return waitFor(
    async () => (await api.http().get(`/evaluations/${id}`).expect(200)).body,
    (x) => x.status === 'succeeded' || x.status === 'failed',
    ms,
  );
}

/** Uploads CSV text as a dataset (`query`: name, keyColumns, timeColumn, valueColumns, ...) and returns its id. */
export async function uploadCsv(api: TestApi, query: string, csv: string): Promise<string> {
  return (await api.http().post(`/datasets?${query}`).set('Content-Type', 'text/csv').send(csv).expect(201)).body.id;
}

/** A supertest parser that keeps a binary answer (an Arrow stream) as one Buffer: `.buffer(true).parse(collectBytes)`. */
export function collectBytes(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** The app on an in-memory database with its log lines captured (specs of what the log says); `env` adds settings. */
export async function startApiWithLog(env: Record<string, string> = {}): Promise<{ app: INestApplication; lines: string[] }> {
  const lines: string[] = [];
  const config = loadConfig({
    DATA_DIR: tempDataDir(),
    SQLITE_PATH: ':memory:',
    SEQCAST_DEMO_DATA: 'false',
    LOG_LEVEL: 'info',
    ...env,
  });
  const app = await createApp(config, { logDestination: { write: (line: string) => void lines.push(line) } });
  await app.listen(0, '127.0.0.1');
  return { app, lines };
}
