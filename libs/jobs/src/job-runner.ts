import { Injectable, Logger, Optional } from '@nestjs/common';
import {
  Cancelled,
  NotFound,
  ProgressFn,
  SeqcastError,
  Unprocessable,
  ValidationFailed,
} from '@seqcast/core';
import { JobHandlerRegistry } from './job-handler-registry';
import { JobStore } from './job-store';
import { JobStatus } from '@seqcast/db';
import { JobAccess } from './job-handler';
import { JobEvents } from './job-events';
import { throughOutage } from './outage-retry';
import { LossCurve } from './loss-curve';

/** How one run of a job ended, as far as the queue driver needs to know. */
export type RunOutcome = 'succeeded' | 'failed' | 'cancelled' | 'retry' | 'handed-back' | 'skipped';

/** The abort reason used when this process shuts down: the job goes back to the queue. */
export class ShuttingDown extends Error {
  constructor() {
    super('process shutting down');
  }
}

const PROGRESS_FLUSH_MS = 200;

/**
 * A failure that running the job again cannot fix; a handler throws it (or one of the
 * input errors below) to fail the job at once instead of using up its attempts.
 */
export class NonRetryable extends Error {}

/**
 * Whether a failure is worth another attempt. Input that is wrong (a lookback longer than
 * the series, a dataset that does not exist) fails the same way every time, so retrying
 * only delays the answer and burns worker time; anything else may be transient.
 */
export function isRetryable(e: unknown): boolean {
  return !(
    e instanceof NonRetryable ||
    e instanceof ValidationFailed ||
    e instanceof Unprocessable ||
    e instanceof NotFound
  );
}

/**
 * Runs one job to an outcome and keeps its row truthful. Both queue drivers use it, so
 * a job behaves the same in-process and under BullMQ: claimed atomically, progress
 * written (throttled), cancellation seen through the row or a local abort, failures
 * recorded with their message, and jobs interrupted by a shutdown handed back.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('JobRunner');
  private readonly running = new Map<string, { ac: AbortController; type: string }>();

  constructor(
    private readonly store: JobStore,
    private readonly registry: JobHandlerRegistry,
    @Optional() private readonly events?: JobEvents,
  ) {}

  async run(jobId: string, claimFrom: JobStatus[]): Promise<RunOutcome> {
    const started = process.hrtime.bigint();
    const claimed: { type?: string } = {};
    const outcome = await this.runClaimed(jobId, claimFrom, claimed);
    if (outcome !== 'skipped' && claimed.type !== undefined) {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.events?.emit({ type: claimed.type, outcome, seconds });
    }
    return outcome;
  }

  /** `claimed.type` is set once the row is ours, so `run` can report the run by type. */
  private async runClaimed(
    jobId: string,
    claimFrom: JobStatus[],
    claimed: { type?: string },
  ): Promise<RunOutcome> {
    const job = await this.store.claim(jobId, claimFrom);
    if (!job) return 'skipped';
    claimed.type = job.type;
    const handler = this.registry.get(job.type);
    if (!handler) {
      await this.store.finish(jobId, 'failed', { error: `no handler for job type '${job.type}'` });
      return 'failed';
    }
    // The row may come from another process, an older version or a hand-made insert:
    // its payload passes the handler's validation again, and a refused one fails at
    // once (no retry would change it) without the handler reading anything.
    let payload: Record<string, unknown>;
    try {
      payload = (await handler.validate(job.payload)) as Record<string, unknown>;
    } catch (e) {
      if (e instanceof SeqcastError && e.status < 500) {
        const fields = e.details.map((d) => `${d.field ?? 'payload'}: ${d.reason}`).join('; ');
        await this.store.finish(jobId, 'failed', {
          error: `invalid payload: ${e.message}${fields ? ` (${fields})` : ''}`,
        });
        return 'failed';
      }
      // The check itself broke (a lost database connection): that may pass on another attempt.
      const message = `payload check failed: ${e instanceof Error ? e.message : String(e)}`;
      if (job.attempts < job.maxAttempts) {
        await this.store.requeue(jobId, `attempt ${job.attempts} failed: ${message}`);
        return 'retry';
      }
      await this.store.finish(jobId, 'failed', { error: message });
      return 'failed';
    }
    const ac = new AbortController();
    this.running.set(jobId, { ac, type: job.type });
    // Which process ran which attempt: the trail an operator (and the fault tests) follow after a crash.
    this.logger.log(
      `job ${jobId} (${job.type}) attempt ${job.attempts} of ${job.maxAttempts} started in process ${process.pid}`,
    );

    let lastFlush = 0;
    let latest: { fraction: number; message: string | null } | null = null;
    // this run's epochs (a retry's resumed training reports the earlier ones again), written
    // at the run's first flush (clearing an earlier attempt's) and then only when one was added
    const curve = new LossCurve();
    let curveWritten = -1;
    let flushing: Promise<void> = Promise.resolve();
    const flush = () => {
      if (!latest) return flushing;
      const { fraction, message } = latest;
      const points = curve.added !== curveWritten ? curve.points : undefined;
      curveWritten = curve.added;
      latest = null;
      lastFlush = Date.now();
      flushing = flushing
        .then(() => this.store.progress(jobId, fraction, message, points))
        .then((r) => {
          if (r.cancelRequested && !ac.signal.aborted) ac.abort(new Cancelled('cancelled by request'));
        })
        .catch((e) => this.logger.warn(`progress write for ${jobId} failed: ${String(e)}`));
      return flushing;
    };
    const progress: ProgressFn = (fraction, message, metrics) => {
      if (metrics) curve.add(metrics);
      latest = {
        fraction: Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)),
        message: message ?? null,
      };
      if (Date.now() - lastFlush >= PROGRESS_FLUSH_MS) void flush();
    };

    try {
      const result = await handler.run(payload, {
        jobId,
        attempt: job.attempts,
        signal: ac.signal,
        progress,
      });
      await flush();
      if (ac.signal.aborted) return await this.interrupted(job, ac.signal.reason);
      // The work is done: a short database outage must not make it run again.
      await throughOutage(
        () => this.store.finish(jobId, 'succeeded', { result: result ?? null }),
        (e, ms) =>
          this.logger.warn(
            `job ${jobId} (${job.type}) succeeded; recording it failed, trying again in ${ms} ms: ${String(e)}`,
          ),
      );
      return 'succeeded';
    } catch (e) {
      await flush();
      if (ac.signal.aborted) return await this.interrupted(job, ac.signal.reason);
      const message = e instanceof Error ? e.message : String(e);
      if (!isRetryable(e)) {
        this.logger.warn(
          `job ${jobId} (${job.type}) failed on attempt ${job.attempts}, not retried: ${message}`,
        );
        await this.store.finish(jobId, 'failed', { error: message });
        return 'failed';
      }
      if (job.attempts < job.maxAttempts) {
        this.logger.warn(
          `job ${jobId} (${job.type}) attempt ${job.attempts} of ${job.maxAttempts} failed, retrying: ${message}`,
        );
        await this.store.requeue(jobId, `attempt ${job.attempts} failed: ${message}`);
        return 'retry';
      }
      this.logger.warn(`job ${jobId} (${job.type}) failed: ${message}`);
      await this.store.finish(jobId, 'failed', { error: message });
      return 'failed';
    } finally {
      this.running.delete(jobId);
    }
  }

  /** The payload to store for a new job of this type (see JobHandlerRegistry.validate). */
  validate(
    type: string,
    payload: Record<string, unknown>,
    from: JobAccess = 'internal',
  ): Promise<Record<string, unknown>> {
    return this.registry.validate(type, payload, from);
  }

  private async interrupted(
    job: { id: string; type: string; attempts: number },
    reason: unknown,
  ): Promise<RunOutcome> {
    const jobId = job.id;
    if (reason instanceof ShuttingDown) {
      // The job did not fail: it was asked to stop. Giving the attempt back keeps a
      // rolling restart from failing jobs that never went wrong.
      await this.store.handBack(jobId, job.attempts);
      this.logger.log(
        `job ${jobId} (${job.type}) handed back to the queue at shutdown; attempt ${job.attempts} not counted`,
      );
      return 'handed-back';
    }
    await this.store.finish(jobId, 'cancelled', {
      error: reason instanceof Error ? reason.message : 'cancelled',
    });
    return 'cancelled';
  }

  /** Aborts a job running in this process; false if it is not running here. */
  cancelLocal(jobId: string): boolean {
    const run = this.running.get(jobId);
    if (!run) return false;
    run.ac.abort(new Cancelled('cancelled by request'));
    return true;
  }

  /** Aborts every running job so that it is handed back to the queue. */
  handBackAll(): void {
    for (const [jobId, { ac, type }] of this.running) {
      this.logger.warn(`shutdown grace period over: interrupting job ${jobId} (${type}) to hand it back`);
      ac.abort(new ShuttingDown());
    }
  }

  get activeCount(): number {
    return this.running.size;
  }
}
