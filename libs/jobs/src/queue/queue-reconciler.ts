import { Logger } from '@nestjs/common';
import { JobEntity } from '@seqcast/db';
import { JobStore } from '../job-store';

/** BullMQ states in which the queue still holds a job: it will deliver it, or is delivering it. */
const HELD = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** What the reconciler needs of the queue: a job's state by id, and a fresh delivery of a row. */
export interface ReconciledQueue {
  /** The BullMQ state of the job with this id ('unknown' when the queue has no such job). */
  stateOf(id: string): Promise<string>;
  /** Delivers the row again under its own id (replacing a finished BullMQ job of that id). */
  redeliver(row: JobEntity): Promise<void>;
}

export interface ReconcileOptions {
  /** How long a running row may go untouched (no heartbeat, no progress) before its run counts as dead. */
  runningLeaseMs: number;
}

/**
 * The job rows are the record of every job; the queue in Redis only delivers them, and it
 * can forget one: Redis restarted without persistence (or flushed, or failed over to an
 * empty replica) loses every waiting job, and BullMQ gives a job up once all its deliveries
 * failed before any of them could claim the row (the database was down). Such a row would
 * stay queued, or running, for ever. Each pass compares the unfinished rows with the queue
 * and delivers again a row the queue does not hold when nobody has touched it since the
 * previous pass (queued) or for a whole lease (running: the worker running it heartbeats
 * the row, so an untouched running row has no live worker). The decision compares a row's
 * own `updatedAt` with what an earlier pass saw, never two machines' clocks.
 */
export class QueueReconciler {
  private readonly logger = new Logger('QueueReconciler');
  /** Rows seen missing from the queue: their `updatedAt` then, and since when (this process's clock). */
  private readonly missing = new Map<string, { updatedAt: number; since: number }>();

  constructor(
    private readonly store: JobStore,
    private readonly queue: ReconciledQueue,
    private readonly options: ReconcileOptions,
  ) {}

  /** One pass; returns the ids delivered again. */
  async reconcile(now = Date.now()): Promise<string[]> {
    const rows = await this.store.byStatus(['queued', 'running']);
    const unfinished = new Set(rows.map((r) => r.id));
    for (const id of this.missing.keys()) if (!unfinished.has(id)) this.missing.delete(id);
    const redelivered: string[] = [];
    for (const row of rows) {
      const state = await this.queue.stateOf(row.id);
      if (HELD.has(state)) {
        this.missing.delete(row.id);
        continue;
      }
      const touched = row.updatedAt.getTime();
      const seen = this.missing.get(row.id);
      if (!seen || seen.updatedAt !== touched) {
        this.missing.set(row.id, { updatedAt: touched, since: now });
        continue;
      }
      if (row.status === 'running' && now - seen.since < this.options.runningLeaseMs) continue;
      await this.queue.redeliver(row);
      this.missing.delete(row.id);
      redelivered.push(row.id);
      this.logger.warn(
        `job ${row.id} (${row.type}) was ${row.status} but lost from the queue (BullMQ state: ${state}); delivered again`,
      );
    }
    return redelivered;
  }
}
