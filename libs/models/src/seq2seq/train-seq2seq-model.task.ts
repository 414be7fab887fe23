import { throwIfCancelled, WorkContext } from '@seqcast/core';
import type { Seq2SeqData } from '@seqcast/forecast';
import type { ResumedFrom } from '@seqcast/tensor';
import { TrainCheckpointInput, withTrainCheckpoints } from '../series/train/train-checkpoint-port';
import type { Seq2SeqColumns } from './seq2seq-artifacts';

export interface TrainSeq2SeqInput {
  backend: string;
  artifactRoot: string;
  kind: string;
  config: Record<string, unknown>;
  columns: Seq2SeqColumns;
  train: Seq2SeqData;
  validation: Seq2SeqData;
  test: Seq2SeqData;
  /** Where the Trainer writes its checkpoints, and whether it resumes the one there. */
  checkpoint?: TrainCheckpointInput;
}

export interface TrainSeq2SeqOutput {
  artifactId: string;
  backend: string;
  parameters: number;
  epochs: number;
  bestEpoch?: number;
  seconds: number;
  /** Validation MSE in the targets' units, best epoch's weights. */
  validationMse?: number;
  /** Test MSE in the targets' units (pooled, and per target column), and the mean predictor's beside it. */
  test: { mse: number; perTarget: Record<string, number>; meanPredictorMse: number; outputSteps: number };
  /** Where training took up from a checkpoint: "resumed at epoch 3 of 20, step 41 of 152". */
  resumed?: ResumedFrom;
}

/** Runs in a worker thread: fits a seq2seq model, scores it on the test sequences, saves it. */
export async function trainSeq2SeqModel(
  input: TrainSeq2SeqInput,
  ctx: WorkContext,
): Promise<TrainSeq2SeqOutput> {
  const { selectBackend, ArtifactStore } = await import('@seqcast/tensor');
  const { seq2seqRegistry } = await import('@seqcast/forecast');
  const { saveSeq2SeqModel } = await import('./seq2seq-artifacts');
  const { meanPredictorMse, seq2seqMse } = await import('./seq2seq-errors');
  const info = await selectBackend(input.backend as never);
  const model = seq2seqRegistry.create(input.kind, input.config);
  try {
    const fit = await model.fit(input.train, input.validation, withTrainCheckpoints(ctx, input.checkpoint));
    throwIfCancelled(ctx.signal);
    const scored = seq2seqMse(model.predict(input.test.inputs), input.test.targets);
    const test = {
      mse: scored.mse,
      perTarget: Object.fromEntries(input.columns.targetColumns.map((c, i) => [c, scored.perChannel[i]])),
      meanPredictorMse: meanPredictorMse(input.train.targets, input.test.targets),
      outputSteps: scored.steps,
    };
    const artifactId = await saveSeq2SeqModel(new ArtifactStore(input.artifactRoot), model, input.columns, {
      testMse: test.mse,
      ...(fit.validMse !== undefined ? { validationMse: fit.validMse } : {}),
    });
    return {
      artifactId,
      backend: info.name,
      parameters: model.parameterCount,
      epochs: fit.epochs.length,
      ...(fit.bestEpoch !== undefined ? { bestEpoch: fit.bestEpoch } : {}),
      seconds: fit.seconds,
      ...(fit.validMse !== undefined ? { validationMse: fit.validMse } : {}),
      test,
      ...(fit.resumedFrom ? { resumed: fit.resumedFrom } : {}),
    };
  } finally {
    model.dispose();
  }
}
