import { calibratorRegistry, coverage, Rng } from '@seqcast/conformal';

/**
 * On exchangeable data split conformal covers at ceil((n+1)(1-alpha))/(n+1) exactly in
 * expectation (continuous scores). Over many seeds the mean coverage must sit within
 * binomial/beta sampling error of that: per seed, coverage given the calibration set is
 * Beta(k, n + 1 - k), plus binomial noise of m test points.
 */
describe('split conformal on exchangeable data', () => {
  const seeds = 400;
  const n = 49; // calibration residuals
  const m = 50; // test points per seed

  function run(symmetric: boolean, alpha: number): number[] {
    const covs: number[] = [];
    for (let seed = 0; seed < seeds; seed++) {
      const rng = new Rng(1000 + seed);
      // Heavy-ish and skewed noise, still iid: exchangeability is all the method needs.
      const draw = (): number => Math.exp(0.5 * rng.normalRedrawingZero()) - 1;
      const calib = Array.from({ length: n }, draw);
      const cal = calibratorRegistry.create('split', [alpha], { symmetric });
      cal.fit(calib);
      const point = new Array(m).fill(0);
      // m exchangeable draws under one calibrated step: every point uses step 1's quantile
      const band = cal.interval(point, undefined, { extrapolate: true })[
        String(Math.round((1 - alpha) * 100))
      ];
      const y = Array.from({ length: m }, draw);
      covs.push(coverage(y, band.lower, band.upper));
    }
    return covs;
  }

  function tolerance(k: number): number {
    // Var = Var(Beta(k, n+1-k)) + E[p(1-p)] / m, then the mean over seeds.
    const a = k;
    const b = n + 1 - k;
    const mean = a / (a + b);
    const varBeta = (a * b) / ((a + b) ** 2 * (a + b + 1));
    const perSeed = varBeta + (mean * (1 - mean) - varBeta) / m;
    return 4 * Math.sqrt(perSeed / seeds);
  }

  it('symmetric: mean coverage = ceil((n+1)(1-alpha))/(n+1) within sampling error', () => {
    const alpha = 0.15;
    const k = Math.ceil((n + 1) * (1 - alpha)); // 43
    const expected = k / (n + 1); // 0.86
    const covs = run(true, alpha);
    const mean = covs.reduce((s, c) => s + c, 0) / seeds;
    expect(Math.abs(mean - expected)).toBeLessThan(tolerance(k));
    expect(mean).toBeGreaterThanOrEqual(1 - alpha - tolerance(k));
  });

  it('asymmetric: each tail misses at most alpha/2, total coverage as computed', () => {
    const alpha = 0.15;
    const k = Math.ceil((n + 1) * (1 - alpha / 2)); // 47 per tail
    const expected = 1 - 2 * (1 - k / (n + 1)); // 0.88
    const covs = run(false, alpha);
    const mean = covs.reduce((s, c) => s + c, 0) / seeds;
    // Two tails: the variance is no larger than a single Beta's with the same mean.
    expect(Math.abs(mean - expected)).toBeLessThan(tolerance(Math.round(expected * (n + 1))));
  });

  it('too few residuals for a level give an infinite interval, and updates are ignored by default', () => {
    const cal = calibratorRegistry.create('split', [0.01]);
    cal.fit([1, -2, 3]);
    const band = cal.interval([10])['99'];
    expect(band.upper[0]).toBe(Infinity);
    expect(band.lower[0]).toBe(-Infinity);
    cal.update([100], [0]);
    expect(cal.residualCount()).toBe(3);
  });
});
