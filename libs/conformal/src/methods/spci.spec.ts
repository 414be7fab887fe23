import {
  arFitPredict,
  bootstrapLooResiduals,
  calibratorRegistry,
  coverage,
  fitLeastSquaresAr,
  meanWidth,
  predictAr,
  SpciCalibrator,
} from '@seqcast/conformal';
import { simulateArRegimeNoise } from '../testing/simulate';

/**
 * AR(1) whose noise scale switches between calm and volatile regimes: the residual scale
 * is predictable from recent residuals. SPCI's forest on past residuals sees the regime
 * (with splits on |residual|: see SpciOptions.splitOnMagnitude, as a mean-fitting split
 * cannot see a change of scale of zero-mean residuals); EnbPI's one empirical quantile over
 * the window cannot, so at about the same coverage SPCI's intervals are narrower.
 */
describe('SPCI vs EnbPI on heteroscedastic AR', () => {
  it('SPCI is narrower than EnbPI at comparable coverage', async () => {
    const order = 1;
    const train = 1000;
    const test = 400;
    const series = simulateArRegimeNoise(order + train + test, 21);
    const rowIndex = (r: number): number => order + r; // row r -> target series[order + r]
    const loo = await bootstrapLooResiduals(arFitPredict(series, order, rowIndex), {
      targets: series.subarray(order, order + train),
      models: 10,
      seed: 1,
    });
    // Test-time centre: a point model on all training rows (the platform's deployed model).
    const model = fitLeastSquaresAr(
      series,
      order,
      Array.from({ length: train }, (_, r) => rowIndex(r)),
    );
    const spci = calibratorRegistry.create('spci', [0.1], {
      lag: 20,
      window: 800,
      trees: 10,
      maxDepth: 2,
      seed: 3,
      splitOnMagnitude: true,
    }) as SpciCalibrator;
    const enbpi = calibratorRegistry.create('enbpi', [0.1], { window: 300 });
    spci.fit(loo.residuals);
    enbpi.fit(loo.residuals);
    expect(spci.usesForest()).toBe(true);
    const y: number[] = [];
    const bounds = {
      spci: { lo: [] as number[], hi: [] as number[] },
      enbpi: { lo: [] as number[], hi: [] as number[] },
    };
    for (let t = order + train; t < series.length; t++) {
      const point = predictAr(model, series, t);
      const s = spci.interval([point])['90'];
      const e = enbpi.interval([point])['90'];
      bounds.spci.lo.push(s.lower[0]);
      bounds.spci.hi.push(s.upper[0]);
      bounds.enbpi.lo.push(e.lower[0]);
      bounds.enbpi.hi.push(e.upper[0]);
      y.push(series[t]);
      spci.update([series[t]], [point]);
      enbpi.update([series[t]], [point]);
    }
    const cov = {
      spci: coverage(y, bounds.spci.lo, bounds.spci.hi),
      enbpi: coverage(y, bounds.enbpi.lo, bounds.enbpi.hi),
    };
    const width = {
      spci: meanWidth(bounds.spci.lo, bounds.spci.hi),
      enbpi: meanWidth(bounds.enbpi.lo, bounds.enbpi.hi),
    };
    // Coverage near 0.9 for both (400 points: binomial sd 0.015; allow model error on top).
    expect(cov.enbpi).toBeGreaterThan(0.84);
    expect(cov.spci).toBeGreaterThan(0.84);
    expect(cov.spci).toBeGreaterThanOrEqual(cov.enbpi - 0.02);
    expect(width.spci).toBeLessThan(0.92 * width.enbpi);
  });

  it('falls back to the empirical beta search until it has lag + 50 residuals', () => {
    const spci = calibratorRegistry.create('spci', [0.1], { lag: 20, window: 200 }) as SpciCalibrator;
    spci.fit(Array.from({ length: 60 }, (_, i) => Math.sin(i)));
    expect(spci.usesForest()).toBe(false);
    for (let i = 0; i < 10; i++) spci.update([Math.cos(i)], [0]);
    expect(spci.usesForest()).toBe(true);
  });
});
