import { Injectable } from '@nestjs/common';
import { NotFound } from '@seqcast/core';
import { JobEntity, JobStatus } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource, FindOptionsWhere, In, Repository } from 'typeorm';

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
  private readonly repo: Repository<JobEntity>;

  constructor(ds: DataSource) {
    this.repo = ds.getRepository(JobEntity);
  }

  async create(job: NewJob): Promise<JobEntity> {
    const row = this.repo.create({
      id: job.id ?? randomUUID(),
      type: job.type,
      payload: job.payload,
      status: 'queued',
      progress: 0,
      progressMessage: null,
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

  find(id: string): Promise<JobEntity | null> {
    return this.repo.findOneBy({ id });
  }

  list(opts: { status?: JobStatus; type?: string; limit: number; offset: number }): Promise<[JobEntity[], number]> {
    const where: FindOptionsWhere<JobEntity> = {};
    if (opts.status) where.status = opts.status;
    if (opts.type) where.type = opts.type;
    return this.repo.findAndCount({ where, order: { createdAt: 'DESC' }, take: opts.limit, skip: opts.offset });
  }

  /** queued (or a stale running row left by a dead worker) -> running; false if someone else has it or it was cancelled. */
  async claim(id: string, fromStatuses: JobStatus[]): Promise<JobEntity | null> {
    const row = await this.repo.findOneBy({ id });
    if (!row || !fromStatuses.includes(row.status) || row.cancelRequested) return null;
    const res = await this.repo.update(
      { id, status: In(fromStatuses), attempts: row.attempts },
      { status: 'running', attempts: row.attempts + 1, startedAt: new Date(), error: null },
    );
    return res.affected ? { ...row, status: 'running', attempts: row.attempts + 1 } : null;
  }

  async progress(id: string, fraction: number, message: string | null): Promise<{ cancelRequested: boolean }> {
    await this.repo.update({ id, status: 'running' }, { progress: fraction, progressMessage: message });
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

  /** Cancels a queued job outright; returns true if it was still queued. */
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
