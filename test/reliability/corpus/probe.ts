import { spawn } from 'node:child_process';
import * as path from 'node:path';

export interface LatencySummary {
  count: number;
  failed: number;
  /** Why probes failed, each reason once. */
  failures: string[];
  p50: number;
  p99: number;
  max: number;
}

/** One probe: when it was sent (epoch ms), how long its answer took (ms; -1 when it failed) and why it failed. */
export type Probe = [sentAt: number, latency: number, failure?: string];

/** The health probe (health-probe.js) in its own process; `stop` ends it and returns every probe. */
export function startHealthProbe(base: URL, everyMs = 20): { stop: () => Promise<Probe[]> } {
  // Above the other processes' priority where allowed (nice runs it as it is otherwise): the
  // instrument must not add its own waits for a CPU, on a machine shared with other suites.
  const child = spawn(
    'nice',
    ['-n', '-10', process.execPath, path.join(__dirname, 'health-probe.js'), base.origin, String(everyMs)],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let stopped: Promise<Probe[]> | null = null;
  return {
    // once: the suite's end stops it too, whether or not the latency check got to run
    stop: () =>
      (stopped ??= (async () => {
        child.stdin.write('stop\n');
        await exited;
        return JSON.parse(out) as Probe[];
      })()),
  };
}

/** Nearest-rank percentiles of the answered probes; failed probes (-1) are counted apart. */
export function summarize(probes: Probe[]): LatencySummary {
  const latencies = probes.map(([, l]) => l);
  const ok = latencies.filter((l) => l >= 0).sort((a, b) => a - b);
  const at = (q: number) => (ok.length ? ok[Math.min(ok.length - 1, Math.ceil(q * ok.length) - 1)] : NaN);
  const failures = [...new Set(probes.flatMap(([, , why]) => (why ? [why] : [])))];
  return {
    count: ok.length,
    failed: latencies.length - ok.length,
    failures,
    p50: at(0.5),
    p99: at(0.99),
    max: ok[ok.length - 1] ?? NaN,
  };
}
