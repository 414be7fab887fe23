import { Inject, Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { AppConfig, NotFound, ValidationFailed } from '@seqcast/core';
import { ScheduleEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import { DataSource, Repository } from 'typeorm';
import { JobAccess } from '../job-handler';
import { JobHandlerRegistry } from '../job-handler-registry';
import { JobStore } from '../job-store';
import { isDeclaredJobType } from '../job-types';
import { inPayloadFields } from '../payload-fields';
import { BullMqQueue } from '../queue/bullmq.driver';
import { JOB_QUEUE, JobQueue } from '../queue/job-queue';
import { checkCronInterval, validateCron } from './cron';
import { BullMqScheduleDriver, InProcessScheduleDriver, ScheduleDriver } from './schedule-driver';

export interface NewSchedule {
  name: string;
  cron: string;
  jobType: string;
  payload?: Record<string, unknown>;
  timezone?: string;
  enabled?: boolean;
  /**
   * Who asks (see JobAccess): `public` (POST /schedules) is refused the types that only
   * their own route may enqueue; a feature's service (a model's retrain schedule) is `internal`.
   */
  from?: JobAccess;
}

/** Schedules are rows in the database; the driver keeps the active ones firing. */
@Injectable()
export class SchedulerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly repo: Repository<ScheduleEntity>;
  private readonly jobs: JobStore;
  private readonly driver: ScheduleDriver;
  private restoreTimer?: NodeJS.Timeout;
  private restoring: Promise<unknown> = Promise.resolve();

  constructor(
    ds: DataSource,
    private readonly config: AppConfig,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    private readonly registry: JobHandlerRegistry,
  ) {
    this.repo = ds.getRepository(ScheduleEntity);
    this.jobs = new JobStore(ds);
    this.driver =
      queue instanceof BullMqQueue
        ? new BullMqScheduleDriver(queue)
        : new InProcessScheduleDriver(queue, {
            mayFire: (id) => this.mayFire(id),
            fired: (id) => this.fired(id),
          });
  }

  async onApplicationBootstrap(): Promise<void> {
    // In-process timers belong to the process that runs jobs; BullMQ schedulers are idempotent upserts.
    if (this.driver instanceof InProcessScheduleDriver && this.config.ROLE === 'api') return;
    for (const s of await this.repo.findBy({ enabled: true })) await this.driver.upsert(s);
    if (this.driver instanceof BullMqScheduleDriver && this.config.ROLE !== 'api') this.keepSchedulers(this.driver);
  }

  /**
   * BullMQ schedulers live in Redis only, and were put there at boot: a Redis restarted
   * empty would stop every schedule until a process restarted. Processes that run jobs
   * put back, every JOBS_RECONCILE_INTERVAL_MS, those of enabled schedules it lost.
   */
  private keepSchedulers(driver: BullMqScheduleDriver): void {
    const pass = async () => {
      for (const id of await driver.restoreMissing(await this.repo.findBy({ enabled: true }))) {
        // Deleted or disabled meanwhile: that scheduler must not outlive its row.
        if (!(await this.repo.findOneBy({ id, enabled: true }))) await driver.remove(id);
        else this.logger.warn(`schedule ${id} was missing from Redis (restarted empty or flushed); put back`);
      }
    };
    const next = () => {
      this.restoring = pass()
        .catch((e: unknown) => this.logger.warn(`checking schedules in Redis failed, will try again: ${String(e)}`))
        .finally(() => {
          if (this.restoreTimer) this.restoreTimer = setTimeout(next, this.config.JOBS_RECONCILE_INTERVAL_MS);
        });
    };
    this.restoreTimer = setTimeout(next, this.config.JOBS_RECONCILE_INTERVAL_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearTimeout(this.restoreTimer);
    this.restoreTimer = undefined;
    await this.restoring;
    await this.driver.stop();
  }

  async create(input: NewSchedule): Promise<ScheduleEntity> {
    const timezone = input.timezone ?? 'UTC';
    validateCron(input.cron, timezone);
    checkCronInterval(input.cron, timezone, this.config.SCHEDULE_MIN_INTERVAL_S);
    if (!isDeclaredJobType(input.jobType)) {
      throw new ValidationFailed(`unknown job type '${input.jobType}'`, [{ field: 'jobType', reason: 'not a declared job type' }]);
    }
    // The checks of an enqueue, made once here: every fire would otherwise fail the same way.
    const from = input.from ?? 'internal';
    this.registry.accepting(input.jobType, from, 'jobType');
    const payload = await inPayloadFields(() => this.registry.validate(input.jobType, input.payload ?? {}, from));
    const row = await this.repo.save(
      this.repo.create({
        id: randomUUID(),
        name: input.name,
        cron: input.cron,
        timezone,
        jobType: input.jobType,
        payload,
        enabled: input.enabled ?? true,
        lastFiredAt: null,
        skippedRuns: 0,
        lastSkippedAt: null,
      }),
    );
    try {
      await this.driver.upsert(row);
    } catch (e) {
      await this.repo.delete({ id: row.id });
      throw e;
    }
    return row;
  }

  list(): Promise<ScheduleEntity[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }

  async get(id: string): Promise<ScheduleEntity> {
    const row = await this.repo.findOneBy({ id });
    if (!row) throw new NotFound(`schedule ${id} not found`, [{ field: 'id', reason: 'no such schedule' }]);
    return row;
  }

  async setEnabled(id: string, enabled: boolean): Promise<ScheduleEntity> {
    const row = await this.get(id);
    row.enabled = enabled;
    await this.repo.save(row);
    await this.driver.upsert(row);
    return row;
  }

  /**
   * Deletes the schedule, and the jobs it queued that have not started: they were asked
   * for by a schedule that no longer exists. Running ones are left to finish.
   */
  async remove(id: string): Promise<void> {
    await this.get(id);
    await this.driver.remove(id);
    await this.repo.delete({ id });
    const queued = await this.jobs.queuedOfSchedule(id);
    for (const jobId of queued) {
      // Through the queue, so that the driver forgets them too (pending list, Redis).
      await this.queue.cancel(jobId).catch(() => undefined); // started meanwhile: it runs to its end
    }
    await this.jobs.deleteUnstarted(queued);
    if (queued.length) this.logger.log(`schedule ${id} deleted with ${queued.length} queued job(s)`);
  }

  /**
   * Stops firing a schedule whose row was deleted in another transaction (with the model it
   * drives). Its queued jobs are not touched: the caller refused to delete while there were any.
   */
  async unschedule(id: string): Promise<void> {
    await this.driver.remove(id);
  }

  /** A fire starts a run only when the schedule's previous one is done; a skip is recorded. */
  private async mayFire(id: string): Promise<boolean> {
    const state = await this.jobs.scheduleRunState(id);
    if (state === 'busy') {
      await this.jobs.recordScheduleSkip(id);
      this.logger.warn(`schedule ${id}: fire skipped, its previous job is still queued or running`);
    }
    return state === 'free';
  }

  private async fired(id: string): Promise<void> {
    await this.repo.update({ id }, { lastFiredAt: new Date() });
  }
}
