import { erf, fastExp, fastSigmoid, fastTanh, inverseSoftplus, softplus } from '@seqcast/numeric';

describe('special functions', () => {
  it('inverseSoftplus: log(e^y - 1) at known points, and softplus undoes it', () => {
    expect(inverseSoftplus(Math.log(2))).toBeCloseTo(0, 12); // softplus(0) = log 2
    expect(inverseSoftplus(Math.log1p(Math.E))).toBeCloseTo(1, 12);
    for (const y of [1e-6, 0.01, 0.7, 3, 25, 200]) expect(softplus(inverseSoftplus(y)) / y).toBeCloseTo(1, 10);
    expect(() => inverseSoftplus(0)).toThrow(RangeError);
  });

  it('erf matches tabulated values within the 1.5e-7 of Abramowitz and Stegun 7.1.26', () => {
    // Abramowitz and Stegun, table 7.1
    const table: [number, number][] = [
      [0.1, 0.1124629160],
      [0.5, 0.5204998778],
      [1, 0.8427007929],
      [1.5, 0.9661051465],
      [2, 0.9953222650],
      [3, 0.9999779095],
    ];
    for (const [x, v] of table) {
      expect(Math.abs(erf(x) - v)).toBeLessThan(1.5e-7);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect(erf(0)).toBe(0);
    expect(erf(40)).toBe(1);
    expect(erf(NaN)).toBeNaN();
  });

  it('fastExp, fastTanh and fastSigmoid agree with Math to 1e-9 relative', () => {
    for (let x = -120; x <= 120; x += 0.37) {
      const e = Math.exp(x);
      expect(Math.abs(fastExp(x) - e)).toBeLessThanOrEqual(1e-10 * e);
    }
    for (let x = -20; x <= 20; x += 0.013) {
      expect(Math.abs(fastTanh(x) - Math.tanh(x))).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(Math.tanh(x)), 1e-300));
      const s = 1 / (1 + Math.exp(-x));
      expect(Math.abs(fastSigmoid(x) - s)).toBeLessThanOrEqual(1e-9 * s);
    }
    expect(fastExp(-1000)).toBe(0);
    expect(fastExp(1000)).toBe(Infinity);
  });

  it('softplus is log(1 + e^x) without overflow', () => {
    for (const x of [-30, -2, 0, 0.5, 3, 30]) expect(softplus(x)).toBeCloseTo(Math.log(1 + Math.exp(x)), 12);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
  });
});
