import { ArtifactStore, selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import { loadForecaster, saveForecaster } from './forecaster-artifacts';

const configs: Record<string, Record<string, unknown>> = {
  naive: {},
  'seasonal-naive': { seasonLength: 5 },
  drift: { window: 10 },
  'classic-ar': { order: 4 },
  dlinear: { lookback: 24, horizon: 6, movingAverage: 5 },
  nlinear: { lookback: 24, horizon: 6 },
  'ar-net': { lags: 8, horizon: 2, epochs: 2 },
  spacetime: {
    lookback: 24,
    horizon: 6,
    modelDim: 8,
    kernelDim: 4,
    encoderKernels: 2,
    decoderKernels: 2,
    maxMaWindow: 12,
    epochs: 1,
    batchSize: 64,
    patience: 0,
  },
};

describe('artifacts: save and load give identical forecasts', () => {
  let dir: string;
  let store: ArtifactStore;
  beforeAll(async () => {
    await selectBackend('cpu');
    dir = mkdtempSync(path.join(tmpdir(), 'seqcast-forecast-'));
    store = new ArtifactStore(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const y = simulateAr({ coefficients: [0.6, -0.2], length: 400, seed: 9 });
  const y2 = simulateAr({ coefficients: [0.3], length: 400, seed: 10 });

  it.each(Object.keys(configs))(
    '%s',
    async (kind) => {
      const model = forecasterRegistry.create(kind, configs[kind]);
      await model.fit([[y, y2]], undefined, testContext());
      const horizon = Math.min(model.maxHorizon, 6);
      const before = model.predict([y, y2], horizon);
      const manifest = await saveForecaster(store, model, { metrics: { mse: 1 } });
      expect(manifest.kind).toBe(kind);
      const { model: loaded } = await loadForecaster(store, manifest.id, forecasterRegistry);
      const after = loaded.predict([y, y2], horizon);
      expect(after.toJSON()).toEqual(before.toJSON());
      expect(loaded.config).toEqual(model.config);
      const tensors = tf.memory().numTensors;
      model.dispose();
      loaded.dispose();
      expect(tf.memory().numTensors).toBeLessThanOrEqual(tensors);
    },
    60_000,
  );

  it("writes the kit manifest, with weights tfjs decodes to the model's own tensors", async () => {
    const model = forecasterRegistry.create('ar-net', { lags: 5, horizon: 2, epochs: 1 });
    await model.fit([[y]], undefined, testContext());
    const manifest = await saveForecaster(store, model);
    expect(manifest.config).toMatchObject({ family: 'series', formatVersion: 2, config: model.config });
    const { tensors } = await store.loadTensors(manifest.id);
    const own = model.toArtifact().tensors;
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(own).sort());
    for (const [name, t] of Object.entries(own)) {
      expect(tensors[name].shape).toEqual(t.shape);
      expect(tensors[name].dataSync()).toEqual(t.values);
    }
    tf.dispose(tensors);
    model.dispose();
  });
});
