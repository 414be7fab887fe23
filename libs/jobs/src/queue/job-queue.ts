import { JobEntity } from '@seqcast/db';

export interface EnqueueOptions {
  maxAttempts?: number;
  scheduleId?: string | null;
}

/**
 * The queue port. Drivers: in-process (embedded default) and BullMQ on Redis. Both
 * persist every job in the database first, so the row is the truth whatever the driver.
 */
export interface JobQueue {
  readonly driver: 'in-process' | 'bullmq';
  enqueue(type: string, payload: Record<string, unknown>, opts?: EnqueueOptions): Promise<JobEntity>;
  cancel(id: string): Promise<JobEntity>;
  /** Starts consuming jobs (only in processes whose role runs jobs). */
  startWorker(): Promise<void>;
  /** Stops consuming; running jobs are handed back within the grace period. */
  stop(): Promise<void>;
  health(): Promise<{ driver: string; ok: boolean; detail?: string }>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');
