import { ArtifactStore, selectBackend } from '@seqcast/tensor';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { saveForecaster } from '../artifacts/forecaster-artifacts';
import { forecasterRegistry } from '../registry/builtin';
import { loadScaledForecaster } from './pipeline-artifacts';
import { PIPELINE_STATE } from './scaled-forecaster';

/**
 * testdata/ holds artifacts written by the code before the pipeline (scales in the manifest's
 * `scaler` field) and, in expected.json, what its serving path answered then: the context
 * scaled, predicted, the output unscaled in forecast.service.ts. Loaded into the pipeline they
 * must answer the same to the last bit.
 */
const DATA = path.join(__dirname, 'testdata');
const expected = JSON.parse(readFileSync(path.join(DATA, 'expected.json'), 'utf8')) as {
  values: number[];
  unseen: number[];
  forecasts: Record<string, { seen: number[]; unseen: number[] }>;
};
const values = Float32Array.from(expected.values);

describe('artifacts saved before the pipeline', () => {
  let tmp: string;
  beforeAll(async () => {
    await selectBackend('cpu');
    tmp = mkdtempSync(path.join(tmpdir(), 'seqcast-pipeline-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it.each(['legacy-nlinear', 'legacy-ar-net'])('%s forecasts as the old serving path did', async (id) => {
    const { manifest, model } = await loadScaledForecaster(new ArtifactStore(DATA), id, forecasterRegistry);
    expect(manifest.scaler).toBeDefined();
    try {
      const seen = model.predictSeries({ seriesKey: 'co2', history: [values], horizon: 6 });
      expect(Array.from(seen.channel(0))).toEqual(expected.forecasts[id].seen);
      expect(seen.meta.seriesKey).toBe('co2');
      // A series the model never saw is scaled by its own context.
      const unseen = model.predictSeries({ seriesKey: 'other', history: [expected.unseen], horizon: 6 });
      expect(Array.from(unseen.channel(0))).toEqual(expected.forecasts[id].unseen);

      // Saved again, the scales move into the model's state and the forecasts stay the same.
      const store = new ArtifactStore(tmp);
      const saved = await saveForecaster(store, model);
      expect(saved.scaler).toBeUndefined();
      expect((saved.config as { state: Record<string, unknown> }).state[PIPELINE_STATE]).toEqual({
        scaler: manifest.scaler,
      });
      const again = await loadScaledForecaster(store, saved.id, forecasterRegistry);
      try {
        const f = again.model.predictSeries({ seriesKey: 'co2', history: [values], horizon: 6 });
        expect(Array.from(f.channel(0))).toEqual(expected.forecasts[id].seen);
        // The bare model's artifact does not carry the pipeline's part.
        expect(again.model.model.toArtifact().state[PIPELINE_STATE]).toBeUndefined();
      } finally {
        again.model.dispose();
      }
    } finally {
      model.dispose();
    }
  });
});
