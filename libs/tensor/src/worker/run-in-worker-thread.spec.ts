import { Cancelled, ValidationFailed } from '@seqcast/core';
import * as path from 'path';
import { configureKernels, configuredKernels } from '../kernels/configure-kernels';
import { runInWorkerThread } from './run-in-worker-thread';

const tasks = path.join(__dirname, '..', 'testing', 'worker-tasks.ts');

describe('runInWorkerThread', () => {
  it('returns the result and forwards progress, while the caller stays responsive', async () => {
    const progress: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    const result = await runInWorkerThread(
      tasks,
      'spin',
      { slices: 10, sliceMs: 40 },
      { onProgress: (f) => progress.push(f) },
    );
    clearInterval(timer);
    const elapsed = Date.now() - started;
    expect(result).toEqual({ done: 10 });
    expect(progress).toEqual(
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((v) => expect.closeTo(v, 10)),
    );
    // the 10 ms timer kept firing during 400 ms of busy work in the thread
    expect(ticks).toBeGreaterThan((elapsed / 10) * 0.3);
  });

  it('cancellation reaches the task through its signal', async () => {
    const controller = new AbortController();
    const run = runInWorkerThread(
      tasks,
      'spin',
      { slices: 1000, sliceMs: 20 },
      {
        signal: controller.signal,
        onProgress: (f) => f >= 0.003 && controller.abort(),
      },
    );
    await expect(run).rejects.toBeInstanceOf(Cancelled);
  });

  it('terminates a task that ignores cancellation', async () => {
    const controller = new AbortController();
    const run = runInWorkerThread(tasks, 'stuck', {}, { signal: controller.signal, cancelGraceMs: 100 });
    setTimeout(() => controller.abort(), 300);
    await expect(run).rejects.toThrow(/terminated/);
  });

  it('passes typed errors back with code and details', async () => {
    const err = await runInWorkerThread(tasks, 'fail', {}).catch((e) => e);
    expect(err).toMatchObject({
      code: 'validation_failed',
      status: 400,
      message: 'bad horizon',
      details: [{ field: 'horizon', reason: 'too long' }],
    });
    expect(err).not.toBeInstanceOf(ValidationFailed); // rebuilt as the base class
    await expect(runInWorkerThread(tasks, 'missing', {})).rejects.toThrow(/missing is not exported/);
  });

  it('runs a Trainer job in the thread (tfjs and the TypeScript sources load there)', async () => {
    const events: string[] = [];
    const result = await runInWorkerThread<{ epochs: number }, { w: number; b: number; backend: string }>(
      tasks,
      'trainLine',
      { epochs: 40 },
      {
        onProgress: (_f, m) => events.push(m ?? ''),
      },
    );
    expect(result.backend).toBe('cpu');
    expect(result.w).toBeCloseTo(2, 1);
    expect(result.b).toBeCloseTo(-1, 1);
    expect(events.some((m) => /epoch 40\/40/.test(m))).toBe(true);
  }, 30000);

  it("hands the thread this process's kernel settings, whatever its environment says", async () => {
    const before = configuredKernels();
    try {
      configureKernels({ native: false, isa: 'base', threads: 3 });
      // the thread's environment asks for the opposite; the configured settings win
      const env = { SEQCAST_NATIVE: '1', SEQCAST_NATIVE_ISA: 'avx512', SEQCAST_THREADS: '1' };
      const inThread = await runInWorkerThread<object, { native: boolean; isa: string; tier: string }>(
        tasks,
        'kernelsInThread',
        {},
        { env },
      );
      expect(inThread).toEqual({ native: false, isa: 'base', threads: 3, tier: expect.not.stringMatching(/^native$/) });
    } finally {
      configureKernels(before);
    }
  }, 30000);
});
