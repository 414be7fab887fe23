import { quantile } from '@seqcast/numeric';

// Expected values worked out by hand from numpy's 'linear' definition: the value at
// position h = (n - 1) q of the sorted sample, interpolated between its neighbours.
describe('quantile (numpy linear)', () => {
  it('matches hand-computed numpy values', () => {
    expect(quantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12); // h = 0.3
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12); // h = 2.7
    const s = [1, 1, 3, 4, 5]; // np.quantile([3, 1, 4, 1, 5], q)
    expect(quantile(s, 0.5)).toBe(3);
    expect(quantile(s, 0.3)).toBeCloseTo(1.4, 12); // h = 1.2: 1 + 0.2 * (3 - 1)
    expect(quantile(s, 0.9)).toBeCloseTo(4.6, 12); // h = 3.6: 4 + 0.6 * (5 - 4)
    expect(quantile(Float64Array.from([2, 10]), 0.25)).toBeCloseTo(4, 12);
  });

  it('is linear in q on an arithmetic progression', () => {
    const s = Float64Array.from({ length: 11 }, (_, i) => 3 + 2 * i);
    for (const q of [0.05, 0.33, 0.5, 0.71, 0.95]) expect(quantile(s, q)).toBeCloseTo(3 + 2 * 10 * q, 12);
  });

  it('returns the extremes at q = 0 and 1 (and beyond), the value of a single sample, NaN for none', () => {
    expect(quantile([1, 5, 9], 0)).toBe(1);
    expect(quantile([1, 5, 9], 1)).toBe(9);
    expect(quantile([1, 5, 9], -0.5)).toBe(1);
    expect(quantile([1, 5, 9], 1.5)).toBe(9);
    expect(quantile([7], 0.3)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
