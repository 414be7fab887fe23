import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

export interface Proc {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs one of the apps' entry points from TypeScript sources in a separate Node process.
 * `prefix` wraps the command (e.g. `taskset -c 0`), `nodeArgs` go to node (e.g. `--cpu-prof`).
 */
export function runEntry(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
  opts: { prefix?: string[]; nodeArgs?: string[] } = {},
): Proc {
  let out = '';
  const argv = [
    ...(opts.prefix ?? []),
    process.execPath,
    ...(opts.nodeArgs ?? []),
    '-r',
    '@swc-node/register',
    path.join(ROOT, entry),
    ...args,
  ];
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', SEQCAST_DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Starts a worker process and resolves once it is consuming jobs. */
export async function startWorkerProcess(env: Record<string, string>, ms = 20000): Promise<Proc> {
  const p = runEntry('apps/worker/src/main.ts', { ...env, ROLE: 'worker' });
  const until = Date.now() + ms;
  while (!/running jobs/.test(p.output())) {
    if (p.child.exitCode !== null || Date.now() > until) {
      p.child.kill('SIGKILL');
      throw new Error(`worker did not start:\n${p.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return p;
}

export async function stop(p: Proc, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (p.child.exitCode === null) p.child.kill(signal);
  return p.exited;
}
