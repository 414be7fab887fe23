import { ValidationFailed } from '@seqcast/core';
import { simulateAr } from '@seqcast/forecast';
import { selectBackend } from '@seqcast/tensor';
import { fitNextStepPredictor, predictionScore } from './prediction-score';
import { asUnivariate } from './sequence-set';

const ar = (phi: number, n: number, seed: number, sd = 1) =>
  asUnivariate(
    Array.from({ length: n }, (_, i) =>
      simulateAr({ coefficients: [phi], noiseStd: sd, length: 40, seed: seed * 1000 + i }),
    ),
  );

const budget = { epochs: 20 };

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('predictionScore (LS4: train on generated, test on real)', () => {
  const real = ar(0.8, 150, 4);

  it('with generated = real it is the train-on-real score, near the one-step noise variance', () => {
    const got = predictionScore(real, real, { seed: 2, budget });
    const onReal = fitNextStepPredictor(real, { seed: 2, budget });
    expect(got.score).toBe(onReal.mse(real));
    onReal.dispose();
    // the best one-step predictor of an AR(1) with unit innovations has MSE 1; the sample of
    // 150 x 10 scored values has sd about sqrt(2 / 1500) = 0.04
    expect(Math.abs(got.score - 1)).toBeLessThan(0.15);
  });

  it('a generator without the process memory scores near the process variance', () => {
    // white noise of the AR(1)'s variance 1 / (1 - 0.64) teaches the predictor to say 0
    const got = predictionScore(real, ar(0, 150, 7, Math.sqrt(1 / 0.36)), { seed: 2, budget });
    expect(got.score).toBeGreaterThan(2);
    expect(got.score).toBeLessThan(3.5);
  });

  it('needs more steps than it scores', () => {
    const short = asUnivariate([new Float32Array(10)]);
    expect(() => predictionScore(short, short)).toThrow(ValidationFailed);
  });
});
