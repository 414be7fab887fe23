import { detachedContext, sharedDataPath } from '@seqcast/core';
import { existsSync } from 'fs';
import { selectBackend } from '@seqcast/tensor';
import { forecasterRegistry, WindowSet, type Forecaster } from '@seqcast/forecast';
import { PointErrorAccumulator } from '@seqcast/numeric';
import { ettSplits } from './ett';

const file = sharedDataPath('forecasting', 'ETTh2.csv');
const available = existsSync(file);
if (!available)
  console.warn(`skipping ETTh2 checks: ${file} is absent (set SEQCAST_SHARED_DATA)`);
const maybe = available ? describe : describe.skip;

function testMse(model: Forecaster, test: Float32Array, horizon: number): number {
  const w = new WindowSet([[test]], 336, horizon);
  const acc = new PointErrorAccumulator();
  for (let start = 0; start < w.size; start += 256) {
    const rows = Array.from({ length: Math.min(256, w.size - start) }, (_, i) => start + i);
    model
      .predictBatch(
        rows.map((r) => [w.input(r)]),
        horizon,
      )
      .forEach((f, i) => acc.add(w.target(rows[i]), f.channel(0), NaN));
  }
  return acc.result().mse;
}

maybe('ETTh2 OT (published protocol)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it.each([
    [96, 0.128],
    [720, 0.225],
  ])(
    'NLinear-style ridge at horizon %i matches the test MSE MODELS.md quotes (%f)',
    async (horizon, published) => {
      const data = ettSplits(file);
      const m = forecasterRegistry.create('nlinear', { lookback: 336, horizon });
      await m.fit([[data.train]], undefined, detachedContext());
      const mse = testMse(m, data.test, horizon);
      console.log(`NLinear ridge h${horizon}: test MSE ${mse.toFixed(4)} (published ${published})`);
      expect(Math.abs(mse - published)).toBeLessThan(0.005);
    },
    120_000,
  );

  it('SpaceTime trains an epoch on a subset and beats the naive forecast at 96', async () => {
    const data = ettSplits(file);
    const m = forecasterRegistry.create('spacetime', {
      lookback: 336,
      horizon: 96,
      modelDim: 32,
      kernelDim: 16,
      encoderKernels: 8,
      decoderKernels: 8,
      epochs: 2,
      maxWindowsPerEpoch: 1000,
      patience: 0,
      learningRate: 3e-3,
      warmupEpochs: 0.1,
    });
    await m.fit([[data.train]], undefined, detachedContext());
    const naive = forecasterRegistry.create('naive');
    const st = testMse(m, data.test, 96);
    const base = testMse(naive, data.test, 96);
    console.log(
      `SpaceTime (small, 2 x 1000 windows) h96: test MSE ${st.toFixed(4)}; naive ${base.toFixed(4)}`,
    );
    expect(st).toBeLessThan(base);
    m.dispose();
  }, 900_000);
});
