import { ArtifactStore, kernelTierName, selectBackend } from '@seqcast/tensor';
import { readFileSync } from 'fs';
import * as path from 'path';
import { forecasterRegistry } from '../registry/builtin';
import { loadForecaster } from './forecaster-artifacts';

// Artifacts written by the code before the model kit (format 1), with the forecasts that
// code made on fixed contexts: loading them today must give the same numbers, bit for bit on
// the kernel tier they were recorded on (native AVX-512). On another tier float32 sums round
// differently (the old code's too), so there the forecasts agree to float32 precision.
const RECORDED_ON = 'native-avx512';
// SpaceTime's convolutions ran on the JS float64 FFT when these were recorded; on the native
// tiers they now run on the addon's float32 FFT (issue 20), so its forecasts agree to float32
// precision there rather than bit for bit.
const ROUNDS_DIFFERENTLY = new Set(['spacetime']);
const FIXTURES = path.join(__dirname, '../../../../test/fixtures/artifacts-v1');
const inputs = JSON.parse(readFileSync(path.join(FIXTURES, 'inputs.json'), 'utf8')) as {
  contexts: number[][][];
};
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  { kind: string; horizon: number; forecasts: number[][][] }
>;
const ids = Object.keys(expected).filter((id) => id.startsWith('forecaster-'));

describe('forecaster artifacts of format 1', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each(ids)('%s loads and forecasts as it did when it was saved', async (id) => {
    const { kind, horizon, forecasts } = expected[id];
    const { model } = await loadForecaster(new ArtifactStore(FIXTURES), id, forecasterRegistry);
    expect(model.kind).toBe(kind);
    const got = inputs.contexts.map((c) =>
      model
        .predict(
          c.map((x) => Float32Array.from(x)),
          horizon,
        )
        .point()
        .map((p) => Array.from(p)),
    );
    if (kernelTierName() === RECORDED_ON && !ROUNDS_DIFFERENTLY.has(kind)) expect(got).toEqual(forecasts);
    else
      got.flat(2).forEach((v, i) => {
        const want = forecasts.flat(2)[i];
        expect(Math.abs(v - want)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want)));
      });
    model.dispose();
  });
});
