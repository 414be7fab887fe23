import { Logger } from '@nestjs/common';
import { AppConfig, Conflict } from '@seqcast/core';
import { JobEntity } from '@seqcast/db';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import IORedis, { Redis } from 'ioredis';
import { JobRunner, RunOutcome } from '../job-runner';
import { JobStore } from '../job-store';
import { EnqueueOptions, JobQueue } from './job-queue';
import { ScheduleFires } from './schedule-fires';
import { QueueReconciler } from './queue-reconciler';

/** Data carried by a BullMQ job. Scheduled runs arrive without jobId; the row is made on first run. */
export interface BullJobData {
  jobId?: string;
  scheduleId?: string;
  payload?: Record<string, unknown>;
}

export function redisConnection(url: string): Redis {
  // BullMQ workers block on Redis; they need maxRetriesPerRequest null.
  return new IORedis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * Jobs through BullMQ on Redis. The api process only enqueues; `ROLE=worker|all`
 * processes run them. A worker that dies loses its lock after JOBS_LOCK_MS and BullMQ
 * hands the job to another worker (the row's attempt count goes up). Cancellation of a
 * running job reaches whichever worker has it through a Redis channel.
 */
export class BullMqQueue implements JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly logger = new Logger('BullMqQueue');
  readonly queue: Queue;
  private worker?: Worker;
  private readonly connection: Redis;
  private subscriber?: Redis;
  private workerConnection?: Redis;
  private readonly cancelChannel: string;
  /** Scheduled fires into runs, one run of a schedule at a time across workers. */
  readonly fires: ScheduleFires;
  private reconcileTimer?: NodeJS.Timeout;
  private reconciling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: AppConfig,
    private readonly store: JobStore,
    private readonly runner: JobRunner,
  ) {
    this.connection = redisConnection(config.REDIS_URL!);
    // While Redis is away ioredis reconnects by itself; without a listener each failed try
    // would also be printed as an unhandled error event.
    this.connection.on('error', (e) => this.logger.warn(`redis: ${e.message}`));
    this.queue = new Queue(config.QUEUE_NAME, { connection: this.connection });
    this.cancelChannel = `${config.QUEUE_NAME}:cancel`;
    this.fires = new ScheduleFires(this.connection, store, config.QUEUE_NAME);
  }

  async enqueue(type: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<JobEntity> {
    const maxAttempts = opts.maxAttempts ?? this.config.JOBS_ATTEMPTS;
    const valid = await this.runner.validate(type, payload, opts.from);
    const row = await this.store.create({ type, payload: valid, maxAttempts, scheduleId: opts.scheduleId });
    try {
      await this.queue.add(type, { jobId: row.id } satisfies BullJobData, this.jobOptions(row.id, maxAttempts));
    } catch (e) {
      // Not enqueued means it will never run: say so on the row rather than leave it queued.
      await this.store.finish(row.id, 'failed', { error: `could not enqueue: ${String(e)}` });
      throw e;
    }
    return row;
  }

  jobOptions(jobId: string | undefined, attempts: number) {
    return {
      ...(jobId ? { jobId } : {}),
      attempts,
      backoff: { type: 'exponential' as const, delay: 500 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    };
  }

  async cancel(id: string): Promise<JobEntity> {
    const row = await this.store.get(id);
    if (row.status === 'queued' && (await this.store.cancelQueued(id))) {
      await this.queue
        .getJob(id)
        .then((j) => j?.remove())
        .catch(() => undefined); // already taken by a worker: it will see the cancelled row and skip
    } else if (row.status === 'running') {
      await this.store.requestCancel(id);
      await this.connection.publish(this.cancelChannel, id);
    } else if (row.status !== 'cancelled') {
      throw new Conflict(`job ${id} has already ${row.status}`, [{ field: 'status', reason: row.status }]);
    }
    return this.store.get(id);
  }

  async startWorker(): Promise<void> {
    this.subscriber = this.connection.duplicate();
    this.subscriber.on('error', (e) => this.logger.warn(`redis (cancel channel): ${e.message}`));
    await this.subscriber.subscribe(this.cancelChannel);
    this.subscriber.on('message', (_channel, id: string) => this.runner.cancelLocal(id));
    // BullMQ does not close a connection it is given (it is taken as shared): stop() does.
    this.workerConnection = this.connection.duplicate();
    this.worker = new Worker(this.config.QUEUE_NAME, (job, token) => this.process(job, token), {
      connection: this.workerConnection,
      concurrency: this.config.JOBS_CONCURRENCY,
      lockDuration: this.config.JOBS_LOCK_MS,
      stalledInterval: Math.max(250, Math.floor(this.config.JOBS_LOCK_MS / 2)),
      maxStalledCount: this.config.JOBS_ATTEMPTS,
    });
    this.worker.on('error', (e) => this.logger.error(`worker: ${e.message}`));
    await this.worker.waitUntilReady();
    this.startReconciling();
  }

  /**
   * Rows the queue has lost (see QueueReconciler) are delivered again: a first pass at
   * start, then one every JOBS_RECONCILE_INTERVAL_MS. A running row's lease is two lock
   * durations, four of the heartbeats that `process` writes.
   */
  private startReconciling(): void {
    const reconciler = new QueueReconciler(
      this.store,
      {
        stateOf: async (id) => (await this.queue.getJobState(id)) as string,
        redeliver: async (row) => {
          const old = await this.queue.getJob(row.id);
          // A finished BullMQ job keeps its id: adding the id again would be ignored.
          if (old) await old.remove().catch((e: unknown) => this.logger.warn(`job ${row.id}: ${String(e)}`));
          await this.queue.add(row.type, { jobId: row.id } satisfies BullJobData, this.jobOptions(row.id, row.maxAttempts));
        },
      },
      { runningLeaseMs: 2 * this.config.JOBS_LOCK_MS },
    );
    const pass = () => {
      this.reconciling = reconciler
        .reconcile()
        .catch((e: unknown) => this.logger.warn(`reconciling jobs with the queue failed, will try again: ${String(e)}`))
        .finally(() => {
          if (this.reconcileTimer) this.reconcileTimer = setTimeout(pass, this.config.JOBS_RECONCILE_INTERVAL_MS);
        });
    };
    this.reconcileTimer = setTimeout(pass, 0);
  }

  private async process(job: Job<BullJobData>, token?: string): Promise<unknown> {
    let id = job.data.jobId;
    if (!id && job.data.scheduleId) {
      // A scheduled fire: it becomes a job only if the schedule still exists and its
      // previous run is done (runs of one schedule never overlap; a skip is recorded).
      const row = await this.fires.start({
        scheduleId: job.data.scheduleId,
        type: job.name,
        payload: job.data.payload ?? {},
        maxAttempts: job.opts.attempts ?? this.config.JOBS_ATTEMPTS,
      });
      if (!row) return { outcome: 'skipped' };
      id = row.id;
      await job.updateData({ ...job.data, jobId: id });
    }
    if (!id) throw new UnrecoverableError('a BullMQ job with neither a job id nor a schedule');
    // 'running' too: a row left running by a worker that died is ours now (BullMQ gave us its lock).
    // The heartbeat tells the reconciler (of any process) that this row has a live worker,
    // even when Redis has lost the job and its lock.
    const rowId = id;
    const heartbeat = setInterval(
      () => void this.store.heartbeat(rowId).catch(() => undefined),
      Math.max(250, Math.floor(this.config.JOBS_LOCK_MS / 2)),
    );
    let outcome: RunOutcome;
    try {
      outcome = await this.runner.run(id, ['queued', 'running']);
    } finally {
      clearInterval(heartbeat);
    }
    switch (outcome) {
      case 'retry': {
        const row = await this.store.find(id);
        throw new Error(row?.error ?? 'job failed');
      }
      case 'failed': {
        // The row is final (not retryable, or out of attempts): BullMQ must not try again.
        const row = await this.store.find(id);
        throw new UnrecoverableError(row?.error ?? 'job failed');
      }
      case 'handed-back':
        await job.moveToDelayed(Date.now() + 250, token);
        throw new DelayedError();
      default:
        return { outcome };
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.reconcileTimer);
    this.reconcileTimer = undefined;
    await this.reconciling;
    if (this.worker) {
      this.logger.log(
        `stopping: ${this.runner.activeCount} running job(s) get ${this.config.SHUTDOWN_GRACE_MS} ms to finish before they are handed back`,
      );
      const grace = setTimeout(() => this.runner.handBackAll(), this.config.SHUTDOWN_GRACE_MS);
      await this.worker.close();
      clearTimeout(grace);
      this.logger.log('stopped taking jobs');
    }
    await this.subscriber?.quit().catch(() => undefined);
    await this.workerConnection?.quit().catch(() => undefined);
    await this.queue.close();
    await this.connection.quit().catch(() => undefined);
  }

  async health() {
    try {
      const pong = await this.connection.ping();
      const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed');
      return { driver: this.driver, ok: pong === 'PONG', detail: `${counts.active} running, ${counts.waiting + counts.delayed} waiting` };
    } catch (e) {
      return { driver: this.driver, ok: false, detail: String(e) };
    }
  }
}
