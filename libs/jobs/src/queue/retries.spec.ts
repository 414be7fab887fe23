import { Injectable, Logger } from '@nestjs/common';
import { NotFound, throwIfCancelled, Unprocessable, ValidationFailed } from '@seqcast/core';
import { DataSource } from 'typeorm';
import { SleepJobHandler } from '../diagnostic/sleep.handler';
import { HandlesJob, JobHandler, JobRunContext } from '../job-handler';
import { JobRunner } from '../job-runner';
import { JobStore } from '../job-store';
import { declareJobType } from '../job-types';
import { eventually, memoryDatabase, registryOf } from '../testing/job-fixtures';
import { InProcessQueue } from './in-process.driver';

const FAILS = declareJobType('test.fails', 'throws the error its payload names, every time');
const HOLDS = declareJobType('test.holds', 'runs until its signal aborts');

type FailKind = 'validation' | 'unprocessable' | 'not-found' | 'generic';

/** Throws the kind of error the payload asks for, counting its runs. */
@Injectable()
@HandlesJob(FAILS)
class FailingHandler implements JobHandler<{ kind: FailKind }> {
  readonly access = 'public' as const;
  runs = 0;

  validate(p: Record<string, unknown>) {
    return p as { kind: FailKind };
  }

  async run(p: { kind: FailKind }) {
    this.runs++;
    switch (p.kind) {
      case 'validation':
        throw new ValidationFailed('lookback 96 is longer than the series (40 rows)', [
          { field: 'lookback', reason: 'longer than the series' },
        ]);
      case 'unprocessable':
        throw new Unprocessable('horizon 500 is longer than the model forecasts');
      case 'not-found':
        throw new NotFound('dataset d1 not found');
      default:
        throw new Error('connection reset');
    }
  }
}

/** Runs until aborted; says which attempt it ran as. */
@Injectable()
@HandlesJob(HOLDS)
class HoldingHandler implements JobHandler {
  readonly access = 'public' as const;
  attempts: number[] = [];
  running = 0;

  validate(p: Record<string, unknown>) {
    return p;
  }

  async run(p: Record<string, unknown>, ctx: JobRunContext) {
    this.attempts.push(ctx.attempt);
    this.running++;
    try {
      if (p.finish) return { attempt: ctx.attempt };
      await new Promise<void>((_, reject) =>
        ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason), { once: true }),
      );
      throwIfCancelled(ctx.signal);
      return null;
    } finally {
      this.running--;
    }
  }
}

describe('retries and hand-backs (in-process driver)', () => {
  let ds: DataSource;
  let store: JobStore;
  let failing: FailingHandler;
  let holding: HoldingHandler;
  let queue: InProcessQueue | undefined;
  let config: Awaited<ReturnType<typeof memoryDatabase>>['config'];

  beforeEach(async () => {
    const db = await memoryDatabase({ JOBS_CONCURRENCY: '2', JOBS_ATTEMPTS: '3', SHUTDOWN_GRACE_MS: '50' });
    ds = db.ds;
    config = db.config;
    store = new JobStore(ds);
    failing = new FailingHandler();
    holding = new HoldingHandler();
  });

  /** A process's queue over the shared database (a restart is a new one). */
  function boot(): InProcessQueue {
    const runner = new JobRunner(store, registryOf(new SleepJobHandler(), failing, holding));
    queue = new InProcessQueue(config, store, runner);
    return queue;
  }

  afterEach(async () => {
    jest.restoreAllMocks();
    await queue?.stop();
    queue = undefined;
    await ds?.destroy();
  });

  const row = (id: string) => store.get(id);
  const settled = (id: string) =>
    eventually(async () => ['succeeded', 'failed', 'cancelled'].includes((await row(id)).status));

  it.each<[FailKind, string]>([
    ['validation', 'lookback 96 is longer than the series (40 rows)'],
    ['unprocessable', 'horizon 500 is longer than the model forecasts'],
    ['not-found', 'dataset d1 not found'],
  ])('runs a job failing with %s once and fails it with its message', async (kind, message) => {
    const q = boot();
    await q.startWorker();
    const job = await q.enqueue(FAILS, { kind });
    await settled(job.id);
    const done = await row(job.id);
    expect([done.status, done.attempts, done.error]).toEqual(['failed', 1, message]);
    // nothing comes back for another try
    await new Promise((r) => setTimeout(r, 700));
    expect(failing.runs).toBe(1);
    expect((await row(job.id)).attempts).toBe(1);
  });

  it('retries a generic error up to JOBS_ATTEMPTS', async () => {
    const q = boot();
    await q.startWorker();
    const job = await q.enqueue(FAILS, { kind: 'generic' });
    await settled(job.id);
    const done = await row(job.id);
    expect([done.status, done.attempts, done.maxAttempts, done.error]).toEqual(['failed', 3, 3, 'connection reset']);
    expect(failing.runs).toBe(3);
  }, 10000);

  it('hands a job back at shutdown without counting the attempt, and logs it with id and type', async () => {
    const logs: string[] = [];
    for (const level of ['log', 'warn'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => void logs.push(String(args[0])));
    }
    const q = boot();
    await q.startWorker();
    const job = await q.enqueue(HOLDS, {});
    await eventually(async () => holding.running === 1);
    expect((await row(job.id)).attempts).toBe(1);
    await q.stop(); // grace 50 ms: the handler would hold for ever
    const back = await row(job.id);
    expect([back.status, back.attempts, back.error]).toEqual([
      'queued',
      0,
      'interrupted by shutdown; handed back to the queue',
    ]);
    expect(logs).toEqual(expect.arrayContaining([expect.stringMatching(/stopping: 1 running job/)]));
    expect(logs.filter((l) => l.includes(job.id) && l.includes(HOLDS) && /handed back/.test(l))).not.toEqual([]);
  });

  it('keeps attempts within maxAttempts through a crash and two shutdowns', async () => {
    // a process that died on the job's first attempt
    const job = await store.create({ type: HOLDS, payload: {}, maxAttempts: 2 });
    await store.claim(job.id, ['queued']);
    // two restarts that each end in a graceful shutdown mid-job
    for (let i = 0; i < 2; i++) {
      const q = boot();
      await q.startWorker();
      await eventually(async () => holding.running === 1);
      expect((await row(job.id)).attempts).toBe(2);
      await q.stop();
      expect([(await row(job.id)).status, (await row(job.id)).attempts]).toEqual(['queued', 1]);
    }
    expect(holding.attempts).toEqual([2, 2]);
    // a third process dies on the last attempt: the job fails rather than run a third time
    await store.claim(job.id, ['queued']);
    const q = boot();
    await q.startWorker();
    await settled(job.id);
    const done = await row(job.id);
    expect(done.status).toBe('failed');
    expect(done.attempts).toBe(2);
    expect(done.error).toMatch(/gave up after 2 of 2 attempts/);
    expect(holding.attempts).toEqual([2, 2]);
  });
});
