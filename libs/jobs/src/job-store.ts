import { Injectable, Logger } from '@nestjs/common';
import { Conflict, EpochMetrics, NotFound } from '@seqcast/core';
import { JobEntity, JobStatus, ScheduleEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource, FindOptionsWhere, In, IsNull, Repository } from 'typeorm';

export interface NewJob {
  type: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
  scheduleId?: string | null;
  id?: string;
}

/**
 * All reads and writes of job rows. Status changes are conditional updates
 * (`where status = ...`) so two processes racing on one job cannot both win.
 */
@Injectable()
export class JobStore {
  private readonly logger = new Logger('JobStore');
  private readonly repo: Repository<JobEntity>;
  private readonly schedules: Repository<ScheduleEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(JobEntity);
    this.schedules = ds.getRepository(ScheduleEntity);
  }

  async create(job: NewJob): Promise<JobEntity> {
    const row = this.repo.create({
      id: job.id ?? randomUUID(),
      type: job.type,
      payload: job.payload,
      status: 'queued',
      progress: 0,
      progressMessage: null,
      progressCurve: null,
      result: null,
      error: null,
      attempts: 0,
      maxAttempts: job.maxAttempts,
      cancelRequested: false,
      scheduleId: job.scheduleId ?? null,
      startedAt: null,
      finishedAt: null,
    });
    return this.repo.save(row);
  }

  async get(id: string): Promise<JobEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw new NotFound(`job ${id} not found`, [{ field: 'id', reason: 'no such job' }]);
    return row;
  }

  /**
   * Deletes a finished job's row. The delete is conditional on a finished status, so a job
   * a worker claims between our read and our write is never removed under it; queued and
   * running jobs are a 409 (cancel them first).
   */
  async deleteFinished(id: string): Promise<void> {
    const finished: JobStatus[] = ['succeeded', 'failed', 'cancelled'];
    const res = await this.repo.delete({ id, status: In(finished) });
    if (res.affected) return;
    const row = await this.get(id);
    throw new Conflict(`job ${id} is ${row.status}; cancel it first`, [
      { field: 'status', reason: row.status },
    ]);
  }

  find(id: string): Promise<JobEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Newest first; `type` keeps one type's rows, else `types` any of those types'. */
  list(opts: {
    status?: JobStatus;
    type?: string;
    types?: string[];
    limit: number;
    offset: number;
  }): Promise<[JobEntity[], number]> {
    const where: FindOptionsWhere<JobEntity> = {};
    if (opts.status) where.status = opts.status;
    if (opts.type) where.type = opts.type;
    else if (opts.types) where.type = In(opts.types);
    return this.repo.findAndCount({
      where,
      order: { createdAt: 'DESC' },
      take: opts.limit,
      skip: opts.offset,
    });
  }

  /** queued (or a stale running row left by a dead worker) -> running; false if someone else has it or it was cancelled. */
  async claim(id: string, fromStatuses: JobStatus[]): Promise<JobEntity | null> {
    const row = await this.repo.findOneBy({ id });
    if (!row || !fromStatuses.includes(row.status) || row.cancelRequested) return null;
    if (row.attempts >= row.maxAttempts) {
      // Every attempt has been used (the last one by a process that died mid-run):
      // running it again would show more attempts than allowed, so it ends here.
      const error = `gave up after ${row.attempts} of ${row.maxAttempts} attempts: ${row.error ?? 'the process running it stopped'}`;
      const gaveUp = await this.repo.update(
        { id, status: In(fromStatuses), attempts: row.attempts },
        { status: 'failed', finishedAt: new Date(), error },
      );
      if (gaveUp.affected) this.logger.warn(`job ${id} (${row.type}) ${error}`);
      return null;
    }
    const res = await this.repo.update(
      { id, status: In(fromStatuses), attempts: row.attempts },
      { status: 'running', attempts: row.attempts + 1, startedAt: new Date(), error: null },
    );
    return res.affected ? { ...row, status: 'running', attempts: row.attempts + 1 } : null;
  }

  /** A running row's sign of life from the worker running it (see QueueReconciler). */
  async heartbeat(id: string): Promise<void> {
    await this.repo.update({ id, status: 'running' }, { updatedAt: new Date() });
  }

  async progress(
    id: string,
    fraction: number,
    message: string | null,
    curve?: EpochMetrics[],
  ): Promise<{ cancelRequested: boolean }> {
    // the curve (the epochs so far) only when it changed: it is the bulk of the write
    await this.repo.update(
      { id, status: 'running' },
      {
        progress: fraction,
        progressMessage: message,
        ...(curve ? { progressCurve: curve.length ? curve : null } : {}),
      },
    );
    const row = await this.repo.findOne({ where: { id }, select: { id: true, cancelRequested: true } });
    return { cancelRequested: !!row?.cancelRequested };
  }

  async finish(
    id: string,
    status: Extract<JobStatus, 'succeeded' | 'failed' | 'cancelled'>,
    fields: { result?: unknown; error?: string | null } = {},
  ): Promise<void> {
    await this.repo.update(
      { id },
      {
        status,
        finishedAt: new Date(),
        ...(status === 'succeeded' ? { progress: 1 } : {}),
        ...('result' in fields ? { result: fields.result as object } : {}),
        ...('error' in fields ? { error: fields.error } : {}),
      },
    );
  }

  /** A running job handed back (shutdown, a retry after failure): it will run again. */
  async requeue(id: string, error: string | null = null): Promise<void> {
    await this.repo.update({ id }, { status: 'queued', startedAt: null, error });
  }

  /**
   * A running job handed back at shutdown: queued again with the attempt it was on given
   * back, since it did not fail. Only from running, so a row already finished stays so.
   */
  async handBack(id: string, attempt: number): Promise<void> {
    await this.repo.update(
      { id, status: 'running', attempts: attempt },
      {
        status: 'queued',
        attempts: Math.max(0, attempt - 1),
        startedAt: null,
        error: 'interrupted by shutdown; handed back to the queue',
      },
    );
  }

  /**
   * Whether a schedule may start a run now: 'gone' when it was deleted or disabled,
   * 'busy' while one of its jobs is still queued or running (runs never overlap).
   */
  async scheduleRunState(scheduleId: string, exceptJobId?: string): Promise<'free' | 'busy' | 'gone'> {
    const schedule = await this.schedules.findOneBy({ id: scheduleId });
    if (!schedule || !schedule.enabled) return 'gone';
    const active = await this.repo.find({
      where: { scheduleId, status: In(['queued', 'running']) },
      select: { id: true },
    });
    return active.some((j) => j.id !== exceptJobId) ? 'busy' : 'free';
  }

  /** Notes on the schedule that a fire was skipped because its previous run was not done. */
  async recordScheduleSkip(scheduleId: string): Promise<void> {
    await this.schedules.increment({ id: scheduleId }, 'skippedRuns', 1);
    await this.schedules.update({ id: scheduleId }, { lastSkippedAt: new Date() });
  }

  /** Ids of a schedule's jobs that have not started. */
  async queuedOfSchedule(scheduleId: string): Promise<string[]> {
    const rows = await this.repo.find({ where: { scheduleId, status: 'queued' }, select: { id: true } });
    return rows.map((r) => r.id);
  }

  /** Deletes job rows that never ran (cancelled before they started). */
  async deleteUnstarted(ids: string[]): Promise<void> {
    if (ids.length) await this.repo.delete({ id: In(ids), status: 'cancelled', startedAt: IsNull() });
  }

  /** Cancels a queued job outright; returns true if it was still queued. */
  /** How many rows are in each of `statuses` now (zero for none), one grouped query. */
  async countByStatus(statuses: JobStatus[]): Promise<Record<string, number>> {
    const rows = await this.repo
      .createQueryBuilder('job')
      .select('job.status', 'status')
      .addSelect('COUNT(*)', 'n')
      .where({ status: In(statuses) })
      .groupBy('job.status')
      .getRawMany<{ status: string; n: string | number }>();
    const counts: Record<string, number> = Object.fromEntries(statuses.map((s) => [s, 0]));
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  async cancelQueued(id: string): Promise<boolean> {
    const res = await this.repo.update(
      { id, status: 'queued' },
      { status: 'cancelled', cancelRequested: true, finishedAt: new Date() },
    );
    return !!res.affected;
  }

  async requestCancel(id: string): Promise<void> {
    await this.repo.update({ id, status: 'running' }, { cancelRequested: true });
  }

  byStatus(statuses: JobStatus[]): Promise<JobEntity[]> {
    return this.repo.find({ where: { status: In(statuses) }, order: { createdAt: 'ASC' } });
  }
}
