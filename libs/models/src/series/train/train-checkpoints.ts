import { Injectable } from '@nestjs/common';
import { AppConfig, Conflict, dataPaths } from '@seqcast/core';
import { ModelEntity } from '@seqcast/db';
import { CheckpointHeader, readCheckpointHeader, resumedFrom } from '@seqcast/tensor';
import { createHash } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { modelTargets } from '../../series-data';
import type { TrainCheckpointInput } from './train-checkpoint-port';

/** Labels the train job puts on its checkpoints (TrainerCheckpoint.meta). */
export interface TrainCheckpointMeta {
  /** trainRequestKey of the run that wrote it. */
  key: string;
  jobId: string;
}

/** How far a model's last interrupted training got (GET /models/:id). */
export interface TrainCheckpointView {
  epoch: number;
  step: number;
  steps: number;
  epochs: number;
  savedAt: string;
  jobId: string | null;
  /** What POST /models/:id/train {resume: true} would do, e.g. "resume at epoch 3 of 20, step 41 of 152". */
  message: string;
}

/** Object keys sorted at every depth, so equal configs give equal keys whatever order they were written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}

/**
 * The training request a checkpoint belongs to: the kind, its whole config (seed included),
 * the target columns, the sizes, the dataset version and the split. A checkpoint is resumed
 * only by a run with the same key, which draws the same windows and the same numbers.
 */
export function trainRequestKey(
  model: Pick<ModelEntity, 'kind' | 'config' | 'lookback' | 'horizon' | 'target' | 'targets'>,
  datasetVersionId: string,
  split: unknown,
): string {
  return requestKey([model.kind, model.config, modelTargets(model), model.lookback, model.horizon, datasetVersionId, split]);
}

/** SHA-256 of the JSON-able parts of a training request (keys sorted), naming what a checkpoint belongs to. */
export function requestKey(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(canonical(parts))).digest('hex');
}

/**
 * The checkpoints of model training (series, event and seq2seq models alike), one file per
 * model under the artifacts folder (`<artifacts>/.checkpoints/<model id>.ckpt`): not an
 * artifact of a version, since nothing serves it; the dot keeps it out of the artifact
 * listing. A train job writes it (in its worker thread, through the Trainer) and removes it
 * once the new version is recorded.
 */
@Injectable()
export class TrainCheckpoints {
  private readonly root: string;

  constructor(config: AppConfig) {
    this.root = dataPaths(config).artifacts;
  }

  file(modelId: string): string {
    return checkpointFile(this.root, modelId);
  }

  async header(modelId: string): Promise<CheckpointHeader | null> {
    return readCheckpointHeader(this.file(modelId));
  }

  async describe(modelId: string): Promise<TrainCheckpointView | null> {
    const h = await this.header(modelId);
    if (!h) return null;
    const meta = (h.meta ?? {}) as Partial<TrainCheckpointMeta>;
    return {
      epoch: h.position.epoch,
      step: h.position.step,
      steps: h.position.steps,
      epochs: h.position.epochs,
      savedAt: h.savedAt,
      jobId: meta.jobId ?? null,
      message: resumedFrom(h.position).message.replace(/^resumed/, 'resume'),
    };
  }

  /** The checkpoint a run of this request may resume, or 409 saying why there is none. */
  async requireMatching(modelId: string, key: string): Promise<CheckpointHeader> {
    const h = await this.header(modelId);
    if (!h)
      throw new Conflict(`model ${modelId} has no training checkpoint to resume`, [
        {
          field: 'resume',
          reason: 'no interrupted training of this model left one (a finished training removes it); train without resume',
        },
      ]);
    if ((h.meta as Partial<TrainCheckpointMeta> | undefined)?.key !== key)
      throw new Conflict(`the training checkpoint of model ${modelId} belongs to another training request`, [
        {
          field: 'resume',
          reason:
            'the model config or the dataset version changed since it was written; train without resume to start afresh',
        },
      ]);
    return h;
  }

  /**
   * Where a train job writes checkpoints and whether it takes up the one there: asked to
   * (`resume`, which must then match `key`, the request's), or on its own when the checkpoint
   * is this very job's (a retry after a kill, a crash or a hand-back at shutdown) and of the
   * same request.
   */
  async forJob(
    modelId: string,
    key: string,
    jobId: string,
    options: { resume?: boolean; everySteps: number },
  ): Promise<TrainCheckpointInput> {
    const at = { file: this.file(modelId), key, jobId, everySteps: options.everySteps };
    if (options.resume) {
      await this.requireMatching(modelId, key);
      return { ...at, resume: true };
    }
    const meta = (await this.header(modelId))?.meta;
    return { ...at, resume: meta?.key === key && meta?.jobId === jobId };
  }

  async remove(modelId: string): Promise<void> {
    await fs.rm(this.file(modelId), { force: true });
  }
}

export function checkpointFile(artifactRoot: string, modelId: string): string {
  return path.join(artifactRoot, '.checkpoints', `${modelId}.ckpt`);
}
