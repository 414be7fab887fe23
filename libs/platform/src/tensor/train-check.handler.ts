import { Injectable } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { checkPayload, declareJobType, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import type { TrainCheckInput, TrainCheckResult } from './train-check.task';

export const DIAGNOSTIC_TRAIN = declareJobType(
  'diagnostic.train',
  'Trains a linear regression with a known answer through the Trainer in a worker thread: checks the training service of a deployment.',
);

/** The task module beside this file: `.ts` under the tests, `.js` when built. */
const TASK = path.join(__dirname, `train-check.task${path.extname(__filename)}`);

@Injectable()
@HandlesJob(DIAGNOSTIC_TRAIN)
export class TrainCheckJobHandler implements JobHandler<Partial<TrainCheckInput>, TrainCheckResult> {
  readonly access = 'public';

  constructor(private readonly config: AppConfig) {}

  validate(p: Record<string, unknown>): Partial<TrainCheckInput> {
    return checkPayload<Partial<TrainCheckInput>>(DIAGNOSTIC_TRAIN, p, {
      epochs: { type: 'integer', minimum: 1, maximum: 10_000 },
      rows: { type: 'integer', minimum: 8, maximum: 1_000_000 },
      seed: { type: 'integer', minimum: 0 },
    });
  }

  run(p: Partial<TrainCheckInput>, ctx: JobRunContext): Promise<TrainCheckResult> {
    const input: TrainCheckInput = {
      epochs: Math.max(1, Math.min(10_000, Math.floor(p.epochs ?? 20))),
      rows: Math.max(8, Math.min(1_000_000, Math.floor(p.rows ?? 2048))),
      backend: this.config.TF_BACKEND,
      seed: p.seed ?? 1,
    };
    // Off the event loop: the HTTP server keeps answering while this trains.
    return runInWorkerThread(TASK, 'trainCheck', input, { signal: ctx.signal, onProgress: ctx.progress });
  }
}
