import { JobEntity } from '@seqcast/db';
import type { JobAccess } from '../job-handler';

export interface EnqueueOptions {
  maxAttempts?: number;
  scheduleId?: string | null;
  /**
   * Who asks: `public` (POST /jobs, schedules) is refused the types only their own route
   * may enqueue. Either way the payload passes its handler's validation before it is stored.
   */
  from?: JobAccess;
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
