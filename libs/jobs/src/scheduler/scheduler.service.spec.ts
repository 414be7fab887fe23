import { loadConfig, ValidationFailed } from '@seqcast/core';
import { JobEntity } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { SleepJobHandler } from '../diagnostic/sleep.handler';
import { memoryDatabase, registryOf } from '../testing/job-fixtures';
import { EnqueueOptions, JobQueue } from '../queue/job-queue';
import { validateCron } from './cron';
import { SchedulerService } from './scheduler.service';

/** A queue that only records what was enqueued, and when (fake time). */
class RecordingQueue implements JobQueue {
  readonly driver = 'in-process' as const;
  readonly enqueued: { type: string; payload: Record<string, unknown>; opts?: EnqueueOptions; at: string }[] =
    [];
  async enqueue(type: string, payload: Record<string, unknown>, opts?: EnqueueOptions) {
    this.enqueued.push({ type, payload, opts, at: new Date().toISOString() });
    return { id: String(this.enqueued.length), type } as JobEntity;
  }
  async cancel(): Promise<JobEntity> {
    throw new Error('not used');
  }
  async startWorker() {}
  async stop() {}
  async health() {
    return { driver: this.driver, ok: true };
  }
}

describe('validateCron', () => {
  afterEach(() => jest.useRealTimers());

  it('gives the next fire time, in the schedule time zone', () => {
    jest.useFakeTimers({ now: new Date('2026-01-15T10:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    // 03:00 has passed today in UTC: tomorrow's
    expect(validateCron('0 3 * * *').toISOString()).toBe('2026-01-16T03:00:00.000Z');
    // Berlin is UTC+1 in January, UTC+2 in July
    expect(validateCron('0 3 * * *', 'Europe/Berlin').toISOString()).toBe('2026-01-16T02:00:00.000Z');
    jest.setSystemTime(new Date('2026-07-15T10:00:00Z'));
    expect(validateCron('0 3 * * *', 'Europe/Berlin').toISOString()).toBe('2026-07-16T01:00:00.000Z');
    // six fields: seconds first
    expect(validateCron('*/20 * * * * *').toISOString()).toBe('2026-07-15T10:00:20.000Z');
  });

  it('names the cron field for an expression or time zone it cannot use', () => {
    for (const [expr, tz] of [
      ['61 * * * *', 'UTC'],
      ['every day', 'UTC'],
      ['0 3 * * *', 'Mars/Olympus'],
    ]) {
      let err: unknown;
      try {
        validateCron(expr, tz);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationFailed);
      expect((err as ValidationFailed).details[0].field).toBe('cron');
    }
  });
});

describe('SchedulerService (in-process timers)', () => {
  let ds: DataSource;
  let queue: RecordingQueue;
  let scheduler: SchedulerService;

  // TypeORM checks column types against the Date it sees when the database opens: open it
  // before time is faked
  async function start() {
    const db = await memoryDatabase();
    ds = db.ds;
    queue = new RecordingQueue();
    scheduler = new SchedulerService(ds, db.config, queue, registryOf(new SleepJobHandler()));
    jest.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    await scheduler.onApplicationBootstrap();
  }

  afterEach(async () => {
    await scheduler?.beforeApplicationShutdown();
    await ds?.destroy();
    jest.useRealTimers();
  });

  it('enqueues the job at each fire time, with its payload and schedule, and records the firing', async () => {
    await start();
    const s = await scheduler.create({
      name: 'quarterly',
      cron: '*/15 * * * *',
      jobType: 'diagnostic.sleep',
      payload: { steps: 1 },
    });
    await jest.advanceTimersByTimeAsync(31 * 60_000); // to 00:31
    expect(queue.enqueued.map((e) => e.at)).toEqual(['2026-03-01T00:15:00.000Z', '2026-03-01T00:30:00.000Z']);
    expect(queue.enqueued[0]).toMatchObject({
      type: 'diagnostic.sleep',
      payload: { steps: 1 },
      opts: { scheduleId: s.id },
    });
    jest.useRealTimers(); // so that TypeORM reads the column back as a Date
    expect((await scheduler.get(s.id)).lastFiredAt?.toISOString()).toBe('2026-03-01T00:30:00.000Z');
  });

  it('stops firing a schedule that is disabled or removed, and fires it again once re-enabled', async () => {
    await start();
    const a = await scheduler.create({ name: 'a', cron: '0 * * * *', jobType: 'diagnostic.sleep' });
    const b = await scheduler.create({ name: 'b', cron: '30 * * * *', jobType: 'diagnostic.sleep' });
    await jest.advanceTimersByTimeAsync(3600_000); // 00:30 b, 01:00 a
    expect(queue.enqueued.map((e) => e.opts?.scheduleId)).toEqual([b.id, a.id]);
    await scheduler.setEnabled(a.id, false);
    await scheduler.remove(b.id);
    await jest.advanceTimersByTimeAsync(3 * 3600_000);
    expect(queue.enqueued).toHaveLength(2);
    await scheduler.setEnabled(a.id, true);
    await jest.advanceTimersByTimeAsync(3600_000);
    expect(queue.enqueued.map((e) => e.at).slice(2)).toEqual(['2026-03-01T05:00:00.000Z']);
    await expect(scheduler.get(b.id)).rejects.toThrow(/not found/);
  });

  it('refuses an unknown job type or a bad cron, and stores nothing', async () => {
    await start();
    await expect(
      scheduler.create({ name: 'x', cron: '0 2 * * *', jobType: 'no.such.job' }),
    ).rejects.toMatchObject({
      details: [{ field: 'jobType', reason: 'not a declared job type' }],
    });
    await expect(
      scheduler.create({ name: 'x', cron: '0 25 * * *', jobType: 'diagnostic.sleep' }),
    ).rejects.toBeInstanceOf(ValidationFailed);
    expect(await scheduler.list()).toEqual([]);
  });

  it('leaves in-process timers to the process that runs jobs: an api-only process fires nothing at boot', async () => {
    await start();
    await scheduler.create({ name: 'hourly', cron: '0 * * * *', jobType: 'diagnostic.sleep' });
    await scheduler.beforeApplicationShutdown();
    // the same database, booted as ROLE=api (jobs run elsewhere)
    const apiQueue = new RecordingQueue();
    const api = new SchedulerService(
      ds,
      loadConfig({ ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:6379' }),
      apiQueue,
      registryOf(new SleepJobHandler()),
    );
    await api.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2 * 3600_000);
    expect(apiQueue.enqueued).toEqual([]);
    // while a process that runs jobs, on the same rows, fires them
    const worker = new SchedulerService(ds, loadConfig({}), queue, registryOf(new SleepJobHandler()));
    await worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3600_000);
    expect(queue.enqueued.map((e) => e.at)).toEqual(['2026-03-01T03:00:00.000Z']);
    await worker.beforeApplicationShutdown();
  });
});
