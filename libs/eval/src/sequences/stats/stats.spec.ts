import { benjaminiHochberg } from './benjamini-hochberg';
import { exactUCounts, mannWhitneyU } from './mann-whitney';
import { groupModels, meanRanks } from './model-groups';

/** Every way of choosing which m of the m + n pooled (distinct) positions belong to x: the U of each. */
function enumerateU(m: number, n: number): number[] {
  const out: number[] = [];
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === m) {
      // U = pairs (x, y) with x above y: for each x at position p, the y's below it
      let u = 0;
      chosen.forEach((p, k) => (u += p - k));
      out.push(u);
      return;
    }
    for (let p = start; p < m + n; p++) pick(p + 1, [...chosen, p]);
  };
  pick(0, []);
  return out;
}

/** The two-sided exact p by brute force: arrangements at least as extreme as u, over all arrangements. */
function bruteP(u: number, m: number, n: number): number {
  const all = enumerateU(m, n);
  const dev = Math.abs(u - (m * n) / 2);
  // equal tails (the null is symmetric), so twice the lower tail
  const lo = all.filter((v) => v <= (m * n) / 2 - dev).length;
  return Math.min(1, (2 * lo) / all.length);
}

describe('Mann-Whitney U', () => {
  it('the exact null counts equal enumeration of every arrangement', () => {
    for (const [m, n] of [
      [3, 4],
      [5, 5],
      [4, 7],
    ]) {
      const counts = exactUCounts(m, n);
      const all = enumerateU(m, n);
      const hist = new Array(m * n + 1).fill(0);
      for (const u of all) hist[u]++;
      expect(Array.from(counts)).toEqual(hist);
    }
  });

  it('exact p-values equal brute-force enumeration on random samples without ties', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 20; trial++) {
      const m = 2 + Math.floor(rand() * 5);
      const n = 2 + Math.floor(rand() * 5);
      const x = Array.from({ length: m }, () => rand());
      const y = Array.from({ length: n }, () => rand() + 0.3 * rand());
      const r = mannWhitneyU(x, y);
      expect(r.method).toBe('exact');
      // U counted pair by pair, independently of the ranks
      let u = 0;
      for (const a of x) for (const b of y) u += a > b ? 1 : 0;
      expect(r.u).toBe(u);
      expect(r.p).toBeCloseTo(bruteP(u, m, n), 12);
    }
  });

  it('matches published small-sample values', () => {
    // complete separation of 5 vs 5: P(U = 0) = 1 / C(10, 5) = 1/252, two-sided 2/252
    expect(mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p).toBeCloseTo(2 / 252, 12);
    // tables of critical values (e.g. Siegel and Castellan): n1 = n2 = 5, two-sided alpha 0.05, U_crit = 2:
    // P(U <= 2) = (1 + 1 + 2) / 252 = 0.0159 (two-sided 0.0317 < 0.05) and P(U <= 3) = 7 / 252 (two-sided 0.0556 > 0.05)
    const five = exactUCounts(5, 5);
    expect(five[0] + five[1] + five[2]).toBe(4);
    expect(five[0] + five[1] + five[2] + five[3]).toBe(7);
    // n1 = n2 = 8 two-sided 0.05: U_crit = 13 (P(U <= 13) <= 0.025 < P(U <= 14))
    const eight = exactUCounts(8, 8);
    const total = eight.reduce((a, b) => a + b, 0);
    expect(total).toBe(12870); // C(16, 8)
    const cdf = (k: number) => eight.slice(0, k + 1).reduce((a, b) => a + b, 0) / total;
    expect(cdf(13)).toBeLessThanOrEqual(0.025);
    expect(cdf(14)).toBeGreaterThan(0.025);
  });

  it('with ties uses the tie-corrected normal approximation (scipy asymptotic, continuity)', () => {
    // x = [1, 2, 2, 3], y = [2, 3, 4, 4, 5]: midranks give R1 = 1 + 3 + 3 + 5.5 = 12.5, U = 2.5;
    // tie groups of sizes 3, 2, 2: sum t^3 - t = 24 + 6 + 6 = 36; var = 20/12 * (10 - 36 / 72) = 15.8333
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 4, 4, 5]);
    expect(r.method).toBe('normal');
    expect(r.u).toBe(2.5);
    const z = (Math.abs(2.5 - 10) - 0.5) / Math.sqrt((20 / 12) * (10 - 36 / 72));
    // two-sided normal tail of z = 1.7592: 0.078546 (erfc by series to 1e-9 below)
    const erfc = (v: number) => {
      // 1 - erf by its Taylor series (converges fast for |v| < 3)
      let sum = 0;
      let term = v;
      for (let k = 0; k < 60; k++) {
        sum += term / (2 * k + 1);
        term *= (-v * v) / (k + 1);
      }
      return 1 - (2 / Math.sqrt(Math.PI)) * sum;
    };
    expect(r.p).toBeCloseTo(erfc(z / Math.SQRT2), 6);
  });
});

describe('Benjamini-Hochberg', () => {
  it('adjusts by rank, monotone from the top, in input order', () => {
    // hand computation: sorted 0.01 0.02 0.03 0.04 0.05 with m = 5: p m / i = 0.05 each
    expect(benjaminiHochberg([0.05, 0.01, 0.03, 0.02, 0.04]).map((v) => +v.toFixed(12))).toEqual([
      0.05, 0.05, 0.05, 0.05, 0.05,
    ]);
    // 0.001 0.008 0.039 0.041 0.042 0.06 0.074 0.205 (Benjamini and Hochberg's style of example, m = 8):
    // raw p m / i: 0.008 0.032 0.104 0.082 0.0672 0.08 0.0846 0.205; minimum from the top down:
    // 0.008 0.032 0.0672 0.0672 0.0672 0.08 0.0846 0.205
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205];
    const expected = [0.008, 0.032, 0.0672, 0.0672, 0.0672, 0.08, 0.0845714285714, 0.205];
    benjaminiHochberg(p).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    // capped at 1
    expect(benjaminiHochberg([0.9, 0.95])).toEqual([0.95, 0.95]);
  });

  it('rejects exactly the hypotheses the step-up rule rejects', () => {
    // step-up at q: the largest i with p_(i) <= i q / m, reject 1..i
    let seed = 3;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let t = 0; t < 50; t++) {
      const p = Array.from({ length: 10 }, () => rand() ** 3);
      const q = 0.05;
      const sorted = [...p].sort((a, b) => a - b);
      let k = 0;
      sorted.forEach((v, i) => (v <= ((i + 1) * q) / p.length ? (k = i + 1) : undefined));
      const threshold = k ? sorted[k - 1] : -1;
      const adjusted = benjaminiHochberg(p);
      p.forEach((v, i) => expect(adjusted[i] <= q).toBe(v <= threshold));
    }
  });
});

describe('EBES grouping', () => {
  it('separates clearly different models and joins indistinguishable ones', () => {
    const base = Array.from({ length: 20 }, (_, i) => i / 100);
    const scores = {
      strong: base.map((v) => 0.9 + v / 10),
      twin: base.map((v) => 0.9 + v / 10 + 0.0001),
      weak: base.map((v) => 0.5 + v / 10),
    };
    const g = groupModels(scores, true, 0.01);
    expect(g.order).toEqual(['twin', 'strong', 'weak']);
    expect(g.group).toEqual({ twin: 1, strong: 1, weak: 2 });
    // lower is better reverses the order
    expect(groupModels(scores, false).group).toEqual({ weak: 1, twin: 2, strong: 2 });
    expect(meanRanks([g.group, { twin: 2, strong: 1, weak: 3 }])).toEqual({
      twin: 1.5,
      strong: 1,
      weak: 2.5,
    });
  });
});
