/** Error codes of a database that is away for a moment: refused or dropped connections, a server shutting down or starting up. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

/** Whether `e` says the database could not be reached (worth waiting for), not that the write was wrong. */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return e instanceof Error && /Connection terminated|connection (is )?(closed|ended)/i.test(e.message);
}

/** Waits between tries: 0.25, 0.5, 1, 2, 4, 4, 4 s (about 16 s in all, the span of a database restart). */
export const OUTAGE_WAITS_MS = [250, 500, 1000, 2000, 4000, 4000, 4000];

/**
 * Runs `write`, trying again while the database is unreachable. For the row writes that end
 * a run: a result computed but never recorded makes the job run again, and a training run
 * twice records two model versions.
 */
export async function throughOutage<T>(
  write: () => Promise<T>,
  onRetry: (e: unknown, waitMs: number) => void,
  waits: readonly number[] = OUTAGE_WAITS_MS,
): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await write();
    } catch (e) {
      if (i >= waits.length || !isConnectionError(e)) throw e;
      onRetry(e, waits[i]);
      await new Promise((r) => setTimeout(r, waits[i]));
    }
  }
}
