import { ValidationFailed } from '@seqcast/core';
import { DataSource } from 'typeorm';
import { SleepJobHandler } from '../diagnostic/sleep.handler';
import { JobRunner } from '../job-runner';
import { JobStore } from '../job-store';
import { InProcessQueue } from '../queue/in-process.driver';
import { memoryDatabase, registryOf } from '../testing/job-fixtures';
import { SchedulerService } from './scheduler.service';

describe('schedule guards: minimum interval, no overlapping runs, deletion', () => {
  let ds: DataSource;
  let store: JobStore;
  let queue: InProcessQueue;
  let scheduler: SchedulerService;

  /**
   * A real in-process queue whose worker is not started: what a fire enqueues stays
   * queued, as it does behind a long job. The database opens before time is faked.
   */
  async function start(env: Record<string, string> = {}) {
    const db = await memoryDatabase(env);
    ds = db.ds;
    store = new JobStore(ds);
    const registry = registryOf(new SleepJobHandler());
    queue = new InProcessQueue(db.config, store, new JobRunner(store, registry));
    scheduler = new SchedulerService(ds, db.config, queue, registry);
    jest.useFakeTimers({ now: new Date('2026-03-01T00:00:00Z'), doNotFake: ['nextTick', 'setImmediate'] });
    await scheduler.onApplicationBootstrap();
  }

  afterEach(async () => {
    await scheduler?.beforeApplicationShutdown();
    await queue?.stop();
    jest.useRealTimers();
    await ds?.destroy();
  });

  const jobsOf = async (scheduleId: string) =>
    (await store.list({ limit: 100, offset: 0 }))[0].filter((j) => j.scheduleId === scheduleId);

  it('refuses a cron that fires more often than SCHEDULE_MIN_INTERVAL_S, naming cron', async () => {
    await start();
    for (const cron of ['* * * * * *', '*/30 * * * * *', '0,1 * * * * *']) {
      let err: unknown;
      await scheduler.create({ name: 'fast', cron, jobType: 'diagnostic.sleep' }).catch((e) => (err = e));
      expect(err).toBeInstanceOf(ValidationFailed);
      expect((err as ValidationFailed).details).toEqual([
        { field: 'cron', reason: expect.stringMatching(/SCHEDULE_MIN_INTERVAL_S \(60 s\)/) },
      ]);
    }
    expect(await scheduler.list()).toEqual([]);
    // every minute is the default's limit, and allowed
    await expect(
      scheduler.create({ name: 'minutely', cron: '* * * * *', jobType: 'diagnostic.sleep' }),
    ).resolves.toMatchObject({ cron: '* * * * *' });
  });

  it('takes the minimum interval from the configuration', async () => {
    await start({ SCHEDULE_MIN_INTERVAL_S: '1' });
    await expect(
      scheduler.create({ name: 'tick', cron: '* * * * * *', jobType: 'diagnostic.sleep' }),
    ).resolves.toMatchObject({ cron: '* * * * * *' });
  });

  it('skips a fire while the previous job of the schedule is still queued, and records the skip', async () => {
    await start();
    const s = await scheduler.create({ name: 'minutely', cron: '* * * * *', jobType: 'diagnostic.sleep' });
    await jest.advanceTimersByTimeAsync(3 * 60_000 + 1000); // fires at 00:01, 00:02, 00:03
    jest.useRealTimers(); // so that TypeORM reads dates back as Dates
    const jobs = await jobsOf(s.id);
    expect(jobs.map((j) => j.status)).toEqual(['queued']);
    const after = await scheduler.get(s.id);
    expect(after.skippedRuns).toBe(2);
    expect(after.lastSkippedAt?.toISOString()).toBe('2026-03-01T00:03:00.000Z');
    expect(after.lastFiredAt?.toISOString()).toBe('2026-03-01T00:01:00.000Z');
  });

  it('fires again once the previous job has ended', async () => {
    await start();
    const s = await scheduler.create({ name: 'minutely', cron: '* * * * *', jobType: 'diagnostic.sleep' });
    await jest.advanceTimersByTimeAsync(60_000 + 1000);
    const [first] = await jobsOf(s.id);
    await store.claim(first.id, ['queued']);
    await store.finish(first.id, 'succeeded', { result: null });
    await jest.advanceTimersByTimeAsync(60_000);
    jest.useRealTimers();
    expect((await jobsOf(s.id)).map((j) => j.status).sort()).toEqual(['queued', 'succeeded']);
    expect((await scheduler.get(s.id)).skippedRuns).toBe(0);
  });

  it('removes the queued jobs of a deleted schedule and leaves its running one', async () => {
    await start();
    const s = await scheduler.create({ name: 'minutely', cron: '* * * * *', jobType: 'diagnostic.sleep' });
    const other = await scheduler.create({ name: 'other', cron: '30 * * * *', jobType: 'diagnostic.sleep' });
    jest.useRealTimers();
    // one of its runs already started elsewhere, one still waiting; and another schedule's job
    const running = await store.create({ type: 'diagnostic.sleep', payload: {}, maxAttempts: 1, scheduleId: s.id });
    await store.claim(running.id, ['queued']);
    const waiting = await queue.enqueue('diagnostic.sleep', {}, { scheduleId: s.id });
    const others = await queue.enqueue('diagnostic.sleep', {}, { scheduleId: other.id });
    await scheduler.remove(s.id);
    expect((await jobsOf(s.id)).map((j) => [j.id, j.status])).toEqual([[running.id, 'running']]);
    expect(await store.find(waiting.id)).toBeNull();
    expect((await store.get(others.id)).status).toBe('queued');
    await expect(scheduler.get(s.id)).rejects.toThrow(/not found/);
  });
});
