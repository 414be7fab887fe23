import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { WindowSet } from '../data/windows';
import { PointErrorAccumulator } from '@seqcast/numeric';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import { SpaceTimeForecaster } from './spacetime';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** Optimal h-step MSE of an AR process: sigma^2 * sum_{j<h} psi_j^2 (psi: impulse response). */
function oracleMse(coefficients: number[], h: number): number {
  const psi = [1];
  for (let t = 1; t < h; t++)
    psi.push(coefficients.reduce((s, a, i) => s + (t - 1 - i >= 0 ? a * psi[t - 1 - i] : 0), 0));
  let acc = 0;
  let total = 0;
  for (let step = 0; step < h; step++) {
    acc += psi[step] ** 2;
    total += acc;
  }
  return total / h;
}

const small = {
  lookback: 32,
  horizon: 8,
  modelDim: 16,
  kernelDim: 8,
  encoderKernels: 4,
  decoderKernels: 4,
  maxMaWindow: 16,
  dropout: 0,
  epochs: 6,
  batchSize: 32,
  learningRate: 1e-2,
  patience: 0,
  normalisation: 'none',
};

describe('SpaceTime', () => {
  it('fits a simulated AR(4) close to the noise floor (one-step and horizon MSE vs the oracle)', async () => {
    const truth = [0.6, -0.3, 0.2, 0.1];
    const y = simulateAr({ coefficients: truth, length: 3000, noiseStd: 1, seed: 21 });
    const train = y.subarray(0, 2400);
    const test = y.subarray(2400 - 32);
    const before = tf.memory().numTensors;
    const m = forecasterRegistry.create('spacetime', small) as SpaceTimeForecaster;
    const report = await m.fit([[train]], undefined, testContext());
    const w = new WindowSet([[test]], 32, 8);
    const one = new PointErrorAccumulator();
    const hor = new PointErrorAccumulator();
    const forecasts = m.predictBatch(
      Array.from({ length: w.size }, (_, r) => [w.input(r)]),
      8,
    );
    forecasts.forEach((f, r) => {
      one.addPoint(w.target(r)[0], f.channel(0)[0], NaN);
      hor.add(w.target(r), f.channel(0), NaN);
    });
    const oneMse = one.result().mse;
    const horMse = hor.result().mse;
    const oracle = oracleMse(truth, 8);
    console.log(
      `SpaceTime on AR(4), noise variance 1: one-step MSE ${oneMse.toFixed(3)}, 8-step MSE ${horMse.toFixed(3)} (oracle ${oracle.toFixed(3)}), ${report.seconds.toFixed(1)} s`,
    );
    expect(oneMse).toBeLessThan(1.15);
    expect(horMse).toBeLessThan(1.1 * oracle);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('three-part loss and the reference quirk option both train; no tensors leak', async () => {
    const y = simulateAr({ coefficients: [0.8], length: 400, seed: 2 });
    const before = tf.memory().numTensors;
    const m = forecasterRegistry.create('spacetime', {
      ...small,
      epochs: 2,
      closedLoopOnlyAfterFirstEpoch: true,
      normalisation: 'last',
    });
    const r = await m.fit([[y]], [[y.subarray(300)]], testContext());
    expect(r.epochs).toHaveLength(2);
    expect(Number.isFinite(r.validMse)).toBe(true);
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('rejects a horizon beyond the trained one and a context shorter than the lookback', async () => {
    const y = simulateAr({ coefficients: [0.5], length: 200, seed: 2 });
    const m = forecasterRegistry.create('spacetime', { ...small, epochs: 1 });
    await m.fit([[y]], undefined, testContext());
    expect(() => m.predict([y], 9)).toThrow(/limit of 8/);
    expect(() => m.predict([y.subarray(0, 10)], 4)).toThrow(/needs at least 32/);
    expect(m.predict([y], 3).horizon).toBe(3);
    m.dispose();
  }, 60_000);
});
