import { randomlyKept } from '@seqcast/eval';

describe('randomlyKept', () => {
  it('drops round(fraction x length) points, never the last, and keeps the rest in order', () => {
    for (const [length, fraction, dropped] of [
      [10, 0.3, 3],
      [10, 0.5, 5],
      [7, 0.5, 4], // 3.5 rounds up
      [716, 0.3, 215], // FRED-MD's 728 months less a 12-month test window: 214.8
      [2, 0.9, 1], // at most length - 1: the last point stays
      [1, 0.5, 0],
    ]) {
      const kept = randomlyKept(length, fraction, 42);
      expect(kept.length).toBe(length - dropped);
      expect(kept[kept.length - 1]).toBe(length - 1);
      for (let i = 1; i < kept.length; i++) expect(kept[i]).toBeGreaterThan(kept[i - 1]);
      expect(kept[0]).toBeGreaterThanOrEqual(0);
    }
    expect(randomlyKept(5, 0, 1)).toEqual([0, 1, 2, 3, 4]);
  });

  it('is the same for one seed, differs between seeds, and nests larger fractions in smaller ones', () => {
    expect(randomlyKept(50, 0.3, 7)).toEqual(randomlyKept(50, 0.3, 7));
    expect(randomlyKept(50, 0.3, 7)).not.toEqual(randomlyKept(50, 0.3, 8));
    const at50 = randomlyKept(50, 0.5, 7);
    const at30 = new Set(randomlyKept(50, 0.3, 7));
    for (const i of at50) expect(at30.has(i)).toBe(true);
  });

  it('drops every droppable point alike: each of the first n - 1 with probability k / (n - 1)', () => {
    // n = 11, k = round(0.4 * 11) = 4 of the 10 droppable: each dropped with p = 0.4; over
    // 4000 seeds a count's std is sqrt(4000 x 0.4 x 0.6) = 31, so 5 std is 155
    const n = 11;
    const seeds = 4000;
    const drops = new Array<number>(n).fill(0);
    for (let s = 0; s < seeds; s++) {
      const kept = new Set(randomlyKept(n, 0.4, s));
      for (let i = 0; i < n; i++) if (!kept.has(i)) drops[i]++;
    }
    expect(drops[n - 1]).toBe(0);
    for (let i = 0; i < n - 1; i++) expect(Math.abs(drops[i] - 0.4 * seeds)).toBeLessThan(155);
  });

  it('rejects fractions outside [0, 1) and lengths that are not positive integers', () => {
    expect(() => randomlyKept(10, 1, 0)).toThrow(/fraction/);
    expect(() => randomlyKept(10, -0.1, 0)).toThrow(/fraction/);
    expect(() => randomlyKept(0, 0.3, 0)).toThrow(/length/);
    expect(() => randomlyKept(2.5, 0.3, 0)).toThrow(/length/);
  });
});
