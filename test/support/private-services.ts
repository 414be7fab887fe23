import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/**
 * Redis and PostgreSQL servers of a test's own, on free ports, for the tests that kill and
 * restart them: the machine's shared instances (6379, 5432) serve other suites at the same
 * time and must never go down. Every server started here is stopped and its files removed
 * by `close()`, which the test calls in afterAll whatever happened.
 */

/** A TCP port nobody listens on right now (the kernel's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port (or throws after `ms`). */
async function waitForPort(port: number, ms: number, output: () => string): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${port} after ${ms} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Server {
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

function spawnServer(
  cmd: string,
  args: string[],
  opts: { uid?: number; gid?: number; cwd?: string } = {},
): Server {
  let out = '';
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => out, exited };
}

async function killServer(s: Server | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill(signal);
  await s.exited;
}

export interface PrivateRedis {
  url: string;
  port: number;
  /** kill -9 and start again on the same port; with no persistence the restarted server is empty. */
  restart(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A redis-server of the test's own, without persistence (`--save "" --appendonly no`, as
 * the CI's shared one runs), so a restart loses every key: the worst case for the queue.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let server: Server | undefined;
  const start = async () => {
    server = spawnServer('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ]);
    await waitForPort(port, 10000, server.output);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: async (downMs = 500) => {
      await killServer(server, 'SIGKILL');
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    close: () => killServer(server, 'SIGKILL'),
  };
}

export interface PrivatePostgres {
  /** The `postgres` database of the private server. */
  url: string;
  port: number;
  /** An immediate shutdown (SIGQUIT: no checkpoint, like a crash) and a start on the same port and data. */
  restart(downMs?: number): Promise<void>;
  /** The immediate shutdown alone, for a test that starts it again once it has seen what it waits for. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The newest PostgreSQL server binaries on this machine, or null when there are none. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0], 'bin') : null;
}

/**
 * A PostgreSQL cluster of the test's own in a temporary directory. initdb and postgres refuse
 * to run as root, so both run as the `postgres` user (the directory is given to it). `{skip}`,
 * with the reason, when the binaries or that user are missing: the caller skips saying so.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres | { skip: string }> {
  const bin = postgresBinDir();
  if (!bin) return { skip: 'no PostgreSQL server binaries under /usr/lib/postgresql/*/bin' };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  } catch {
    return { skip: 'no `postgres` user to run initdb and postgres as' };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-pg-'));
  fs.chownSync(dir, uid, gid);
  const data = path.join(dir, 'data');
  const asPostgres = process.getuid?.() === 0 ? { uid, gid } : {};
  execFileSync(
    path.join(bin, 'initdb'),
    ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'],
    {
      ...asPostgres,
      cwd: dir,
      stdio: 'pipe',
    },
  );
  const port = await freePort();
  let server: Server | undefined;
  const start = async () => {
    server = spawnServer(
      path.join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      { ...asPostgres, cwd: dir },
    );
    await waitForPort(port, 20000, server.output);
    // Accepting TCP is not accepting queries (recovery after a crash runs first).
    await waitForQueries(port, 20000, server.output);
  };
  await start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async (downMs = 500) => {
      await killServer(server, 'SIGQUIT');
      await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    stop: () => killServer(server, 'SIGQUIT'),
    start,
    close: async () => {
      await killServer(server, 'SIGQUIT');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForQueries(port: number, ms: number, output: () => string): Promise<void> {
  const { Client } = await import('pg');
  const until = Date.now() + ms;
  for (;;) {
    const c = new Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    try {
      await c.connect();
      await c.query('select 1');
      await c.end();
      return;
    } catch (e) {
      await c.end().catch(() => undefined);
      if (Date.now() > until)
        throw new Error(`PostgreSQL on ${port} answers no query: ${String(e)}\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
