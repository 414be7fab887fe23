import { crpsFromQuantiles, crpsFromSamples, gaussianCrps } from './crps';
import { erf } from './special-functions';
import { Rng } from './rng';

describe('CRPS', () => {
  it('of a normal in closed form: sigma / sqrt(pi) (sqrt(2) - 1) at the mean, and E|X - y| - sigma / sqrt(pi) far out', () => {
    // at z = 0: sigma (2 phi(0) - 1/sqrt(pi)) = sigma (sqrt(2) - 1) / sqrt(pi)
    expect(gaussianCrps(1, 2, 1)).toBeCloseTo((2 * (Math.SQRT2 - 1)) / Math.sqrt(Math.PI), 12);
    // far in a tail E|X - y| = |y - mu| and E|X - X'| / 2 = sigma / sqrt(pi)
    expect(gaussianCrps(0, 1, 40)).toBeCloseTo(40 - 1 / Math.sqrt(Math.PI), 10);
  });

  it('from samples equals the double sum E|X - y| - E|X - Xp| / 2 computed pair by pair', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const m = 1 + rng.int(30);
      const xs = Array.from({ length: m }, () => rng.normal() * 2 + 1);
      const y = rng.normal();
      let a = 0;
      let b = 0;
      for (const x of xs) {
        a += Math.abs(x - y);
        for (const x2 of xs) b += Math.abs(x - x2);
      }
      expect(crpsFromSamples(xs, y)).toBeCloseTo(a / m - b / (2 * m * m), 10);
    }
  });

  it('of one sample is the absolute error', () => {
    expect(crpsFromSamples([2.5], 1)).toBe(1.5);
  });

  it('from many Gaussian samples, or a dense grid of Gaussian quantiles, approaches the closed form', () => {
    const rng = new Rng(11);
    const xs = Array.from({ length: 40000 }, () => 0.5 + 2 * rng.normal());
    // the inverse normal CDF by bisection on erf, for the quantile grid
    const quantile = (p: number) => {
      let lo = -10;
      let hi = 10;
      for (let i = 0; i < 80; i++) {
        const mid = (lo + hi) / 2;
        if (0.5 * (1 + erf(mid / Math.SQRT2)) < p) lo = mid;
        else hi = mid;
      }
      return 0.5 + 2 * lo;
    };
    const levels = Array.from({ length: 199 }, (_, k) => (k + 1) / 200);
    const qs = levels.map(quantile);
    for (const y of [-3, 0.5, 1, 4]) {
      const exact = gaussianCrps(0.5, 2, y);
      expect(Math.abs(crpsFromSamples(xs, y) - exact)).toBeLessThan(0.02);
      expect(Math.abs(crpsFromQuantiles(levels, qs, y) - exact)).toBeLessThan(0.01 * exact + 0.005);
    }
  });
});
