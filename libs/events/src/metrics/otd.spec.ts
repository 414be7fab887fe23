import { Rng } from '@seqcast/tensor';
import { EventSequence } from '../types';
import { OTD_DELETION_COSTS, countSquaredError, horizonMetrics, otd, otdAt } from './otd';

/** The optimum over every partial matching of same-type events, by enumeration (the definition itself). */
function bruteForce(a: EventSequence, b: EventSequence, c: number): number {
  const used = new Array(b.times.length).fill(false);
  let best = Infinity;
  const visit = (i: number, cost: number, matched: number) => {
    if (cost >= best) return;
    if (i === a.times.length) {
      best = Math.min(best, cost + c * (a.times.length - matched) + c * (b.times.length - matched));
      return;
    }
    visit(i + 1, cost, matched); // event i of a left unaligned
    for (let j = 0; j < b.times.length; j++) {
      if (used[j] || b.types[j] !== a.types[i]) continue;
      used[j] = true;
      visit(i + 1, cost + Math.abs(a.times[i] - b.times[j]), matched + 1);
      used[j] = false;
    }
  };
  visit(0, 0, 0);
  return best;
}

function randomSequence(rng: Rng, n: number, K: number, span: number): EventSequence {
  const times = Array.from({ length: n }, () => rng.next() * span).sort((x, y) => x - y);
  return { times, types: times.map(() => Math.floor(rng.next() * K)) };
}

describe('optimal-transport distance between event sequences', () => {
  it('equals the brute-force optimum over partial matchings on random small pairs', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 150; trial++) {
      const K = 1 + (trial % 3);
      const a = randomSequence(rng, Math.floor(rng.next() * 6), K, 4);
      const b = randomSequence(rng, Math.floor(rng.next() * 6), K, 4);
      const c = [0.05, 0.3, 1, 4][trial % 4];
      expect(otdAt(a, b, K, c)).toBeCloseTo(bruteForce(a, b, c), 10);
      expect(otdAt(b, a, K, c)).toBeCloseTo(otdAt(a, b, K, c), 10);
    }
  });

  it('averages over HYPRO deletion costs', () => {
    const rng = new Rng(9);
    const a = randomSequence(rng, 5, 2, 3);
    const b = randomSequence(rng, 4, 2, 3);
    const mean = OTD_DELETION_COSTS.reduce((s, c) => s + bruteForce(a, b, c), 0) / OTD_DELETION_COSTS.length;
    expect(OTD_DELETION_COSTS).toEqual([0.05, 0.5, 1, 1.5, 2, 3, 4]);
    expect(otd(a, b, 2)).toBeCloseTo(mean, 10);
  });

  it('is 0 between a sequence and itself, and follows the closed form for one event each', () => {
    const rng = new Rng(1);
    const s = randomSequence(rng, 20, 3, 10);
    expect(otd(s, s, 3)).toBe(0);
    const a = { times: [1], types: [0] };
    const b = { times: [3], types: [0] };
    // move (|1 - 3| = 2) or delete one and insert the other (2c)
    expect(otdAt(a, b, 1, 0.5)).toBeCloseTo(1, 12);
    expect(otdAt(a, b, 1, 2)).toBeCloseTo(2, 12);
    // different types never align: delete and insert
    expect(otdAt(a, { times: [1], types: [1] }, 2, 4)).toBeCloseTo(8, 12);
  });

  it('refuses a non-positive deletion cost naming the field', () => {
    const a = { times: [1], types: [0] };
    expect(() => otdAt(a, a, 1, 0)).toThrow(/deletion cost/);
  });

  it('count error: the summed squared per-type count differences, RMSE over pairs', () => {
    const p = { times: [1, 2, 3, 4], types: [0, 0, 1, 2] };
    const t = { times: [1, 2, 3, 4], types: [1, 1, 1, 0] };
    // counts (2, 1, 1) against (1, 3, 0): 1 + 4 + 1
    expect(countSquaredError(p, t, 3)).toBe(6);
    const m = horizonMetrics(
      [
        { predicted: p, truth: t },
        { predicted: t, truth: t },
      ],
      3,
    );
    expect(m.countRmse).toBeCloseTo(Math.sqrt(6 / 2), 12);
    expect(m.otd).toBeCloseTo(otd(p, t, 3) / 2, 12);
  });
});
