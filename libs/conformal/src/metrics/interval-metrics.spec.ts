import {
  coverage,
  intervalScore,
  meanWidth,
  rollingCoverage,
  summariseIntervals,
  winklerScore,
} from '@seqcast/conformal';

describe('interval metrics', () => {
  const y = [1, 5, -2, 3];
  const lower = [0, 0, 0, 2];
  const upper = [2, 4, 1, 3];

  it('coverage counts truths inside closed intervals', () => {
    // 1 in [0,2], 5 above [0,4], -2 below [0,1], 3 on the upper bound of [2,3]
    expect(coverage(y, lower, upper)).toBe(0.5);
  });

  it('mean width', () => {
    expect(meanWidth(lower, upper)).toBe((2 + 4 + 1 + 1) / 4);
  });

  it('interval (Winkler) score adds 2/alpha times the miss distance', () => {
    const alpha = 0.2;
    // widths 2,4,1,1; misses: 5 - 4 = 1 above, 0 - (-2) = 2 below; penalties 10*1, 10*2
    const expected = (2 + (4 + 10) + (1 + 20) + 1) / 4;
    expect(intervalScore(y, lower, upper, alpha)).toBeCloseTo(expected, 12);
    expect(winklerScore(y, lower, upper, alpha)).toBe(intervalScore(y, lower, upper, alpha));
  });

  it('rolling coverage over a trailing window', () => {
    const r = rollingCoverage(y, lower, upper, 2);
    expect(Number.isNaN(r[0])).toBe(true);
    expect(Array.from(r.slice(1))).toEqual([0.5, 0, 0.5]);
  });

  it('summary and input checks', () => {
    expect(summariseIntervals(y, lower, upper, 0.2)).toMatchObject({ n: 4, coverage: 0.5, meanWidth: 2 });
    expect(() => coverage([1], [0, 0], [1, 1])).toThrow(/one length/);
    expect(() => intervalScore(y, lower, upper, 1)).toThrow(/alpha/);
  });
});
