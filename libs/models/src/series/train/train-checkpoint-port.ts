import { Conflict, WorkContext } from '@seqcast/core';
import {
  readCheckpointFile,
  TrainContext,
  TrainerCheckpoints,
  WorkerThreadOptions,
  writeCheckpointFile,
} from '@seqcast/tensor';
import type { TrainCheckpointMeta } from './train-checkpoints';

/**
 * How long a cancelled training may take to stop: the step under way ends and the Trainer writes
 * where it got (a step of SpaceTime at the paper's widths takes seconds), before the thread goes.
 */
export const CANCEL_GRACE_MS = 30_000;

/**
 * How a training job runs its worker thread: the job's signal, the thread's progress mapped
 * after the `from` the job reported itself (reading data) with its epoch metrics, and the cancel grace above.
 */
export function trainingThread(ctx: WorkContext, from: number): WorkerThreadOptions {
  return {
    signal: ctx.signal,
    onProgress: (f, m, metrics) => ctx.progress(from + (0.99 - from) * f, m, metrics),
    cancelGraceMs: CANCEL_GRACE_MS,
  };
}

/** What the train job hands its worker thread about checkpoints. */
export interface TrainCheckpointInput extends TrainCheckpointMeta {
  file: string;
  everySteps: number;
  /** Take up the checkpoint in `file` (the handler found it matches this request). */
  resume: boolean;
}

/**
 * The Trainer's checkpoints for one train job (in its worker thread): written to the model's
 * checkpoint file labelled with the request's key and the job, read back only when resuming,
 * and then only if the file still belongs to this request.
 */
export function trainCheckpointPort(input: TrainCheckpointInput): TrainerCheckpoints {
  const meta: TrainCheckpointMeta = { key: input.key, jobId: input.jobId };
  return {
    everySteps: input.everySteps,
    load: async () => {
      if (!input.resume) return null;
      const checkpoint = await readCheckpointFile(input.file);
      if ((checkpoint?.meta as Partial<TrainCheckpointMeta> | undefined)?.key !== input.key)
        throw new Conflict('the training checkpoint changed or went away before this job could resume it', [
          { field: 'resume', reason: 'another training of the model replaced or removed it; train again' },
        ]);
      return checkpoint;
    },
    save: (checkpoint) => writeCheckpointFile(input.file, { ...checkpoint, meta: { ...meta } }),
  };
}

/** A worker thread's work context with the train job's checkpoints on it (none: the context as it is). */
export function withTrainCheckpoints(
  ctx: WorkContext,
  input: TrainCheckpointInput | undefined,
): TrainContext {
  return input ? { ...ctx, checkpoints: trainCheckpointPort(input) } : ctx;
}
