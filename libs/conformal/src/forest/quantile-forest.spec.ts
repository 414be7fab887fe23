import { laggedForestQuantiles, OnlineLaggedForest, QuantileForest, Rng } from '@seqcast/conformal';

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771082, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - pl) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

describe('QuantileForest', () => {
  it('matches the known conditional quantiles of y | x ~ N(x, (0.1 + 0.5 x)^2), ignoring a noise feature', () => {
    const rng = new Rng(7);
    const n = 4000;
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const xi = rng.next();
      x.push([xi, rng.next()]);
      y.push(xi + (0.1 + 0.5 * xi) * rng.normalRedrawingZero());
    }
    const forest = new QuantileForest({ trees: 50, maxDepth: 8, minSamplesLeaf: 20, seed: 1 }).fit(x, y);
    const qs = [0.05, 0.25, 0.5, 0.75, 0.95];
    let sumErr = 0;
    let count = 0;
    for (const x0 of [0.15, 0.35, 0.5, 0.65, 0.85]) {
      const got = forest.predictQuantiles([x0, 0.5], qs);
      const sigma = 0.1 + 0.5 * x0;
      qs.forEach((q, k) => {
        const truth = x0 + sigma * normalQuantile(q);
        // each quantile within half a conditional standard deviation
        expect(Math.abs(got[k] - truth)).toBeLessThan(0.5 * sigma);
        sumErr += Math.abs(got[k] - truth) / sigma;
        count++;
      });
    }
    // and on average within a fifth of one
    expect(sumErr / count).toBeLessThan(0.2);
  });

  it('recovers the quantiles of a uniform whose width depends on x (step function)', () => {
    const rng = new Rng(3);
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const xi = rng.next();
      x.push([xi]);
      const width = xi < 0.5 ? 1 : 4;
      y.push(width * rng.next());
    }
    const forest = new QuantileForest({ trees: 30, maxDepth: 3, minSamplesLeaf: 30, seed: 2 }).fit(x, y);
    const [lo1, hi1] = forest.predictQuantiles([0.25], [0.1, 0.9]);
    const [lo2, hi2] = forest.predictQuantiles([0.75], [0.1, 0.9]);
    expect(lo1).toBeCloseTo(0.1, 1);
    expect(hi1).toBeCloseTo(0.9, 1);
    expect(Math.abs(lo2 - 0.4)).toBeLessThan(0.12);
    expect(Math.abs(hi2 - 3.6)).toBeLessThan(0.12);
  });
});

describe('OnlineLaggedForest', () => {
  const rng = new Rng(11);
  const series = Float64Array.from({ length: 460 }, () => rng.normalRedrawingZero() * (1 + rng.next()));
  const options = {
    lag: 20,
    window: 300,
    trees: 6,
    maxDepth: 3,
    minSamplesLeaf: 2,
    maxFeatures: 0.5,
    maxBins: 32,
    bootstrap: true,
    rebinEvery: 7,
    seed: 5,
  };
  const qs = [0.05, 0.1, 0.5, 0.9, 0.95];

  it('equals a fresh fit on the current window at every step (same edges, row weights and seeds)', () => {
    const forest = new OnlineLaggedForest(options);
    forest.load(series.subarray(0, 250), 0); // still growing towards the 300 window
    for (let t = 250; t < 460; t++) {
      if (t % 10 === 0) {
        const fresh = laggedForestQuantiles(forest.windowValues(), options.lag, qs, options, {
          edges: forest.binEdges(),
          plan: { weights: (k) => forest.rowWeights(k), seed: (k) => forest.treeSeed(k) },
        });
        expect(forest.quantiles(qs)).toEqual(fresh);
      }
      forest.push(series[t]);
    }
  });

  it('replay from the last rebin rebuilds the same state bit for bit', () => {
    const a = new OnlineLaggedForest(options);
    a.load(series.subarray(0, 200), 0);
    for (let t = 200; t < 433; t++) a.push(series[t]);
    const b = new OnlineLaggedForest(options);
    b.replay(series.subarray(0, 433), 0, a.pushesSinceRebin);
    expect(b.quantiles(qs)).toEqual(a.quantiles(qs));
    a.push(series[433]);
    b.push(series[433]);
    expect(b.quantiles(qs)).toEqual(a.quantiles(qs));
  });
});
