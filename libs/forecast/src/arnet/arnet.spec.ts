import { selectBackend } from '@seqcast/tensor';
import { ClassicArForecaster } from '../baselines/classic-ar';
import { stpe } from '@seqcast/numeric';
import { forecasterRegistry } from '../registry/builtin';
import { isStationary, simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import { ArNetForecaster } from './arnet';
import { regulariserRamp, sparsityLambda, sparsityValue } from './sparsity';

const ctx = testContext();

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('AR-Net sparsity regulariser', () => {
  it('is R(w) = mean(2 / (1 + exp(-c1 |w|^(1/c2))) - 1), lambda = c (1/s - 1), quadratic ramp to 50%', () => {
    expect(sparsityValue([0], 3, 3)).toBeCloseTo(0, 3);
    const w = 0.3;
    expect(sparsityValue([w, -w], 3, 3)).toBeCloseTo(2 / (1 + Math.exp(-3 * Math.cbrt(w))) - 1, 10);
    expect(sparsityLambda(0.5, 0.25)).toBeCloseTo(1.5);
    expect(sparsityLambda(0.5, 1)).toBe(0);
    expect(regulariserRamp(0.25)).toBeCloseTo(0.25);
    expect(regulariserRamp(0.5)).toBe(1);
    expect(regulariserRamp(0.9)).toBe(1);
  });
});

describe('AR-Net recovers AR coefficients (truth from a simulated process)', () => {
  it('with the order known it learns the least-squares AR coefficients', async () => {
    const truth = [0.5, -0.3, 0.2];
    const y = simulateAr({ coefficients: truth, length: 2000, seed: 4 });
    const ar = forecasterRegistry.create('ar-net', { lags: 3 }) as ArNetForecaster;
    await ar.fit([[y]], undefined, ctx);
    const classic = new ClassicArForecaster({ order: 3, ridge: 0, maxHorizon: 1 });
    await classic.fit([[y]], undefined, ctx);
    const w = ar.coefficients().weights[0];
    const vsClassic = stpe(w, classic.coefficients().lags);
    const vsTruth = stpe(w, truth);
    console.log(
      `AR(3), 2000 samples: sTPE AR-Net vs truth ${vsTruth.toFixed(2)}, vs Classic-AR ${vsClassic.toFixed(2)}, Classic-AR vs truth ${stpe(classic.coefficients().lags, truth).toFixed(2)}`,
    );
    expect(vsClassic).toBeLessThan(2);
    expect(vsTruth).toBeLessThan(6);
  }, 60_000);

  it('finds 3 true lags among 100 where Classic-AR does not (sparse case)', async () => {
    const truth = new Array(100).fill(0);
    truth[0] = 0.2;
    truth[2] = 0.3;
    truth[9] = -0.5;
    expect(isStationary(truth)).toBe(true);
    const y = simulateAr({ coefficients: truth, length: 1100, seed: 3 });
    const ar = forecasterRegistry.create('ar-net', { lags: 100, sparsity: 3 / 100 }) as ArNetForecaster;
    await ar.fit([[y]], undefined, ctx);
    const classic = new ClassicArForecaster({ order: 100, ridge: 0, maxHorizon: 1 });
    await classic.fit([[y]], undefined, ctx);
    const w = ar.coefficients().weights[0];
    const top3 = Array.from(w)
      .map((v, i) => [Math.abs(v), i + 1])
      .sort((a, b) => b[0] - a[0])
      .slice(0, 3)
      .map(([, lag]) => lag)
      .sort((a, b) => a - b);
    const arnetStpe = stpe(w, truth);
    const classicStpe = stpe(classic.coefficients().lags, truth);
    console.log(
      `sparse AR, 100 lags, 1000 windows: sTPE AR-Net ${arnetStpe.toFixed(2)} vs Classic-AR ${classicStpe.toFixed(2)}; AR-Net top lags ${top3}`,
    );
    expect(top3).toEqual([1, 3, 10]);
    expect(arnetStpe).toBeLessThan(20);
    expect(classicStpe).toBeGreaterThan(2 * arnetStpe);
  }, 60_000);

  it('forecasts directly up to n_forecasts and recursively beyond when allowed', async () => {
    const y = simulateAr({ coefficients: [0.7], length: 600, seed: 8 });
    const direct = forecasterRegistry.create('ar-net', { lags: 4, horizon: 3, epochs: 5 });
    await direct.fit([[y]], undefined, ctx);
    expect(direct.predict([y], 3).horizon).toBe(3);
    expect(() => direct.predict([y], 4)).toThrow(/limit of 3/);
    const recursive = forecasterRegistry.create('ar-net', { lags: 4, maxHorizon: 10, epochs: 5 });
    await recursive.fit([[y]], undefined, ctx);
    expect(recursive.predict([y], 10).horizon).toBe(10);
  }, 60_000);
});
