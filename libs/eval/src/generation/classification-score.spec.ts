import { Unprocessable } from '@seqcast/core';
import { simulateAr } from '@seqcast/forecast';
import { selectBackend } from '@seqcast/tensor';
import { classificationScore } from './classification-score';
import { generationScores } from './generation-scores';
import { marginalScore } from './marginal-score';
import { predictionScore } from './prediction-score';
import { asUnivariate } from './sequence-set';

const ar = (phi: number, n: number, seed: number, sd = 1) =>
  asUnivariate(
    Array.from({ length: n }, (_, i) =>
      simulateAr({ coefficients: [phi], noiseStd: sd, length: 32, seed: seed * 1000 + i }),
    ),
  );

// a shorter budget than LS4's 100 epochs keeps the spec fast; at 100 epochs the same-process
// discriminator overfits its 240 training sequences and its test loss drifts above ln 2
const budget = { epochs: 20 };

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('classificationScore (LS4)', () => {
  it('scores about ln 2 on two samples of one process, reproducibly', () => {
    const real = ar(0.5, 150, 1);
    const gen = ar(0.5, 150, 2);
    const got = classificationScore(real, gen, { seed: 1, budget });
    expect(got.trainSize).toBe(240);
    expect(got.testSize).toBe(60);
    expect(Math.abs(got.score - Math.LN2)).toBeLessThan(0.08);
    expect(got.accuracy).toBeLessThan(0.7);
    expect(classificationScore(real, gen, { seed: 1, budget })).toEqual(got);
  });

  it('scores far lower when the processes differ (same variance, different memory)', () => {
    // AR(1) with phi 0.9 against white noise of its variance 1 / (1 - 0.81): equal marginals
    const got = classificationScore(ar(0.9, 150, 3), ar(0, 150, 5, Math.sqrt(1 / 0.19)), { seed: 1, budget });
    expect(got.score).toBeLessThan(0.35);
    expect(got.accuracy).toBeGreaterThan(0.85);
  });

  it('refuses sets of different shapes, naming the field', () => {
    const short = asUnivariate([new Float32Array(10)]);
    expect(() => classificationScore(ar(0.5, 4, 1), short)).toThrow(Unprocessable);
  });

  it('generationScores runs the three metrics with one seed', () => {
    const real = ar(0.5, 20, 8);
    const gen = ar(0.7, 20, 9);
    const small = { epochs: 2 };
    const all = generationScores(real, gen, { seed: 4, budget: small });
    expect(all.marginal).toEqual(marginalScore(real, gen));
    expect(all.classification).toEqual(classificationScore(real, gen, { seed: 4, budget: small }));
    expect(all.prediction).toEqual(predictionScore(real, gen, { seed: 4, budget: small }));
  });
});
