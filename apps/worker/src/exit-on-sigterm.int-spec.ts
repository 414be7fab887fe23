import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { tempDataDir } from '../../../test/support/api';
import { freshPostgresUrl } from '../../../test/support/postgres';
import { Proc, runEntry, startWorkerProcess } from '../../../test/support/processes';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GRACE_MS = 1000;
/** exitOnShutdownSignals' default margin beyond the grace, plus slack for a loaded machine. */
const MARGIN_MS = 5000 + 3000;

/** NODE_OPTIONS for a child that behaves as PID 1 does under SIGTERM (see pid1-like.js). */
function pid1Like(): string {
  const preload = path.resolve(__dirname, '../../../test/support/pid1-like.js');
  return `${process.env.NODE_OPTIONS ?? ''} --require ${preload}`.trim();
}

/** Sends SIGTERM and resolves with the exit code, or 'still running' after `ms` (then SIGKILLs). */
async function terminate(p: Proc, ms: number): Promise<number | null | 'still running'> {
  const started = Date.now();
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'still running'>((r) => (timer = setTimeout(() => r('still running'), ms)));
  const result = await Promise.race([p.exited, timeout]);
  clearTimeout(timer);
  if (result === 'still running') p.child.kill('SIGKILL');
  else expect(Date.now() - started).toBeLessThan(ms);
  return result;
}

describe('SIGTERM ends the process, even where the signal has no default action (PID 1)', () => {
  it('a worker (BullMQ, PostgreSQL) shuts down and exits 0', async () => {
    const db = await freshPostgresUrl();
    try {
      const worker = await startWorkerProcess(
        {
          DATA_DIR: tempDataDir(),
          DATABASE_URL: db.url,
          REDIS_URL,
          QUEUE_NAME: `test-${randomUUID().slice(0, 8)}`,
          SHUTDOWN_GRACE_MS: String(GRACE_MS),
          NODE_OPTIONS: pid1Like(),
        },
        40000,
      );
      expect(await terminate(worker, GRACE_MS + MARGIN_MS)).toBe(0);
    } finally {
      await db.drop();
    }
  }, 90000);

  it('the api (ROLE=all, SQLite) shuts down and exits 0', async () => {
    const api = runEntry('apps/api/src/main.ts', {
      DATA_DIR: tempDataDir(),
      PORT: '0',
      HOST: '127.0.0.1',
      SHUTDOWN_GRACE_MS: String(GRACE_MS),
      NODE_OPTIONS: pid1Like(),
    });
    const until = Date.now() + 40000;
    while (!/listening on/.test(api.output())) {
      if (api.child.exitCode !== null || Date.now() > until) {
        api.child.kill('SIGKILL');
        throw new Error(`api did not start:\n${api.output()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await terminate(api, GRACE_MS + MARGIN_MS)).toBe(0);
  }, 90000);
});
