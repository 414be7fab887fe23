/**
 * The floor under any forecast route: the platform's ForecastService (model, scaling, stored
 * calibrator lookup, the JSON answer, write-behind persistence of every forecast) behind a bare
 * Node http server, with no framework, auth, rate limit, request log, metrics or validation.
 * No leaner HTTP path can be faster than this, so its p99 at 20 connections says whether one
 * could reach the issue-24 goal (p99 < 10 ms) on this machine. Run it pinned like bench:load:
 * the server on core 0 (this process), autocannon on core 1.
 *
 *   taskset -c 0 npm run bench:forecast-floor [-- --seconds 10 --connections 20 --postgres]
 */
import { ForecastService } from '@seqcast/models';
import * as http from 'http';
import { AddressInfo } from 'net';
import { startApi, tempDataDir, waitFor } from '../test/support/api';
import { loadAverage, runLoad } from '../test/support/load';
import { freshPostgresUrl } from '../test/support/postgres';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};

async function main() {
  const seconds = Number(arg('seconds', '10'));
  const connections = Number(arg('connections', '20'));
  const pg = process.argv.includes('--postgres') ? await freshPostgresUrl() : undefined;
  // The demo CO2 series: the same model shape as bench:load (NLinear ridge, lookback 336, horizon 96).
  const api = await startApi({
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    DATA_DIR: tempDataDir(),
    SEQCAST_DEMO_DATA: 'true',
    TF_BACKEND: 'cpu',
    RATE_LIMIT_RPS: '0',
  });
  const datasetId = (await api.http().get('/datasets')).body.items[0].id;
  const seriesKey = (await api.http().get(`/datasets/${datasetId}/series`)).body.items[0].key;
  const modelId = (
    await api.http().post('/models').send({ kind: 'nlinear', datasetId, target: 'CO2', lookback: 336, horizon: 96 })
  ).body.id;
  const job = (await api.http().post(`/models/${modelId}/train`)).body.id;
  await waitFor(async () => (await api.http().get(`/jobs/${job}`)).body, (j) => j.status === 'succeeded', 60000);
  const forecasts = api.app.get(ForecastService, { strict: false });

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { seriesKey: string; horizon: number };
      forecasts.forecast(modelId, body).then(
        (r) => {
          const text = JSON.stringify(r);
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
          res.end(text);
        },
        (e: Error) => res.writeHead(500).end(e.message),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const body = JSON.stringify({ seriesKey, horizon: 96 });
  await runLoad({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, seconds: 2, cpu: 1 });
  const before = loadAverage();
  const cpu0 = process.cpuUsage();
  const r = await runLoad({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, seconds, cpu: 1 });
  const cpu = process.cpuUsage(cpu0);
  console.log(`forecast floor (${pg ? 'PostgreSQL' : 'SQLite'}), ${connections} connections x ${seconds} s, autocannon ${r.pinned ? 'on core 1' : 'unpinned'}`);
  console.log('| p50 ms | p90 ms | p99 ms | max ms | req/s | server CPU ms/req | errors | non-2xx | load before / after |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  console.log(
    `| ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${Math.round(r.rps)} | ${((cpu.user + cpu.system) / 1000 / r.requests).toFixed(3)} | ${r.errors} | ${r.non2xx} | ${before} / ${loadAverage()} |`,
  );
  server.close();
  await api.close();
  await pg?.drop();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
