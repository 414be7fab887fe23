import { Forecast } from '@seqcast/forecast';
import { gaussianCrps, Rng } from '@seqcast/numeric';
import { forecastCrps } from './forecast-crps';

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('forecastCrps', () => {
  it("over two sample paths at y - 1 and y + 1: E|X - y| - E|X - X'| / 2 = 1 - 1/2", () => {
    const truth = [3, 5];
    const f = new Forecast({
      point: [f32(truth)],
      samples: [[f32([2, 4])], [f32([4, 6])]],
    });
    expect(Array.from(forecastCrps(f, 0, truth))).toEqual([0.5, 0.5]);
  });

  it('from stored quantiles: twice the mean pinball loss', () => {
    // levels 0.25, 0.5, 0.75 at 0, 1, 2; truth 1.5: losses 0.25 * 1.5, 0.5 * 0.5, (0.75 - 1) * (-0.5)
    const f = new Forecast({
      point: [f32([1])],
      quantiles: new Map([
        [0.25, [f32([0])]],
        [0.5, [f32([1])]],
        [0.75, [f32([2])]],
      ]),
    });
    expect(forecastCrps(f, 0, [1.5])[0]).toBeCloseTo((2 * (0.375 + 0.25 + 0.125)) / 3, 12);
  });

  it('of a point forecast is the absolute error, NaN where the truth is missing', () => {
    const f = new Forecast({ point: [f32([1, 2, 3])] });
    expect(Array.from(forecastCrps(f, 0, [0, NaN, 5]))).toEqual([1, NaN, 2]);
  });

  it('over many sample paths of N(m_h, s_h) per step: the closed form within sampling error', () => {
    // Paths stored as float32, as LS4's are. The estimate E|X - y| - E|X - X'| / 2 has a
    // standard deviation below 2 s / sqrt(n) (each term is an average of 1-Lipschitz
    // functions of the draws, so each deviates by at most s / sqrt(n)); 4 of those is the bound.
    const n = 20000;
    const steps = [
      { m: 0, s: 1, y: 0.3 },
      { m: 5, s: 0.2, y: 4.1 },
      { m: -2, s: 3, y: 4 },
    ];
    const rng = new Rng(5);
    const samples = Array.from({ length: n }, () => [f32(steps.map((p) => p.m + p.s * rng.normal()))]);
    const f = new Forecast({ point: [f32(steps.map((p) => p.m))], samples });
    const crps = forecastCrps(
      f,
      0,
      steps.map((p) => p.y),
    );
    steps.forEach((p, h) => {
      expect(Math.abs(crps[h] - gaussianCrps(p.m, p.s, p.y))).toBeLessThan((8 * p.s) / Math.sqrt(n));
    });
  });
});
