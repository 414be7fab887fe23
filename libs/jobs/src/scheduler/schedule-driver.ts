import { Logger } from '@nestjs/common';
import { ScheduleEntity } from '@seqcast/db';
import { Cron } from 'croner';
import { BullMqQueue } from '../queue/bullmq.driver';
import { JobQueue } from '../queue/job-queue';

/** Where schedules live while they are active. Cron callbacks only enqueue; they never do the work. */
export interface ScheduleDriver {
  upsert(s: ScheduleEntity): Promise<void>;
  remove(id: string): Promise<void>;
  stop(): Promise<void>;
}

/** What the owner of the schedules decides and records around each fire. */
export interface FireHooks {
  /** False to skip this fire (the previous run is not done, or the schedule is gone). */
  mayFire(scheduleId: string): Promise<boolean>;
  fired(scheduleId: string): Promise<void>;
}

/** Embedded mode: croner timers in this process. */
export class InProcessScheduleDriver implements ScheduleDriver {
  private readonly logger = new Logger('Scheduler');
  private readonly crons = new Map<string, Cron>();

  constructor(
    private readonly queue: JobQueue,
    private readonly hooks: FireHooks,
  ) {}

  async upsert(s: ScheduleEntity): Promise<void> {
    await this.remove(s.id);
    if (!s.enabled) return;
    const cron = new Cron(s.cron, { timezone: s.timezone, protect: true }, async () => {
      try {
        if (!(await this.hooks.mayFire(s.id))) return;
        await this.queue.enqueue(s.jobType, s.payload, { scheduleId: s.id });
        await this.hooks.fired(s.id);
      } catch (e) {
        this.logger.error(`schedule ${s.id} could not enqueue: ${String(e)}`);
      }
    });
    this.crons.set(s.id, cron);
  }

  async remove(id: string): Promise<void> {
    this.crons.get(id)?.stop();
    this.crons.delete(id);
  }

  async stop(): Promise<void> {
    for (const c of this.crons.values()) c.stop();
    this.crons.clear();
  }
}

/**
 * With Redis: BullMQ job schedulers, stored in Redis under the schedule's id, so one
 * schedule fires once however many api or worker replicas run.
 */
export class BullMqScheduleDriver implements ScheduleDriver {
  constructor(private readonly queue: BullMqQueue) {}

  async upsert(s: ScheduleEntity): Promise<void> {
    if (!s.enabled) return this.remove(s.id);
    await this.queue.queue.upsertJobScheduler(
      s.id,
      { pattern: s.cron, tz: s.timezone },
      { name: s.jobType, data: { scheduleId: s.id, payload: s.payload }, opts: this.queue.jobOptions(undefined, 1) },
    );
  }

  async remove(id: string): Promise<void> {
    await this.queue.queue.removeJobScheduler(id);
  }

  /**
   * Puts back the schedulers of these schedules that Redis no longer has (restarted empty,
   * flushed); leaves the others alone. Returns the ids put back.
   */
  async restoreMissing(schedules: ScheduleEntity[]): Promise<string[]> {
    const restored: string[] = [];
    for (const s of schedules) {
      if (await this.queue.queue.getJobScheduler(s.id)) continue;
      await this.upsert(s);
      restored.push(s.id);
    }
    return restored;
  }

  async stop(): Promise<void> {
    // Schedules live in Redis; nothing to stop in this process.
  }
}
