import { declareJobType } from '@seqcast/jobs';

export const SEQ2SEQ_MODEL_TRAIN = declareJobType(
  'seq2seq-model.train',
  "Trains a sequence-to-sequence model (HiSS or a flat baseline) on its seq2seq dataset's newest version (70/15/15 split of sequences); payload {modelId, seed?}.",
);
