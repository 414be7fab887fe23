import { Injectable } from '@nestjs/common';
import { AppConfig } from '@seqcast/core';
import { eventBackendRequest } from '@seqcast/events';
import { DatasetsService } from '@seqcast/data';
import { declareJobType, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { EventModelsService } from '../events/event-models.service';
import { pinTppSources, readTppSources } from './tpp-eval-sources';

export const EVALUATION_TPP = declareJobType(
  'evaluation.tpp',
  'EasyTPP-style evaluation of event models: payload is the evaluation config (datasets x models x seeds); the result holds the Markdown table.',
);

const TASK = path.join(__dirname, `tpp-eval.task${path.extname(__filename)}`);

@Injectable()
@HandlesJob(EVALUATION_TPP)
export class TppEvaluationJobHandler implements JobHandler<Record<string, unknown>> {
  constructor(
    private readonly config: AppConfig,
    private readonly events: EventModelsService,
    private readonly datasets: DatasetsService,
  ) {}

  /** POST /jobs takes the same body as POST /evaluations/tpp, checked the same way. */
  readonly access = 'public';

  /**
   * The form of the config, then its sources (files in the shared data folder only, stored
   * datasets pinned to a version). Reads no file: a path is judged by where it points.
   */
  async validate(payload: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { validateTppEvalConfig } = await import('@seqcast/eval');
    validateTppEvalConfig(payload, process.cwd());
    return pinTppSources(payload, this.datasets, process.cwd());
  }

  async run(payload: Record<string, unknown>, ctx: JobRunContext) {
    ctx.progress(0, 'reading datasets');
    const config = await readTppSources(payload, this.events);
    // Relative dataset paths in a config sent over HTTP resolve against the server's working directory.
    return runInWorkerThread(
      TASK,
      'tppEvaluation',
      { config, backend: eventBackendRequest(this.config.TF_BACKEND), baseDir: process.cwd() },
      {
        signal: ctx.signal,
        onProgress: ctx.progress,
      },
    );
  }
}
