/**
 * Forecast latency under load over HTTP, server and load generator on separate cores.
 *
 *   npm run bench:load [-- --seconds 10 --connections 20 --auth both|off|required --no-pin --profile DIR]
 *
 * The api runs as its own process under `taskset -c 0` (embedded mode: SQLite, in-process
 * queue, LOG_LEVEL as the environment says, default info), autocannon in another process
 * under `taskset -c 1`. ETTh2 (target OT, lookback 336, horizon 96, NLinear ridge) when the shared
 * data folder has it, a generated hourly series otherwise. `--auth required` runs the server with
 * AUTH=required and sends a real write key (made with `seqcast keys create`); `--auth off`
 * is the embedded default; `both` runs each on the same data directory and model. Each run is
 * preceded by a 3 s warm-up at the same concurrency. Prints p50/p90/p99/max, req/s, errors and
 * non-2xx, and the load averages (`uptime`) before and after. `--profile DIR` writes the api's
 * CPU profile (node --cpu-prof) for the last run into DIR.
 */
import { sharedDataPath } from '@seqcast/core';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stop } from '../test/support/processes';
import {
  ApiProcess,
  cliKey,
  ForecastTarget,
  generatedSeriesCsv,
  loadAverage,
  processCpuMs,
  LoadResult,
  runLoad,
  startPinnedApi,
  trainForecastModel,
} from '../test/support/load';

const ETTH2 = sharedDataPath('forecasting', 'ETTh2.csv');
const SERVER_CPU = 0;
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
  const pin = !flag('no-pin');
  const profileDir = flag('profile') ? path.resolve(arg('profile', 'var/bench/profile')) : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-load-'));
  const env: Record<string, string> = { DATA_DIR: dir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  const data = fs.existsSync(ETTH2)
    ? { csv: fs.readFileSync(ETTH2), name: 'ETTh2', timeColumn: 'date', valueColumns: 'HUFL,HULL,MUFL,MULL,LUFL,LULL,OT', target: 'OT' }
    : { csv: generatedSeriesCsv(8000), name: 'generated', timeColumn: 'time', valueColumns: 'value', target: 'value' };
  // Made before any server, as an operator would (the CLI works on the database itself).
  const key = modes.includes('required') ? await cliKey(env, 'write') : undefined;
  let target: ForecastTarget | undefined;
  console.log(
    `machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}; data ${data.name}, nlinear lookback 336 horizon ${horizon}; ` +
      `${connections} connections x ${seconds} s; LOG_LEVEL=${env.LOG_LEVEL}`,
  );
  console.log('| AUTH | api core | autocannon core | p50 ms | p90 ms | p99 ms | max ms | req/s | api CPU ms/req | errors | non-2xx | load before | load after |');
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |');
  try {
    for (const [i, mode] of modes.entries()) {
      const last = i === modes.length - 1;
      const nodeArgs = profileDir && last ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
      const api: ApiProcess = await startPinnedApi({ ...env, AUTH: mode, RATE_LIMIT_RPS: '0' }, { cpu: pin ? SERVER_CPU : undefined, nodeArgs });
      try {
        const headers: Record<string, string> = mode === 'required' ? { authorization: `Bearer ${key}` } : {};
        target ??= await trainForecastModel(api.base, headers, data, { kind: 'nlinear', lookback: 336, horizon });
        const run = (s: number): Promise<LoadResult> =>
          runLoad({
            url: `${api.base}/models/${target!.modelId}/forecast`,
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({ seriesKey: target!.seriesKey, horizon }),
            connections,
            seconds: s,
            cpu: pin ? LOAD_CPU : undefined,
          });
        await run(3); // JIT, model cache and connection warm-up
        const before = loadAverage();
        const cpu0 = processCpuMs(api.proc.child.pid);
        const r = await run(seconds);
        const cpu1 = processCpuMs(api.proc.child.pid);
        const perRequest = cpu0 !== undefined && cpu1 !== undefined ? ((cpu1 - cpu0) / r.requests).toFixed(3) : 'n/a';
        const cores = (pinned: boolean, cpu: number) => (pinned ? String(cpu) : 'any');
        console.log(
          `| ${mode} | ${cores(api.pinned, SERVER_CPU)} | ${cores(r.pinned, LOAD_CPU)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ` +
            `${r.rps.toFixed(0)} | ${perRequest} | ${r.errors} | ${r.non2xx} | ${before} | ${loadAverage()} |`,
        );
      } finally {
        await stop(api.proc);
      }
    }
    if (profileDir) console.log(`cpu profile of the api (last run) in ${profileDir}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
