import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runEntry, Proc } from './processes';

/**
 * Load-test kit shared by the reliability load spec and bench/load.ts: the api as a child
 * process on loopback (optionally pinned to a core), a trained forecast model, and autocannon
 * in a process of its own (pinned to another core) so it does not take the server's CPU.
 */

const LOOPBACK = '127.0.0.1';

/** A rate limit that a bounded load run never reaches: the limiter still runs on every request. */
export const UNREACHED_RATE_LIMIT = { RATE_LIMIT_RPS: '1000000', RATE_LIMIT_BURST: '1000000' };

/** `taskset -c <cpu>` when the machine has that core and taskset is installed; otherwise nothing. */
export function pinTo(cpu: number | undefined): string[] {
  if (cpu === undefined || cpu >= os.cpus().length) return [];
  try {
    execFileSync('taskset', ['-c', String(cpu), 'true'], { stdio: 'ignore' });
    return ['taskset', '-c', String(cpu)];
  } catch {
    return [];
  }
}

/** `uptime`'s load averages (1, 5, 15 min), for the figures' context on a shared machine. */
export function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux), or undefined.
 * Divided by the requests served it gives the server's cost per request, which a shared
 * machine's load changes much less than it changes latency.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  try {
    // The fields after the command name (which may hold spaces) start with the state, field 3.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
/** USER_HZ: Linux reports /proc times in 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS = 100;

export interface ApiProcess {
  proc: Proc;
  base: string;
  /** true when it runs under taskset on the core asked for. */
  pinned: boolean;
}

/** Starts apps/api on 127.0.0.1 and a free port (never another address) and waits for /health. */
export async function startPinnedApi(
  env: Record<string, string>,
  opts: { cpu?: number; nodeArgs?: string[]; startMs?: number } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const prefix = pinTo(opts.cpu);
  const proc = runEntry('apps/api/src/main.ts', { ...env, HOST: LOOPBACK, PORT: String(port) }, [], {
    prefix,
    nodeArgs: opts.nodeArgs,
  });
  const base = `http://${LOOPBACK}:${port}`;
  const until = Date.now() + (opts.startMs ?? 60000);
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`api exited (${proc.child.exitCode}):\n${proc.output()}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) {
      proc.child.kill('SIGKILL');
      throw new Error(`api did not answer /health:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { proc, base, pinned: prefix.length > 0 };
}

async function freePort(): Promise<number> {
  const net = await import('net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Makes an API key with the CLI against the data directory's database (before any server). */
export async function cliKey(env: Record<string, string>, scopes: string): Promise<string> {
  const p = runEntry('apps/cli/src/main.ts', env, ['keys', 'create', '--scopes', scopes, '--name', `load-${scopes}`]);
  const code = await p.exited;
  const key = /^(sck_\S+)$/m.exec(p.output())?.[1];
  if (code !== 0 || !key) throw new Error(`keys create failed (${code}):\n${p.output()}`);
  return key;
}

/** An hourly single-series CSV (daily and weekly cycles plus deterministic noise), `time,value`. */
export function generatedSeriesCsv(rows: number): string {
  const start = Date.UTC(2024, 0, 1);
  const lines = ['time,value'];
  let seed = 1;
  for (let i = 0; i < rows; i++) {
    seed = (seed * 16807) % 2147483647;
    const v = 10 + 3 * Math.sin((2 * Math.PI * i) / 24) + Math.sin((2 * Math.PI * i) / 168) + (seed / 2147483647 - 0.5);
    lines.push(`${new Date(start + i * 3600_000).toISOString()},${v.toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function json(url: string, init: RequestInit = {}): Promise<any> {
  const r = await fetch(url, init);
  const body = await r.json();
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

export interface ForecastTarget {
  modelId: string;
  seriesKey: string;
}

/**
 * Uploads `csv`, configures a model on `target` and trains it (through the api, with
 * `headers`, e.g. an API key), waiting for the job. Returns what a forecast request needs.
 */
export async function trainForecastModel(
  base: string,
  headers: Record<string, string>,
  data: { csv: string | Buffer; name: string; timeColumn: string; valueColumns: string; target: string },
  model: { kind: string; lookback: number; horizon: number; config?: Record<string, unknown> },
  waitMs = 120000,
): Promise<ForecastTarget> {
  const q = new URLSearchParams({ name: data.name, timeColumn: data.timeColumn, valueColumns: data.valueColumns, keyColumns: '' });
  const ds = await json(`${base}/datasets?${q}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: data.csv,
  });
  const seriesKey = (await json(`${base}/datasets/${ds.id}/series`, { headers })).items[0].key as string;
  const m = await json(`${base}/models`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ datasetId: ds.id, target: data.target, config: {}, ...model }),
  });
  const job = await json(`${base}/models/${m.id}/train`, { method: 'POST', headers });
  const until = Date.now() + waitMs;
  let j = job;
  while (j.status === 'queued' || j.status === 'running') {
    if (Date.now() > until) throw new Error(`training job ${job.id} still ${j.status}`);
    await new Promise((r) => setTimeout(r, 200));
    j = await json(`${base}/jobs/${job.id}`, { headers });
  }
  if (j.status !== 'succeeded') throw new Error(`training ${model.kind}: ${j.status} ${j.error ?? ''}`);
  return { modelId: m.id, seriesKey };
}

export interface LoadResult {
  /** Latency percentiles and maximum, ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Mean requests per second over the run. */
  rps: number;
  requests: number;
  /** Responses with a 2xx status. */
  ok: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Whether autocannon ran under taskset on the core asked for. */
  pinned: boolean;
}

export interface LoadOptions {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  seconds: number;
  /** The core to pin autocannon to (taskset), when the machine has it. */
  cpu?: number;
  /** Per-request timeout, s (autocannon counts a request past it as a timeout and an error). */
  timeoutS?: number;
}

/** Runs autocannon for a fixed duration and connection count in a child process (pinned when asked). */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const prefix = pinTo(o.cpu);
  const child = path.join(__dirname, 'autocannon-child.js');
  const options = {
    url: o.url,
    method: o.method ?? 'GET',
    headers: o.headers ?? {},
    body: o.body,
    connections: o.connections,
    duration: o.seconds,
    timeout: o.timeoutS ?? 10,
  };
  const argv = [...prefix, process.execPath, child, JSON.stringify(options)];
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += String(d)));
    p.stderr.on('data', (d) => (stderr += String(d)));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`autocannon exited ${code}: ${stderr}`))));
  });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  return {
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    rps: r.requests.average,
    requests: r.requests.total,
    ok: r['2xx'],
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    pinned: prefix.length > 0,
  };
}

/**
 * Runs started together against several servers, as one: requests, errors and rates added up,
 * each percentile the worse of the runs' (percentiles of the union cannot be had from them).
 */
export async function combined(runs: Promise<LoadResult>[]): Promise<LoadResult> {
  const rs = await Promise.all(runs);
  if (rs.length === 1) return rs[0];
  const worst = (k: 'p50' | 'p90' | 'p99' | 'max') => Math.max(...rs.map((r) => r[k]));
  const sum = (k: 'rps' | 'requests' | 'ok' | 'errors' | 'timeouts' | 'non2xx') => rs.reduce((s, r) => s + r[k], 0);
  return {
    p50: worst('p50'),
    p90: worst('p90'),
    p99: worst('p99'),
    max: worst('max'),
    rps: sum('rps'),
    requests: sum('requests'),
    ok: sum('ok'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    non2xx: sum('non2xx'),
    pinned: rs.every((r) => r.pinned),
  };
}
