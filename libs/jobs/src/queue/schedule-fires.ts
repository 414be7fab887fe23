import { Logger } from '@nestjs/common';
import { JobEntity } from '@seqcast/db';
import { randomUUID } from 'crypto';
import type { Redis } from 'ioredis';
import { JobStore } from '../job-store';

/** What a fire of a schedule becomes a run of. */
export interface Fire {
  scheduleId: string;
  type: string;
  payload: Record<string, unknown>;
  maxAttempts: number;
}

/** Deletes the lock only if it is still ours: one that expired may be another fire's by now. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Turns BullMQ's scheduled fires into runs, one run of a schedule at a time. The check "is
 * the previous run done?" and the creation of the new run's row are one step for every
 * worker on this Redis: a fire takes a short lock on its schedule (SET NX with a TTL) first.
 * Without it, two workers taking two fires at once (a backlog after an outage, several
 * replicas) both saw "nothing running" and both made a run. The lock is held for one read
 * and one insert; its TTL only frees it after a process died holding it.
 */
export class ScheduleFires {
  private readonly logger = new Logger('Scheduler');

  constructor(
    private readonly redis: Redis,
    private readonly store: JobStore,
    /** Keys live under this (the queue's name), so deployments sharing a Redis stay apart. */
    private readonly namespace: string,
    private readonly lockTtlMs = 30_000,
  ) {}

  /** The new run's row, or null when this fire is skipped (recorded when the previous run is not done). */
  async start(fire: Fire): Promise<JobEntity | null> {
    const key = `${this.namespace}:schedule-fire:${fire.scheduleId}`;
    const token = randomUUID();
    if ((await this.redis.set(key, token, 'PX', this.lockTtlMs, 'NX')) !== 'OK') {
      // Another fire of this schedule is making its run right now: this one would overlap it.
      return this.skipped(fire.scheduleId);
    }
    try {
      const state = await this.store.scheduleRunState(fire.scheduleId);
      if (state === 'gone') return null;
      if (state === 'busy') return this.skipped(fire.scheduleId);
      return await this.store.create(fire);
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined); // expires by itself anyway
    }
  }

  private async skipped(scheduleId: string): Promise<null> {
    await this.store.recordScheduleSkip(scheduleId);
    this.logger.warn(`schedule ${scheduleId}: fire skipped, its previous job is still queued or running`);
    return null;
  }
}
