/**
 * Forecast latency over HTTP: ETTh2 (target OT) is uploaded to a seqcast server run as a
 * separate process, a model is trained, and autocannon sends POST /models/:id/forecast
 * from 20 concurrent clients. Prints p50/p99 latency and throughput per model.
 *
 *   npm run bench:forecast-http [-- --seconds 10 --connections 20 --horizon 96 --kinds nlinear,ar-net]
 *                               [--adapter petsa]   (then again with that adapter attached: row "kind + petsa")
 */
import { sharedDataPath } from '@seqcast/core';
import autocannon from 'autocannon';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const ETTH2 = sharedDataPath('forecasting', 'ETTh2.csv');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(url: string, init?: RequestInit): Promise<any> {
  const r = await fetch(url, init);
  const body = await r.json();
  if (!r.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

async function main() {
  if (!fs.existsSync(ETTH2)) {
    console.log(`skipped: ${ETTH2} not found (set SEQCAST_SHARED_DATA)`);
    return;
  }
  const seconds = Number(arg('seconds', '10'));
  const connections = Number(arg('connections', '20'));
  const horizon = Number(arg('horizon', '96'));
  const kinds = arg('kinds', 'nlinear,ar-net').split(',');
  const port = 3400 + Math.floor(Math.random() * 500);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-bench-'));
  const server = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', SEQCAST_DEMO_DATA: 'false', RATE_LIMIT_RPS: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/health`)).ok) break;
      } catch {
        if (i > 600) throw new Error('server did not start');
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const ds = await json(`${base}/datasets?name=ETTh2&timeColumn=date&valueColumns=HUFL,HULL,MUFL,MULL,LUFL,LULL,OT&keyColumns=`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: fs.readFileSync(ETTH2),
    });
    const key = (await json(`${base}/datasets/${ds.id}/series`)).items[0].key;
    console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores; server ${process.version}; ${connections} clients, ${seconds} s, horizon ${horizon}`);
    console.log('| model | p50 ms | p90 ms | p99 ms | requests/s | errors |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const kind of kinds) {
      const m = await json(`${base}/models`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind, datasetId: ds.id, target: 'OT', lookback: 336, horizon, config: kind === 'ar-net' ? { epochs: 3 } : {} }),
      });
      const job = await json(`${base}/models/${m.id}/train`, { method: 'POST' });
      let j = job;
      while (j.status === 'queued' || j.status === 'running') {
        await new Promise((r) => setTimeout(r, 500));
        j = await json(`${base}/jobs/${job.id}`);
      }
      if (j.status !== 'succeeded') throw new Error(`training ${kind} ${j.status}: ${j.error}`);
      const body = JSON.stringify({ seriesKey: key, horizon });
      const measure = async (name: string) => {
        await json(`${base}/models/${m.id}/forecast`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }); // warm the cache
        const r = await autocannon({
          url: `${base}/models/${m.id}/forecast`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          connections,
          duration: seconds,
        });
        console.log(`| ${name} | ${r.latency.p50} | ${r.latency.p90} | ${r.latency.p99} | ${r.requests.average.toFixed(0)} | ${r.errors + r.non2xx} |`);
      };
      await measure(kind);
      const adapter = arg('adapter', '');
      if (!adapter) continue;
      await json(`${base}/models/${m.id}/adapters`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: adapter }),
      });
      await measure(`${kind} + ${adapter}`);
    }
  } finally {
    server.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
