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
