import { declareJobType } from '@seqcast/jobs';

export const MODEL_TRAIN = declareJobType(
  'model.train',
  "Trains a model on its dataset's newest version; payload {modelId}. Progress shows epochs and loss.",
);
export const MODEL_BATCH_FORECAST = declareJobType(
  'model.batch-forecast',
  'Forecasts every series of the model dataset and writes one Arrow file; payload {modelId, horizon?}.',
);
export const MODEL_UPDATE = declareJobType(
  'model.update',
  'Updates a trained model with the rows of a version of its dataset it has not learnt yet (exact for closed-form kinds, a few optimiser steps for trained ones) and makes the result its current version; payload {modelId, datasetVersionId}.',
);
