import { Cancelled } from './errors';

/**
 * One finished training epoch as progress reports it, so a job's follower can draw the loss
 * curve from numbers rather than from the message text.
 */
export interface EpochMetrics {
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch's steps. */
  loss: number;
  /** The validation metric the trainer watches (early stopping), when it has one. */
  valLoss?: number;
}

/**
 * Reports progress of long work: fraction in [0, 1], a short human message, and for a training
 * the epoch that has just ended (`metrics`).
 */
export type ProgressFn = (fraction: number, message?: string, metrics?: EpochMetrics) => void;

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
