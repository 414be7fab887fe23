import { Logger } from '@nestjs/common';
import { AppConfig, Conflict } from '@seqcast/core';
import { JobEntity } from '@seqcast/db';
import { JobRunner } from '../job-runner';
import { JobStore } from '../job-store';
import { EnqueueOptions, JobQueue } from './job-queue';
import { waitIdle } from './wait-idle';

/**
 * Jobs run in this process, at most JOBS_CONCURRENCY at once. The database rows are the
 * queue's durable state: on start, jobs left queued or running by an earlier process
 * are picked up again.
 */
export class InProcessQueue implements JobQueue {
  readonly driver = 'in-process' as const;
  private readonly logger = new Logger('InProcessQueue');
  private readonly pending: string[] = [];
  private active = 0;
  private consuming = false;
  private stopping = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly runner: JobRunner,
  ) {}

  async enqueue(type: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<JobEntity> {
    const row = await this.store.create({
      type,
      payload: await this.runner.validate(type, payload, opts.from),
      maxAttempts: opts.maxAttempts ?? this.config.JOBS_ATTEMPTS,
      scheduleId: opts.scheduleId,
    });
    this.pending.push(row.id);
    this.pump();
    return row;
  }

  async cancel(id: string): Promise<JobEntity> {
    const row = await this.store.get(id);
    if (row.status === 'queued' && (await this.store.cancelQueued(id))) {
      const i = this.pending.indexOf(id);
      if (i >= 0) this.pending.splice(i, 1);
    } else if (row.status === 'running') {
      await this.store.requestCancel(id);
      this.runner.cancelLocal(id);
    } else if (row.status !== 'cancelled') {
      throw new Conflict(`job ${id} has already ${row.status}`, [{ field: 'status', reason: row.status }]);
    }
    return this.store.get(id);
  }

  async startWorker(): Promise<void> {
    // A previous process died or stopped with these: run them again.
    for (const row of await this.store.byStatus(['running'])) {
      await this.store.requeue(row.id, 'interrupted: the process running it stopped');
    }
    for (const row of await this.store.byStatus(['queued'])) {
      if (!this.pending.includes(row.id)) this.pending.push(row.id);
    }
    this.consuming = true;
    this.pump();
  }

  private pump(): void {
    while (this.consuming && !this.stopping && this.active < this.config.JOBS_CONCURRENCY && this.pending.length) {
      const id = this.pending.shift()!;
      this.active++;
      this.runner
        .run(id, ['queued'])
        .then((outcome) => {
          if (outcome === 'retry' && !this.stopping) {
            const t = setTimeout(() => {
              this.timers.delete(t);
              this.pending.push(id);
              this.pump();
            }, 500);
            this.timers.add(t);
          }
        })
        .catch((e) => this.logger.error(`job ${id}: ${String(e)}`))
        .finally(() => {
          this.active--;
          this.pump();
        });
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    if (this.active > 0) {
      this.logger.log(
        `stopping: ${this.active} running job(s) get ${this.config.SHUTDOWN_GRACE_MS} ms to finish before they are handed back`,
      );
    }
    if (!(await waitIdle(() => this.active, this.config.SHUTDOWN_GRACE_MS))) {
      this.runner.handBackAll();
      await waitIdle(() => this.active, 5000);
    }
  }

  async health() {
    return { driver: this.driver, ok: true, detail: `${this.active} running, ${this.pending.length} waiting` };
  }
}
