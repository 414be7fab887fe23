import { declareJobType } from '@seqcast/jobs';
import { requestKey } from '../series/train/train-checkpoints';

export const SEQ2SEQ_MODEL_TRAIN = declareJobType(
  'seq2seq-model.train',
  "Trains a sequence-to-sequence model (HiSS or a flat baseline) on its seq2seq dataset's newest version (70/15/15 split of sequences); payload {modelId, seed?, resume?, checkpointSteps?}.",
);

/** seq2seq-model.train's payload: the model, the split's seed, and how this run treats checkpoints. */
export interface TrainSeq2SeqPayload {
  modelId: string;
  /** Seed of the split by sequences (default 0). */
  seed?: number;
  /** Resume the model's checkpoint (after a cancel, or a job that failed for good); it must match this request. */
  resume?: boolean;
  /** Steps between checkpoints inside an epoch for this run (default TRAIN_CHECKPOINT_STEPS). */
  checkpointSteps?: number;
}

/**
 * The training request a seq2seq checkpoint belongs to: the kind, its whole config (the
 * model's seed included), the dataset version and the split's seed. Only a run with the same
 * key (the same sequences in the same parts, the same network) takes the checkpoint up.
 */
export function seq2seqTrainKey(
  model: { kind: string; config: Record<string, unknown> },
  datasetVersionId: string,
  seed: number,
): string {
  return requestKey(['seq2seq', model.kind, model.config, datasetVersionId, seed]);
}
