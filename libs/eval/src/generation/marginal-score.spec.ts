import { ValidationFailed, Unprocessable } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import { marginalScore } from './marginal-score';
import { asUnivariate } from './sequence-set';

const rng = new Rng(3);
const uniform = (n: number, lo: number, hi: number) =>
  Float32Array.from({ length: n }, () => lo + (hi - lo) * rng.next());

describe('marginalScore (LS4 HistoLoss)', () => {
  const real = asUnivariate(Array.from({ length: 20 }, () => uniform(30, -1, 3)));

  it('is 0 for identical sets, including the values on the range edges', () => {
    const copy = real.map((seq) => seq.map((ch) => Float32Array.from(ch)));
    const got = marginalScore(real, copy);
    expect(got.score).toBe(0);
    expect(got.l1).toBe(0);
  });

  it('gives 1 / (max - min) (and l1 = 2) for disjoint supports', () => {
    let lo = Infinity;
    let hi = -Infinity;
    real.forEach(([ch]) => Array.from(ch).forEach((x) => ((lo = Math.min(lo, x)), (hi = Math.max(hi, x)))));
    const far = asUnivariate(Array.from({ length: 5 }, () => uniform(30, 10, 11)));
    const got = marginalScore(real, far);
    expect(got.score).toBeCloseTo(1 / (hi - lo), 6);
    expect(got.l1).toBeCloseTo(2, 12);
  });

  it('matches a hand-computed two-point case', () => {
    // real: half 0, half 1 -> bins of width 0.02; densities 25 in bins 0 and 49.
    // generated: all 0 -> density 50 in bin 0. Mean over 50 bins of |gap| = (25 + 25) / 50.
    const twoPoint = asUnivariate([Float32Array.from([0, 1, 0, 1])]);
    const zeros = asUnivariate([new Float32Array(6)]);
    const got = marginalScore(twoPoint, zeros);
    expect(got.score).toBeCloseTo(1, 5);
    expect(got.l1).toBeCloseTo(1, 12);
  });

  it('averages over channels', () => {
    const two = real.map(([ch]) => [ch, Float32Array.from(ch, (x) => 2 * x)]);
    const gen = real.map(([ch]) => [ch, Float32Array.from(ch, (x) => 2 * x + 100)]);
    const got = marginalScore(two, gen);
    expect(got.perChannel[0]).toBe(0);
    expect(got.l1PerChannel[1]).toBeCloseTo(2, 12);
    expect(got.score).toBeCloseTo(got.perChannel[1] / 2, 12);
  });

  it('names the field of bad input', () => {
    expect(() => marginalScore([], real)).toThrow(ValidationFailed);
    expect(() => marginalScore(asUnivariate([new Float32Array(5).fill(2)]), real)).toThrow(Unprocessable);
    try {
      marginalScore(real, [[Float32Array.from([1, NaN])]]);
      fail('expected a throw');
    } catch (e) {
      expect((e as ValidationFailed).details[0].field).toBe('generated[0][0][1]');
    }
  });
});
