import { DataSource, EntityManager } from 'typeorm';

/** PostgreSQL's codes for a transaction it chose to abort so that another could go on. */
const RETRYABLE = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);

/** Whether `e` is a transaction PostgreSQL aborted to break a deadlock or a serialization conflict. */
export function isRetryableConflict(e: unknown): boolean {
  const code =
    (e as { code?: unknown; driverError?: { code?: unknown } } | null)?.driverError?.code ??
    (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * Runs `work` in a transaction, and again (up to `attempts` times in all) when PostgreSQL
 * aborts it as a deadlock victim or a serialization failure: the transaction left nothing
 * behind, and running it again after the other one has committed is what the server expects
 * the client to do. Any other error goes to the caller at once.
 */
export async function transactionRetryingConflicts<T>(
  ds: DataSource,
  work: (m: EntityManager) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ds.transaction(work);
    } catch (e) {
      if (attempt >= attempts || !isRetryableConflict(e)) throw e;
      // a short, growing pause so that the transaction that won can commit first
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}
