import { interpolateLinear } from '@seqcast/numeric';

describe('interpolateLinear', () => {
  it('matches values worked out by hand between known points', () => {
    // points (0, 1), (2, 5), (5, -1): slopes 2 and -2
    const out = interpolateLinear([0, 2, 5], [1, 5, -1], [0, 1, 2, 3, 4, 5, 0.5, 4.25]);
    expect(Array.from(out)).toEqual([1, 3, 5, 3, 1, -1, 2, 0.5]); // 4.25: 5 - 2 x 2.25
  });

  it('holds the nearest known value before the first point and after the last', () => {
    expect(Array.from(interpolateLinear([3, 4], [10, 20], [0, 2.9, 4, 7]))).toEqual([10, 10, 20, 20]);
    expect(Array.from(interpolateLinear([1], [7], [0, 1, 9]))).toEqual([7, 7, 7]);
  });

  it('gives back the points themselves and reproduces a straight line exactly', () => {
    const times = [0, 1, 4, 6, 9, 13];
    const line = times.map((t) => 0.5 - 1.5 * t);
    const grid = Array.from({ length: 14 }, (_, i) => i);
    const out = interpolateLinear(times, line, grid);
    grid.forEach((t, i) => expect(out[i]).toBeCloseTo(0.5 - 1.5 * t, 12));
  });

  it('rejects points without values', () => {
    expect(() => interpolateLinear([], [], [1])).toThrow(/at least one point/);
    expect(() => interpolateLinear([0, 1], [1], [1])).toThrow(/one value per time/);
  });
});
