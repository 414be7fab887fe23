import { Type } from '@nestjs/common';
import { simulateAr } from '@seqcast/forecast';
import { ModelsService } from '../series/models.service';
import { bootFeature, FeatureApp, HOURLY_ROLES, hourlyCsv } from './feature-app';
import { referenceAr } from './reference-ar';

const rows = 240;
const order = 3;
const values = Float32Array.from(
  simulateAr({ coefficients: [0.6, -0.25], length: rows, noiseStd: 2, seed: 3 }),
  (v) => 50 + v,
);
/** The training split of a series model: the first 70% of the rows. */
const trainEnd = Math.floor(rows * 0.7);

/**
 * An hourly AR(2) around 50 (the scale matters: the pipeline must undo it), the Classic-AR
 * trained on it (order 3 = its lookback, horizon 4), and that fit worked out by hand.
 */
export const AR = {
  rows,
  values,
  trainEnd,
  order,
  horizon: 4,
  reference: referenceAr(values, order, trainEnd),
};

export interface ArFixture {
  app: FeatureApp;
  modelId: string;
  datasetId: string;
  seriesKey: string;
}

/** Boots `feature`, uploads the AR(2) series and trains the Classic-AR on it through the job queue. */
export async function bootWithArModel(feature: Type<unknown>): Promise<ArFixture> {
  const app = await bootFeature(feature);
  const models = app.get(ModelsService);
  const datasetId = (await app.uploadCsv('ar2', hourlyCsv(values), HOURLY_ROLES)).id;
  const seriesKey = (await app.datasets.series(datasetId)).items[0].key;
  const m = await models.create({
    kind: 'classic-ar',
    config: { order },
    datasetId,
    target: 'value',
    lookback: order,
    horizon: AR.horizon,
  });
  const done = await app.settle((await models.train(m.id)).id);
  if (done.status !== 'succeeded') throw new Error(`training failed: ${done.error}`);
  return { app, modelId: m.id, datasetId, seriesKey };
}
