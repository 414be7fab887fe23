/**
 * Forecast latency under load over HTTP, server and load generator on separate cores.
 *
 *   npm run bench:load [-- --seconds 10 --connections 20 --auth both|off|required --layout embedded|production
 *                          --processes 1|2 --no-pin --profile DIR]
 *
 * embedded (default): one api process (SQLite, in-process queue) under `taskset -c 0`,
 * autocannon in its own process under `taskset -c 1`. production: PostgreSQL (a throwaway
 * schema of the test database) and Redis (a queue of its own), ROLE=api processes, a worker
 * process only while the model trains; with `--processes 2` two api processes (cores 0 and 1)
 * each get half the connections from their own autocannon (unpinned: the machine has two
 * cores), as a load balancer in front of two replicas would spread them; the row then has the
 * sum of the requests and the worse of the two runs' percentiles.
 *
 * ETTh2 (target OT, lookback 336, horizon 96, NLinear ridge) when the shared data folder has it,
 * a generated hourly series otherwise. `--auth required` runs the api with AUTH=required and
 * sends a real write key (made with `seqcast keys create` before any server starts); `off` is the
 * embedded default; `both` runs each on the same data and model. Each run follows a 3 s warm-up
 * at the same concurrency. Prints p50/p90/p99/max, req/s, the api's CPU time per request (from
 * /proc: the load of a shared machine moves it much less than latency), errors and non-2xx, and
 * the load averages (`uptime`) before and after. The rate limiter runs on every request with
 * a limit no run reaches (its cost is part of the path). LOG_LEVEL is the environment's (default info,
 * as deployed). `--profile DIR` writes the (first) api's CPU profile of the last run into DIR.
 */
import { sharedDataPath } from '@seqcast/core';
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ApiProcess,
  cliKey,
  combined,
  ForecastTarget,
  generatedSeriesCsv,
  loadAverage,
  LoadResult,
  processCpuMs,
  runLoad,
  startPinnedApi,
  trainForecastModel,
  UNREACHED_RATE_LIMIT,
} from '../test/support/load';
import { freshPostgresUrl } from '../test/support/postgres';
import { startWorkerProcess, stop } from '../test/support/processes';

const ETTH2 = sharedDataPath('forecasting', 'ETTh2.csv');
const LOAD_CPU = 1;

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

async function main() {
  const seconds = Number(arg('seconds', '10'));
  const connections = Number(arg('connections', '20'));
  const horizon = Number(arg('horizon', '96'));
  const modes = arg('auth', 'both') === 'both' ? ['required', 'off'] : [arg('auth', 'both')];
  const production = arg('layout', 'embedded') === 'production';
  const processes = production ? Number(arg('processes', '1')) : 1;
  const pin = !flag('no-pin');
  const profileDir = flag('profile') ? path.resolve(arg('profile', 'var/bench/profile')) : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-load-'));
  const db = production ? await freshPostgresUrl() : undefined;
  const env: Record<string, string> = { DATA_DIR: dir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...UNREACHED_RATE_LIMIT };
  if (db) {
    Object.assign(env, {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_NAME: `bench-load-${randomUUID().slice(0, 8)}`,
      ROLE: 'api',
    });
  }
  const data = fs.existsSync(ETTH2)
    ? { csv: fs.readFileSync(ETTH2), name: 'ETTh2', timeColumn: 'date', valueColumns: 'HUFL,HULL,MUFL,MULL,LUFL,LULL,OT', target: 'OT' }
    : { csv: generatedSeriesCsv(8000), name: 'generated', timeColumn: 'time', valueColumns: 'value', target: 'value' };
  // Made before any server, as an operator would (the CLI works on the database itself).
  const key = modes.includes('required') ? await cliKey(env, 'write') : undefined;
  let target: ForecastTarget | undefined;
  console.log(
    `machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}; data ${data.name}, nlinear lookback 336 horizon ${horizon}; ` +
      `${production ? `production layout (PostgreSQL, Redis, ROLE=api) x ${processes}` : 'embedded (SQLite)'}; ` +
      `${connections} connections x ${seconds} s; LOG_LEVEL=${env.LOG_LEVEL}`,
  );
  console.log('| AUTH | api cores | autocannon core | p50 ms | p90 ms | p99 ms | max ms | req/s | api CPU ms/req | errors | non-2xx | load before | load after |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  try {
    for (const [i, mode] of modes.entries()) {
      const last = i === modes.length - 1;
      const apis: ApiProcess[] = [];
      try {
        for (let p = 0; p < processes; p++) {
          const nodeArgs = profileDir && last && p === 0 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
          apis.push(await startPinnedApi({ ...env, AUTH: mode }, { cpu: pin ? p : undefined, nodeArgs }));
        }
        const headers: Record<string, string> = mode === 'required' ? { authorization: `Bearer ${key}` } : {};
        target ??= await trained(apis[0].base, headers, env, production, data, horizon);
        // Connections split over the processes; one autocannon pinned to the other core when there is one api.
        const run = (s: number): Promise<LoadResult> =>
          combined(
            apis.map((api, p) =>
              runLoad({
                url: `${api.base}/models/${target!.modelId}/forecast`,
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/json' },
                body: JSON.stringify({ seriesKey: target!.seriesKey, horizon }),
                connections: Math.floor(connections / processes) + (p < connections % processes ? 1 : 0),
                seconds: s,
                cpu: pin && processes === 1 ? LOAD_CPU : undefined,
              }),
            ),
          );
        await run(3); // JIT, model cache and connection warm-up
        const before = loadAverage();
        const cpu = () => apis.reduce((sum, a) => sum + (processCpuMs(a.proc.child.pid) ?? Number.NaN), 0);
        const cpu0 = cpu();
        const r = await run(seconds);
        const perRequest = ((cpu() - cpu0) / r.requests).toFixed(3);
        const apiCores = apis.map((a, p) => (a.pinned ? String(p) : 'any')).join('+');
        console.log(
          `| ${mode} | ${apiCores} | ${r.pinned ? LOAD_CPU : 'any'} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ` +
            `${r.rps.toFixed(0)} | ${perRequest} | ${r.errors} | ${r.non2xx} | ${before} | ${loadAverage()} |`,
        );
      } finally {
        for (const api of apis) await stop(api.proc);
      }
    }
    if (profileDir) console.log(`cpu profile of the api (last run) in ${profileDir}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  }
}

/** The model, trained by the api's own jobs (embedded) or by a worker process started for it (production). */
async function trained(
  base: string,
  headers: Record<string, string>,
  env: Record<string, string>,
  production: boolean,
  data: Parameters<typeof trainForecastModel>[2],
  horizon: number,
): Promise<ForecastTarget> {
  const worker = production ? await startWorkerProcess({ ...env, ROLE: 'worker' }, 60000) : undefined;
  try {
    return await trainForecastModel(base, headers, data, { kind: 'nlinear', lookback: 336, horizon });
  } finally {
    // Stopped before the load: it would share the api's core.
    if (worker) await stop(worker);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
