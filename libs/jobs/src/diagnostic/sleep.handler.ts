import { Injectable } from '@nestjs/common';
import { throwIfCancelled } from '@seqcast/core';
import { HandlesJob, JobHandler, JobRunContext } from '../job-handler';
import { checkPayload } from '../payload-check';
import { declareJobType } from '../job-types';

export const DIAGNOSTIC_SLEEP = declareJobType(
  'diagnostic.sleep',
  'Sleeps `steps` x `stepMs` ms reporting progress; fails with `fail` as message if given. For checking a deployment.',
);

export interface SleepPayload {
  steps?: number;
  stepMs?: number;
  fail?: string;
  /** Fail only on attempts up to this number (then succeed): exercises retries. */
  failUntilAttempt?: number;
}

/** A job that does nothing useful, observably: progress, cancellation, failure, retries. */
@Injectable()
@HandlesJob(DIAGNOSTIC_SLEEP)
export class SleepJobHandler implements JobHandler<SleepPayload> {
  readonly access = 'public';

  validate(p: Record<string, unknown>): SleepPayload {
    return checkPayload<SleepPayload>(DIAGNOSTIC_SLEEP, p, {
      steps: { type: 'integer', minimum: 1, maximum: 10_000 },
      stepMs: { type: 'number', minimum: 0, maximum: 60_000 },
      fail: { type: 'string' },
      failUntilAttempt: { type: 'integer', minimum: 0 },
    });
  }

  async run(p: SleepPayload, ctx: JobRunContext) {
    const steps = Math.max(1, Math.min(10_000, Math.floor(p.steps ?? 5)));
    const stepMs = Math.max(0, Math.min(60_000, p.stepMs ?? 100));
    for (let i = 0; i < steps; i++) {
      throwIfCancelled(ctx.signal);
      await new Promise((r) => setTimeout(r, stepMs));
      ctx.progress((i + 1) / steps, `step ${i + 1} of ${steps}`);
      if (p.fail && i === Math.floor(steps / 2) && (p.failUntilAttempt === undefined || ctx.attempt <= p.failUntilAttempt)) {
        throw new Error(p.fail);
      }
    }
    throwIfCancelled(ctx.signal);
    return { steps, slept: steps * stepMs, attempt: ctx.attempt, pid: process.pid };
  }
}
