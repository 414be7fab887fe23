import type { TrainCheckpointView } from '@seqcast/models';
import { TestApi, waitFor } from './api';
import { arCsv, uploadSeries } from './stored-objects';

/**
 * A SpaceTime small enough to train in seconds, with dropout (the model's own random stream)
 * and early stopping on, so a checkpoint must carry both: 3 epochs of about 60 steps.
 */
export const RESUMABLE_SPACETIME = {
  kind: 'spacetime',
  target: 'value',
  lookback: 32,
  horizon: 4,
  config: {
    modelDim: 16,
    kernelDim: 4,
    encoderKernels: 2,
    decoderKernels: 2,
    diffOrders: 2,
    maWindows: 2,
    minMaWindow: 2,
    maxMaWindow: 8,
    dropout: 0.1,
    epochs: 3,
    batchSize: 16,
    patience: 2,
    seed: 7,
  },
};

/** Two AR(2) series of 750 hourly rows each. */
export function uploadTrainingSeries(api: TestApi): Promise<string> {
  return uploadSeries(api, 'resumable', arCsv(5, 750));
}

export async function createResumableModel(api: TestApi, datasetId: string): Promise<string> {
  return (await api.http().post('/models').send({ ...RESUMABLE_SPACETIME, datasetId }).expect(201)).body.id;
}

/** GET /models/:id's checkpoint. */
export type CheckpointView = TrainCheckpointView;

export async function checkpointOf(api: TestApi, modelId: string): Promise<CheckpointView | null> {
  return (await api.http().get(`/models/${modelId}`).expect(200)).body.checkpoint;
}

/** Waits until the model's checkpoint stands inside an epoch (not at its start). */
export async function midEpochCheckpoint(api: TestApi, modelId: string): Promise<CheckpointView> {
  return (await waitFor(() => checkpointOf(api, modelId), (c) => c !== null && c.step > 0, 60000, 20))!;
}
