import * as fs from 'fs';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { tempDataDir } from '../../support/api';
import {
  ApiProcess,
  cliKey,
  ForecastTarget,
  generatedSeriesCsv,
  LoadResult,
  runLoad,
  startPinnedApi,
  trainForecastModel,
  UNREACHED_RATE_LIMIT,
} from '../../support/load';
import { stop } from '../../support/processes';

/**
 * The load test: 200 connections for 60 s on POST /models/:id/forecast against the
 * api as its own process on 127.0.0.1 (AUTH=required with a real key, as in production; the
 * rate limiter on every request with a limit the run never reaches, so that only the server's
 * capacity is tested), with autocannon in another
 * process. Every request must be answered 2xx (no socket errors, no timeouts), the server
 * must still be healthy and forecasting afterwards, and every forecast it answered must be
 * in the database once it has stopped (write-behind persistence keeps up and drains on
 * shutdown). Fixed duration and connections: the test ends by itself in about 100 s.
 */
const CONNECTIONS = 200;
const SECONDS = 60;
/** autocannon's per-request timeout: far above the ~1 s a queue of 200 takes on a busy core. */
const REQUEST_TIMEOUT_S = 10;

describe('forecast load (200 connections, 60 s)', () => {
  let api: ApiProcess;
  let dataDir: string;
  let key: string;
  let target: ForecastTarget;
  const auth = () => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    dataDir = tempDataDir('seqcast-load-');
    const env = { DATA_DIR: dataDir, AUTH: 'required', ...UNREACHED_RATE_LIMIT };
    key = await cliKey(env, 'write');
    // Pinned like the benchmark where the machine has two cores: the api on one, the load on the other.
    api = await startPinnedApi(env, { cpu: 0 });
    target = await trainForecastModel(
      api.base,
      auth(),
      { csv: generatedSeriesCsv(2000), name: 'load', timeColumn: 'time', valueColumns: 'value', target: 'value' },
      { kind: 'nlinear', lookback: 96, horizon: 24 },
    );
  }, 120000);

  afterAll(async () => {
    if (api) await stop(api.proc);
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every forecast with 2xx, and is healthy afterwards', async () => {
    const body = JSON.stringify({ seriesKey: target.seriesKey, horizon: 24 });
    const url = `${api.base}/models/${target.modelId}/forecast`;
    const r: LoadResult = await runLoad({
      url,
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body,
      connections: CONNECTIONS,
      seconds: SECONDS,
      cpu: 1,
      timeoutS: REQUEST_TIMEOUT_S,
    });
    // The figures, for whoever reads the run (they are not asserted: the machine may be shared).
    console.log(`forecast load: ${JSON.stringify(r)}`);
    expect(r.requests).toBeGreaterThan(0);
    expect({ errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx }).toEqual({ errors: 0, timeouts: 0, non2xx: 0 });

    expect(api.proc.child.exitCode).toBeNull();
    expect((await fetch(`${api.base}/health`)).status).toBe(200);
    const after = await fetch(url, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body });
    expect(after.status).toBe(200);
    expect(((await after.json()) as { steps: unknown[] }).steps).toHaveLength(24);

    // Stopped (SIGTERM: the writer flushes before the process exits), the database holds every
    // forecast counted 2xx, plus the one above and those answered after autocannon stopped counting
    // (at most one in flight per connection).
    expect(await stop(api.proc)).toBe(0);
    const db = new DataSource({ type: 'better-sqlite3', database: path.join(dataDir, 'seqcast.db'), readonly: true });
    await db.initialize();
    const [{ n }] = await db.query('select count(*) as n from forecast where "modelId" = ?', [target.modelId]);
    await db.destroy();
    const stored = Number(n);
    expect(stored).toBeGreaterThanOrEqual(r.ok + 1);
    expect(stored).toBeLessThanOrEqual(r.ok + 1 + CONNECTIONS);
  }, (SECONDS + 60) * 1000);
});
