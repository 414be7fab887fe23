import { Injectable } from '@nestjs/common';
import { throwIfCancelled } from '@seqcast/core';
import { JobEntity } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { SleepJobHandler } from '../diagnostic/sleep.handler';
import { HandlesJob, JobHandler, JobRunContext } from '../job-handler';
import { JobRunner } from '../job-runner';
import { JobStore } from '../job-store';
import { declareJobType } from '../job-types';
import { eventually, memoryDatabase, registryOf } from '../testing/job-fixtures';
import { InProcessQueue } from './in-process.driver';

const PROBE = declareJobType('test.probe', 'counts how many probes run at once; each waits until released');

/** Runs until released (or cancelled), recording how many probes ran at the same time. */
@Injectable()
@HandlesJob(PROBE)
class ProbeHandler implements JobHandler {
  readonly access = 'public';
  validate(p: Record<string, unknown>) {
    return p;
  }
  running = 0;
  mostAtOnce = 0;
  started: string[] = [];
  private releases: (() => void)[] = [];

  async run(_p: Record<string, unknown>, ctx: JobRunContext) {
    this.started.push(ctx.jobId);
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.running);
    try {
      await new Promise<void>((resolve, reject) => {
        this.releases.push(resolve);
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true });
      });
      throwIfCancelled(ctx.signal);
      return { id: ctx.jobId };
    } finally {
      this.running--;
    }
  }

  releaseAll(): void {
    for (const r of this.releases.splice(0)) r();
  }
}

describe('InProcessQueue', () => {
  let ds: DataSource;
  let store: JobStore;
  let probe: ProbeHandler;
  let queue: InProcessQueue;

  async function start(env: Record<string, string> = {}) {
    const db = await memoryDatabase({
      JOBS_CONCURRENCY: '2',
      JOBS_ATTEMPTS: '3',
      SHUTDOWN_GRACE_MS: '100',
      ...env,
    });
    ds = db.ds;
    store = new JobStore(ds);
    probe = new ProbeHandler();
    const runner = new JobRunner(store, registryOf(new SleepJobHandler(), probe));
    queue = new InProcessQueue(db.config, store, runner);
    return { config: db.config, runner };
  }
  const row = (id: string) => store.get(id);
  const settled = (id: string) =>
    eventually(async () => ['succeeded', 'failed', 'cancelled'].includes((await row(id)).status));

  afterEach(async () => {
    probe?.releaseAll();
    await queue?.stop();
    await ds?.destroy();
  });

  it("runs a job to success and stores its handler's result and full progress", async () => {
    await start();
    await queue.startWorker();
    const job = await queue.enqueue('diagnostic.sleep', { steps: 3, stepMs: 1 });
    expect(job.status).toBe('queued');
    await settled(job.id);
    const done = await row(job.id);
    expect([done.status, done.progress, done.attempts]).toEqual(['succeeded', 1, 1]);
    expect(done.result).toMatchObject({ steps: 3, attempt: 1, pid: process.pid });
  });

  it('never runs more than JOBS_CONCURRENCY jobs at once, and runs every one', async () => {
    await start();
    await queue.startWorker();
    const jobs = await Promise.all([0, 1, 2, 3, 4].map(() => queue.enqueue(PROBE, {})));
    await eventually(async () => probe.started.length === 2);
    // the third waits while two run
    await new Promise((r) => setTimeout(r, 50));
    expect(probe.started).toHaveLength(2);
    // release whoever runs until every job is done
    await eventually(async () => {
      probe.releaseAll();
      const rows = await Promise.all(jobs.map((j) => row(j.id)));
      return rows.every((r) => r.status === 'succeeded');
    });
    expect(probe.mostAtOnce).toBe(2);
    expect(new Set(probe.started)).toEqual(new Set(jobs.map((j) => j.id)));
    expect((await Promise.all(jobs.map((j) => row(j.id)))).map((r) => r.status)).toEqual(
      Array(5).fill('succeeded'),
    );
  });

  it('retries a failing job up to JOBS_ATTEMPTS, then records it failed with its message', async () => {
    await start();
    await queue.startWorker();
    const recovers = await queue.enqueue('diagnostic.sleep', {
      steps: 2,
      stepMs: 1,
      fail: 'flaky',
      failUntilAttempt: 1,
    });
    const never = await queue.enqueue('diagnostic.sleep', { steps: 2, stepMs: 1, fail: 'always broken' });
    await settled(recovers.id);
    await settled(never.id);
    const r = await row(recovers.id);
    expect([r.status, r.attempts, r.result]).toEqual([
      'succeeded',
      2,
      expect.objectContaining({ attempt: 2 }),
    ]);
    const n = await row(never.id);
    expect([n.status, n.attempts, n.error]).toEqual(['failed', 3, 'always broken']);
  }, 10000);

  it('cancels a queued job before it runs and a running one through its signal', async () => {
    await start({ JOBS_CONCURRENCY: '1' });
    await queue.startWorker();
    const running = await queue.enqueue(PROBE, {});
    const waiting = await queue.enqueue(PROBE, {});
    await eventually(async () => probe.running === 1);
    expect((await queue.cancel(waiting.id)).status).toBe('cancelled');
    await queue.cancel(running.id);
    await settled(running.id);
    expect((await row(running.id)).status).toBe('cancelled');
    // the queue goes on without the cancelled job: nothing else starts
    await new Promise((r) => setTimeout(r, 50));
    expect(probe.started).toEqual([running.id]);
    await expect(queue.cancel(running.id)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('refuses to cancel a job that has already finished', async () => {
    await start();
    await queue.startWorker();
    const job = await queue.enqueue('diagnostic.sleep', { steps: 1, stepMs: 1 });
    await settled(job.id);
    await expect(queue.cancel(job.id)).rejects.toThrow(/already succeeded/);
  });

  it('picks up the jobs an earlier process left queued or running, and runs them again', async () => {
    await start();
    // an earlier process: one job claimed (running, attempt 1) when it died, one never started
    const interrupted = await store.create({
      type: 'diagnostic.sleep',
      payload: { steps: 1, stepMs: 1 },
      maxAttempts: 3,
    });
    await store.claim(interrupted.id, ['queued']);
    const left: JobEntity = await store.create({
      type: 'diagnostic.sleep',
      payload: { steps: 1, stepMs: 1 },
      maxAttempts: 3,
    });
    expect((await row(interrupted.id)).status).toBe('running');
    await queue.startWorker();
    await settled(interrupted.id);
    await settled(left.id);
    expect([(await row(interrupted.id)).status, (await row(interrupted.id)).attempts]).toEqual([
      'succeeded',
      2,
    ]);
    expect([(await row(left.id)).status, (await row(left.id)).attempts]).toEqual(['succeeded', 1]);
  });

  it('hands a job still running at shutdown back to the queue once the grace period is over', async () => {
    await start();
    await queue.startWorker();
    const job = await queue.enqueue(PROBE, {});
    await eventually(async () => probe.running === 1);
    await queue.stop(); // SHUTDOWN_GRACE_MS = 100: the probe would wait for ever
    const back = await row(job.id);
    expect([back.status, back.error]).toEqual([
      'queued',
      'interrupted by shutdown; handed back to the queue',
    ]);
  });
});
