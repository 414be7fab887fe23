import { Cancelled } from './errors';

/** Reports progress of long work: fraction in [0, 1] and a short human message. */
export type ProgressFn = (fraction: number, message?: string) => void;

/**
 * What every long computation receives (training, ingestion, evaluation): a way to
 * report progress and a signal to stop. Plain TypeScript, so it works the same in a
 * job handler, a worker thread, the CLI or a test.
 */
export interface WorkContext {
  signal: AbortSignal;
  progress: ProgressFn;
}

export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const reason = signal.reason;
    throw reason instanceof Error ? reason : new Cancelled(typeof reason === 'string' ? reason : 'cancelled');
  }
}

/** A context for code run outside the job system: never cancelled, progress ignored. */
export function detachedContext(): WorkContext {
  return { signal: new AbortController().signal, progress: () => undefined };
}
