import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/**
 * Leases on temporary files. A temporary file belongs to one upload (a random id in its
 * name, never a PID: PIDs repeat across restarts and are invisible across containers), and
 * its modification time is the lease. The writer touches the file every few seconds while
 * it works; a sweep, in any process, removes only files whose lease is older than the TTL,
 * so an upload in flight survives a sweep from elsewhere and a crashed writer's file goes
 * once its lease runs out.
 */

/** Names every temporary file of the store (also the PID-named ones of earlier versions). */
export const TEMP_FILE = /^\.tmp-/;

/** Default lease TTL when the store is built without one (UPLOAD_LEASE_TTL_MS sets it in a deployment). */
export const DEFAULT_LEASE_TTL_MS = 5 * 60 * 1000;

/** A temporary path owned by a fresh upload id: `<dir>/.tmp-<id><suffix>`. */
export function leasedTempPath(dir: string, suffix: string): string {
  return path.join(dir, `.tmp-${randomBytes(12).toString('hex')}${suffix}`);
}

/**
 * How often a writer renews: a quarter of the TTL, so three renewals can be late (a busy
 * event loop, a slow disk) before the lease expires, and at most every 5 s.
 */
export function leaseRenewMs(ttlMs: number): number {
  return Math.max(50, Math.min(5000, Math.floor(ttlMs / 4)));
}

export interface HeldLease {
  release(): void;
}

/**
 * Renews the lease of `file` (its mtime) every `renewMs` until released. The timer is unref'd:
 * a lease never keeps a process alive. A failed touch is ignored (the file was just committed
 * or removed; the writer's own I/O reports real problems).
 */
export function holdLease(file: string, renewMs: number): HeldLease {
  const timer = setInterval(() => {
    const now = new Date();
    fsp.utimes(file, now, now).catch(() => undefined);
  }, renewMs);
  timer.unref();
  return { release: () => clearInterval(timer) };
}

/** Removes the temporary files under `dir` whose lease is older than `ttlMs`; returns their names. */
export async function sweepExpired(dir: string, ttlMs: number, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fsp.readdir(dir).catch(() => [] as string[])) {
    if (!TEMP_FILE.test(name)) continue;
    const file = path.join(dir, name);
    const stat = await fsp.stat(file).catch(() => null);
    if (!stat || !stat.isFile() || now - stat.mtimeMs <= ttlMs) continue;
    await fsp.rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
