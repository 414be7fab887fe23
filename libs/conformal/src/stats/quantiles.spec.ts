import { conformalQuantile, empiricalQuantile, weightedQuantiles } from '@seqcast/conformal';

describe('quantiles', () => {
  it('empirical quantile interpolates linearly like numpy', () => {
    // numpy.percentile([1,2,3,4], 10) = 1.3, 90 -> 3.7
    expect(empiricalQuantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
    expect(empiricalQuantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
  });

  it('conformal quantile is the ceil((n+1)(1-alpha))-th order statistic', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(conformalQuantile(s, 0.2)).toBe(8); // ceil(10 * 0.8) = 8
    expect(conformalQuantile(s, 0.1)).toBe(9); // ceil(9) = 9
    expect(conformalQuantile(s, 0.05)).toBe(Infinity); // ceil(9.5) = 10 > 9
  });

  it('weighted quantile inverts the weighted CDF', () => {
    // weights 0.1, 0.2, 0.3, 0.4 on values 4, 1, 3, 2 -> sorted 1(0.2) 2(0.4) 3(0.3) 4(0.1)
    expect(weightedQuantiles([4, 1, 3, 2], [0.1, 0.2, 0.3, 0.4], [0.1, 0.2, 0.21, 0.6, 0.61, 0.95])).toEqual([
      1, 1, 2, 2, 3, 4,
    ]);
  });
});
