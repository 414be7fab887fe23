import { EG_FLOOR, EgCombination, exponentiatedGradient } from './exponentiated-gradient';

describe('exponentiated gradient', () => {
  it('is w_i exp(-eta l_i) normalised, by hand', () => {
    // w = (0.5, 0.5), l = (0.2, 1.0), eta = 0.5: e^-0.1 / (e^-0.1 + e^-0.5)
    const [a, b] = exponentiatedGradient([0.5, 0.5], [0.2, 1.0], 0.5);
    const ea = Math.exp(-0.1);
    const eb = Math.exp(-0.5);
    expect(a).toBeCloseTo(ea / (ea + eb) + EG_FLOOR, 14);
    expect(b).toBeCloseTo(eb / (ea + eb) + EG_FLOOR, 14);
    expect(a - EG_FLOOR).toBeCloseTo(0.598687660112452, 12); // 1 / (1 + e^-0.4)
  });

  it('composes: k steps on constant losses give weights proportional to w0 exp(-eta k l)', () => {
    let w = [0.3, 0.7];
    for (let k = 0; k < 5; k++) w = exponentiatedGradient(w, [0.9, 0.4], 2);
    const ta = 0.3 * Math.exp(-2 * 5 * 0.9);
    const tb = 0.7 * Math.exp(-2 * 5 * 0.4);
    expect(w[0] / (w[0] + w[1])).toBeCloseTo(ta / (ta + tb), 8);
  });

  it('does not underflow on large losses and keeps the floor', () => {
    const w = exponentiatedGradient([0.5, 0.5], [5000, 5001], 1);
    expect(w[0] - EG_FLOOR).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    const lost = exponentiatedGradient([0.5, 0.5], [0, 1e6], 1);
    expect(lost[1]).toBe(EG_FLOOR);
    expect(lost[0]).toBeCloseTo(1 + EG_FLOOR, 12);
  });

  it('keeps one pair per variable and updates each on its own losses', () => {
    const eg = new EgCombination(2, 0.5);
    expect(Array.from(eg.timeWeights())).toEqual([0.5, 0.5]);
    eg.update([
      [0.2, 1.0],
      [1.0, 0.2],
    ]);
    const s = 1 / (1 + Math.exp(-0.4));
    const w = eg.timeWeights();
    expect(w[0]).toBeCloseTo(s, 9);
    expect(w[1]).toBeCloseTo(1 - s, 9);
  });
});

describe('fixed share', () => {
  it('mixes the share back uniformly after the exponential step, by hand', () => {
    // w = (0.5, 0.5), l = (0.2, 1.0), eta 0.5, share 0.1: 0.9 * e^-0.1 / (e^-0.1 + e^-0.5) + 0.05
    const [a, b] = exponentiatedGradient([0.5, 0.5], [0.2, 1.0], 0.5, 0.1);
    const p = 1 / (1 + Math.exp(-0.4));
    expect(a).toBeCloseTo(0.9 * p + 0.05 + EG_FLOOR, 14);
    expect(b).toBeCloseTo(0.9 * (1 - p) + 0.05 + EG_FLOOR, 14);
  });

  it('follows a leader that changes: after the switch the new leader wins within a bounded number of steps', () => {
    // 200 steps where branch 0 is better, then branch 1 is: plain EG has pushed branch 1 to
    // the floor (1e-10) and needs ln(1e10) / (eta * gap) ~ 46 steps to come back; with share s
    // the losing weight never drops below s / 2, so the switch takes about ln(2 / s) / (eta *
    // gap) steps (here ln(200) / 0.5 ~ 11)
    const run = (share: number) => {
      const eg = new EgCombination(1, 0.5, share);
      for (let t = 0; t < 200; t++) eg.update([[0, 1]]);
      let steps = 0;
      while (eg.timeWeights()[0] > 0.5 && steps < 1000) {
        eg.update([[1, 0]]);
        steps++;
      }
      return steps;
    };
    expect(run(0)).toBeGreaterThan(40); // ~ ln(1e10) / 0.5, the floor's climb
    const withShare = run(0.01);
    expect(withShare).toBeLessThanOrEqual(Math.ceil(Math.log(2 / 0.01) / 0.5) + 1);
    expect(withShare).toBeGreaterThan(0);
  });
});
