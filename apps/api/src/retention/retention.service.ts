import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { ForecastEntity, JobEntity } from '@seqcast/db';
import { DataSource, In, LessThan, ObjectLiteral, Repository } from 'typeorm';

/** Rows removed per statement: keeps each delete (and its lock on SQLite) short. */
export const RETENTION_BATCH = 500;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Deletes stored forecasts and finished jobs older than FORECAST_RETENTION_DAYS /
 * JOB_RETENTION_DAYS (0 keeps them forever) on an interval in the api process. Every api
 * may sweep: deletes by id are idempotent, so two sweeps racing only do the work twice.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly ds: DataSource,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.FORECAST_RETENTION_DAYS && !this.config.JOB_RETENTION_DAYS) return;
    this.timer = setInterval(() => void this.tick(), this.config.RETENTION_SWEEP_INTERVAL_MS);
    // The sweep must never keep a process alive that is otherwise done.
    this.timer.unref();
    // A first sweep right away, so a restart does not wait a whole interval to catch up.
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // Let a sweep in progress finish its batch before the DataSource closes.
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return; // a slow sweep is not overlapped by the next tick
    this.running = this.sweep().catch((e: unknown) =>
      this.logger.error(`retention sweep failed: ${String(e)}`),
    );
    await this.running;
    this.running = null;
  }

  /** One sweep; returns how many rows of each kind it removed. */
  async sweep(now = new Date()): Promise<{ forecasts: number; jobs: number }> {
    const out = { forecasts: 0, jobs: 0 };
    const fDays = this.config.FORECAST_RETENTION_DAYS;
    if (fDays > 0) {
      const cutoff = new Date(now.getTime() - fDays * DAY_MS);
      out.forecasts = await this.deleteInBatches(this.ds.getRepository(ForecastEntity), {
        createdAt: LessThan(cutoff),
      });
    }
    const jDays = this.config.JOB_RETENTION_DAYS;
    if (jDays > 0) {
      const cutoff = new Date(now.getTime() - jDays * DAY_MS);
      // Only finished jobs: a queued or running one is still someone's work, however old.
      out.jobs = await this.deleteInBatches(this.ds.getRepository(JobEntity), {
        status: In(['succeeded', 'failed', 'cancelled']),
        finishedAt: LessThan(cutoff),
      });
    }
    if (out.forecasts || out.jobs)
      this.logger.log(`retention removed ${out.forecasts} forecasts, ${out.jobs} jobs`);
    return out;
  }

  private async deleteInBatches<T extends ObjectLiteral & { id: string }>(
    repo: Repository<T>,
    where: Record<string, unknown>,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await repo.find({
        select: { id: true } as never,
        where: where as never,
        take: RETENTION_BATCH,
      });
      if (!rows.length) return total;
      await repo.delete({ id: In(rows.map((r) => r.id)) } as never);
      total += rows.length;
      if (rows.length < RETENTION_BATCH) return total;
      // Give requests a turn between batches.
      await new Promise((r) => setImmediate(r));
    }
  }
}
