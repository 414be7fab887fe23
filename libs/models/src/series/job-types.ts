import { declareJobType } from '@seqcast/jobs';

export const MODEL_TRAIN = declareJobType(
  'model.train',
  "Trains a model on its dataset's newest version; payload {modelId}. Progress shows epochs and loss.",
);
export const MODEL_BATCH_FORECAST = declareJobType(
  'model.batch-forecast',
  'Forecasts every series of the model dataset and writes one Arrow file; payload {modelId, horizon?}.',
);
