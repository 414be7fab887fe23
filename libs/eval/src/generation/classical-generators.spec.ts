import { ValidationFailed } from '@seqcast/core';
import { simulateAr } from '@seqcast/forecast';
import { Rng } from '@seqcast/numeric';
import {
  ArGenerator,
  BlockBootstrapGenerator,
  defaultBlockLength,
  pooledAutocovariance,
  yuleWalker,
} from './classical-generators';

const PHI = [0.5, -0.3];
// AR(2) autocorrelations in closed form: rho1 = phi1 / (1 - phi2), rho2 = phi1 rho1 + phi2
const RHO1 = PHI[0] / (1 - PHI[1]);
const RHO2 = PHI[0] * RHO1 + PHI[1];

describe('yuleWalker (Levinson-Durbin)', () => {
  it('recovers an AR(2) exactly from its true autocovariances, with zero higher partials', () => {
    // gamma(0) = sigma^2 / (1 - phi1 rho1 - phi2 rho2) for unit innovations
    const g0 = 1 / (1 - PHI[0] * RHO1 - PHI[1] * RHO2);
    const gamma = [g0, RHO1 * g0, RHO2 * g0];
    for (let h = 3; h <= 5; h++) gamma.push(PHI[0] * gamma[h - 1] + PHI[1] * gamma[h - 2]);
    const path = yuleWalker(gamma, 5);
    expect(path.coefficients[2][0]).toBeCloseTo(PHI[0], 10);
    expect(path.coefficients[2][1]).toBeCloseTo(PHI[1], 10);
    expect(path.variances[2]).toBeCloseTo(1, 10);
    expect(path.coefficients[5][4]).toBeCloseTo(0, 10);
    expect(path.coefficients[4][2]).toBeCloseTo(0, 10);
    expect(path.variances[5]).toBeCloseTo(1, 10);
  });
});

describe('ArGenerator', () => {
  it('AIC picks p = 2 on long simulated AR(2) series', () => {
    const picks = Array.from(
      { length: 30 },
      (_, i) => new ArGenerator([simulateAr({ coefficients: PHI, length: 5000, seed: i + 1 })]).order,
    );
    // AIC never underfits a long series; it overfits now and then (it is not consistent:
    // with many candidate orders it keeps the true one roughly 60-70% of the time)
    expect(Math.min(...picks)).toBe(2);
    const counts = new Map<number, number>();
    picks.forEach((p) => counts.set(p, (counts.get(p) ?? 0) + 1));
    expect(counts.get(2)).toBe(Math.max(...counts.values()));
    expect(counts.get(2)).toBeGreaterThanOrEqual(15);
    const fit = new ArGenerator([simulateAr({ coefficients: PHI, length: 5000, seed: 9 })]);
    expect(fit.order).toBe(2);
    expect(fit.aic[2]).toBeLessThan(fit.aic[1]);
    expect(fit.coefficients[0]).toBeCloseTo(PHI[0], 1);
    expect(fit.coefficients[1]).toBeCloseTo(PHI[1], 1);
    expect(fit.noiseVariance).toBeCloseTo(1, 1);
  });

  it('generates series whose lag-1 and lag-2 autocorrelations match the truth within sampling error', () => {
    const nTrain = 4000;
    const gen = new ArGenerator([simulateAr({ coefficients: PHI, length: nTrain, seed: 9, intercept: 3 })], {
      order: 2,
    });
    const samples = gen.sample(200, 100, 11);
    const gamma = pooledAutocovariance(samples, 2);
    const nGen = 200 * 100;
    // fit error plus sampling error of the generated ACF (Bartlett: sd below 1 / sqrt(n))
    const tol = 4 * Math.sqrt(1 / nTrain + 1 / nGen);
    expect(Math.abs(gamma[1] / gamma[0] - RHO1)).toBeLessThan(tol);
    expect(Math.abs(gamma[2] / gamma[0] - RHO2)).toBeLessThan(tol);
    // the level is the training mean: intercept / (1 - phi1 - phi2)
    const mean = samples.reduce((s, x) => s + x.reduce((a, v) => a + v, 0), 0) / nGen;
    expect(mean).toBeCloseTo(3 / (1 - PHI[0] - PHI[1]), 0);
    // the stationary start: the first value has the process variance, as later ones do
    const first = samples.map((s) => s[0] - gen.levels[0]);
    const var0 = first.reduce((s, x) => s + x * x, 0) / first.length;
    expect(Math.abs(var0 / gamma[0] - 1)).toBeLessThan(0.3);
  });

  it('is reproducible from its seed and rejects bad sizes naming the field', () => {
    const gen = new ArGenerator([simulateAr({ coefficients: [0.7], length: 300, seed: 2 })]);
    expect(gen.sample(3, 20, 5)).toEqual(gen.sample(3, 20, 5));
    expect(gen.sample(1, 20, 5)[0]).not.toEqual(gen.sample(1, 20, 6)[0]);
    expect(() => gen.sample(0, 20, 1)).toThrow(ValidationFailed);
    expect(() => new ArGenerator([Float32Array.from([1, 2, 3])], { order: 5 })).toThrow(/order/i);
  });
});

describe('BlockBootstrapGenerator', () => {
  const rng = new Rng(4);
  // distinct values, so each output value names its one source position
  const series = [0, 1, 2].map((k) => Float32Array.from({ length: 64 + 10 * k }, () => rng.next() + 10 * k));
  const where = new Map<number, [number, number]>();
  series.forEach((s, i) => s.forEach((v, t) => where.set(v, [i, t])));

  it.each(['series', 'all'] as const)('outputs only contiguous blocks of the input (pool %s)', (pool) => {
    const gen = new BlockBootstrapGenerator(series, { pool });
    expect(gen.blockLength).toBe(defaultBlockLength((64 + 74 + 84) / 3));
    expect(gen.blockLength).toBe(4); // round(74^(1/3)) = round(4.2)
    const ell = gen.blockLength;
    const out = gen.sample(20, 50, 3);
    const sourcesUsed = new Set<number>();
    for (const x of out) {
      expect(x.length).toBe(50);
      const seriesOf = new Set<number>();
      for (let t = 0; t < x.length; t += ell) {
        const head = where.get(x[t]);
        expect(head).toBeDefined();
        const [s, start] = head!;
        seriesOf.add(s);
        for (let j = 1; j < ell && t + j < x.length; j++) expect(x[t + j]).toBe(series[s][start + j]);
      }
      if (pool === 'series') expect(seriesOf.size).toBe(1);
      seriesOf.forEach((s) => sourcesUsed.add(s));
    }
    expect(sourcesUsed.size).toBe(3);
  });

  it('honours a given block length and rejects one longer than every series', () => {
    const gen = new BlockBootstrapGenerator(series, { blockLength: 10 });
    expect(gen.sample(2, 25, 1)).toEqual(gen.sample(2, 25, 1));
    expect(() => new BlockBootstrapGenerator(series, { blockLength: 500 })).toThrow(ValidationFailed);
  });
});
