import { declareJobType } from '@seqcast/jobs';

export const EVENT_MODEL_TRAIN = declareJobType(
  'event-model.train',
  "Trains a temporal point process on its event dataset's newest version (70/15/15 split of sequences); payload {modelId, seed?}.",
);
