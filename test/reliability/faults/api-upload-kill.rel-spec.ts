import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { tempDataDir, waitFor } from '../../support/api';
import { ApiProcess, startApiProcess } from '../../support/api-process';
import { freshPostgresUrl } from '../../support/postgres';
import { stop } from '../../support/processes';
import { countJobs, seriesCsv } from './fault-harness';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TTL = 1000;
const UPLOAD = '/datasets?name=slow-upload&kind=series&keyColumns=key&timeColumn=ts';

/** Sends `body` in `pieces`, `gapMs` apart; resolves with the answer, or the error that ended it. */
function slowUpload(port: number, body: string, pieces: number, gapMs: number) {
  return new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
    const req = http.request(
      { port, host: '127.0.0.1', method: 'POST', path: UPLOAD, headers: { 'content-type': 'text/csv' } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += String(d)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (e) => resolve({ error: e.message }));
      },
    );
    req.on('error', (e) => resolve({ error: e.message }));
    const step = Math.ceil(body.length / pieces);
    void (async () => {
      for (let i = 0; i < pieces && !req.destroyed; i++) {
        req.write(body.slice(i * step, (i + 1) * step));
        await new Promise((r) => setTimeout(r, gapMs));
      }
      if (!req.destroyed) req.end();
    })();
  });
}

/**
 * The api killed (kill -9) while a client streams an upload to it: nothing half-written
 * may become a dataset, the temporary file goes once its lease runs out (a short
 * UPLOAD_LEASE_TTL_MS here), and the same upload sent again is stored, once.
 */
describe('faults: the api killed mid-upload', () => {
  let api: ApiProcess | undefined;
  let drop: () => Promise<void>;
  let env: Record<string, string>;
  let store: string;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    drop = db.drop;
    const dataDir = tempDataDir('seqcast-fault-');
    store = path.join(dataDir, 'datasets');
    env = {
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      REDIS_URL,
      QUEUE_NAME: `fault-${randomUUID().slice(0, 8)}`,
      ROLE: 'api',
      UPLOAD_LEASE_TTL_MS: String(TTL),
    };
  });

  afterAll(async () => {
    if (api) await stop(api.proc, 'SIGKILL');
    await drop?.();
    fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
  });

  const temporaries = () =>
    fs.existsSync(store) ? fs.readdirSync(store).filter((f) => f.startsWith('.tmp-')) : [];
  const stored = () =>
    fs.existsSync(store) ? fs.readdirSync(store).filter((f) => !f.startsWith('.tmp-')) : [];
  const datasets = async (url: string) =>
    ((await (await fetch(`${url}/datasets?limit=100`)).json()) as { items: { name: string }[] }).items.filter(
      (d) => d.name === 'slow-upload',
    );

  it('(f) leaves no dataset and no temporary behind, and a retried upload succeeds once', async () => {
    const t0 = Date.now();
    const body = seriesCsv(20, 500);
    api = await startApiProcess(env);
    const first = slowUpload(api.port, body, 40, 100);
    // The api is writing the upload's temporary file when it dies.
    await waitFor(
      async () => temporaries().length,
      (n) => n > 0,
      20000,
    );
    await stop(api.proc, 'SIGKILL');
    expect(await first).toHaveProperty('error');
    const leftovers = temporaries();
    expect(leftovers.length).toBeGreaterThan(0);

    api = await startApiProcess(env, api.port);
    expect(await datasets(api.url)).toEqual([]);
    expect(stored()).toEqual([]);
    // The restarted api's sweep removes them once their lease (no longer renewed) runs out.
    await waitFor(
      async () => temporaries().length,
      (n) => n === 0,
      10 * TTL,
    );

    const retried = await slowUpload(api.port, body, 4, 50);
    expect(retried).toMatchObject({ status: 201 });
    const ds = JSON.parse((retried as { body: string }).body);
    expect(ds.latest.rowCount).toBe(20 * 500);
    const named = await datasets(api.url);
    const uploads = [
      {
        id: 'killed',
        type: 'upload',
        status: 'failed',
        attempts: 1,
        maxAttempts: 1,
        error: ((await first) as { error: string }).error,
        result: null,
      },
      {
        id: ds.id,
        type: 'upload',
        status: 'succeeded',
        attempts: 1,
        maxAttempts: 1,
        error: null,
        result: null,
      },
    ];
    const c = countJobs('api kill -9 mid-upload', uploads, Math.max(0, named.length - 1), t0);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, succeeded: 1 });
    expect(named).toHaveLength(1);
    expect(temporaries()).toEqual([]);
  }, 120000);
});
