import { Injectable } from '@nestjs/common';
import { AppConfig, dataPaths } from '@seqcast/core';
import { eventBackendRequest } from '@seqcast/events';
import { checkPayload, HandlesJob, JobHandler, JobRunContext } from '@seqcast/jobs';
import { runInWorkerThread } from '@seqcast/tensor';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { trainVersion } from '../model-versions';
import { EVENT_MODEL_TRAIN } from './event-job-types';
import { splitUsable } from './event-splits';
import { datasetTimeUnit, inDatasetUnit } from './event-time-unit';
import { EventModelsService } from './event-models.service';
import type { TrainEventModelInput, TrainEventModelOutput } from './train-event-model.task';
import { requestKey, TrainCheckpoints } from '../series/train/train-checkpoints';
import { trainingThread } from '../series/train/train-checkpoint-port';

const TASK = path.join(__dirname, `train-event-model.task${path.extname(__filename)}`);

@Injectable()
@HandlesJob(EVENT_MODEL_TRAIN)
export class TrainEventModelJobHandler implements JobHandler<{ modelId: string; seed?: number }> {
  constructor(
    private readonly ds: DataSource,
    private readonly config: AppConfig,
    private readonly events: EventModelsService,
    private readonly checkpoints: TrainCheckpoints,
  ) {}

  /** Enqueued by its own route, which first checks the rows this payload points at. */
  readonly access = 'internal';

  validate(p: Record<string, unknown>): { modelId: string; seed?: number } {
    return checkPayload<{ modelId: string; seed?: number }>(EVENT_MODEL_TRAIN, p, {
      modelId: { type: 'uuid', required: true },
      seed: { type: 'integer', minimum: 0 },
    });
  }

  async run(p: { modelId: string; seed?: number }, ctx: JobRunContext) {
    const model = await this.events.get(p.modelId);
    const { row, result } = await trainVersion(this.ds, model.id, async () => {
      ctx.progress(0, 'reading events');
      const { version, sequences, numTypes, typeNames, timestamps } = await this.events.sequences(
        model.datasetId!,
      );
      const seed = p.seed ?? 0;
      const split = splitUsable(sequences, seed, { id: version.datasetId, field: 'datasetId' });
      // Models see times in the dataset's unit (seconds for timestamps), as an evaluation of the
      // dataset does, so the reported LL per event is in that unit: the neural models rescale to
      // their own internal unit (the mean gap) and convert their likelihoods back.
      const { unit, perUnit: scale } = datasetTimeUnit(timestamps);
      const toModel = (s: { times: Float64Array; types: Int32Array }) => inDatasetUnit(s, scale);
      const input: TrainEventModelInput = {
        backend: eventBackendRequest(this.config.TF_BACKEND),
        artifactRoot: dataPaths(this.config).artifacts,
        kind: model.kind,
        config: model.config,
        numTypes,
        timeScale: { scale, unit, timestamps, typeNames },
        train: split.train.map(toModel),
        dev: split.dev.map(toModel),
        test: split.test.map(toModel),
        seed,
        checkpoint: await this.checkpointing(model, version.id, seed, ctx),
      };
      const out = await runInWorkerThread<TrainEventModelInput, TrainEventModelOutput>(
        TASK,
        'trainEventModel',
        input,
        trainingThread(ctx, 0.02),
      );
      return {
        version: {
          artifactRef: out.artifactId,
          datasetVersionId: version.id,
          metrics: {
            test: out.test,
            secondsPerEpoch: out.secondsPerEpoch,
            epochs: out.epochs,
            ...(out.bestEpoch !== undefined ? { bestEpoch: out.bestEpoch } : {}),
            timeUnit: unit,
          },
          backend: out.backend,
        },
        result: {
          sequences: { train: split.train.length, dev: split.dev.length, test: split.test.length },
          timeUnit: unit,
          ...out,
        },
      };
    });
    // the version is recorded: nothing is left to resume
    await this.checkpoints.remove(model.id);
    return { modelId: model.id, modelVersionId: row.id, version: row.version, ...result };
  }

  /**
   * Checkpoints as series training writes them (TRAIN_CHECKPOINT_STEPS, one file per model): a
   * run of this job again (after a kill, a crash or a hand-back at shutdown) takes up its own
   * checkpoint when the request (kind, config, dataset version, split seed) is the same.
   */
  private checkpointing(
    model: { id: string; kind: string; config: Record<string, unknown> },
    datasetVersionId: string,
    seed: number,
    ctx: JobRunContext,
  ): Promise<TrainEventModelInput['checkpoint']> {
    const key = requestKey(['events', model.kind, model.config, datasetVersionId, seed]);
    return this.checkpoints.forJob(model.id, key, ctx.jobId, {
      everySteps: this.config.TRAIN_CHECKPOINT_STEPS,
    });
  }
}
