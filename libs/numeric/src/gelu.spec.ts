import {
  gelu,
  geluArrays,
  geluDerivative,
  geluTanhArgument,
  geluTanhDerivative,
  geluTanhValue,
} from '@seqcast/numeric';

const tanhGelu = (x: number): number => geluTanhValue(x, Math.tanh(geluTanhArgument(x)));

describe('GELU', () => {
  it('is x Phi(x) with Phi the tabulated normal CDF', () => {
    // Phi(1) = 0.8413447461, Phi(2) = 0.9772498681, Phi(0.5) = 0.6914624613
    const table: [number, number][] = [
      [1, 0.8413447461],
      [2, 0.9772498681],
      [0.5, 0.6914624613],
    ];
    for (const [x, phi] of table) {
      // 0.5 x erf(x / sqrt 2): the erf's 1.5e-7 scaled by x / 2
      const tol = 0.75e-7 * x + 1e-12;
      expect(Math.abs(gelu(x) - x * phi)).toBeLessThan(tol);
      expect(Math.abs(gelu(-x) + x * (1 - phi))).toBeLessThan(tol);
    }
    expect(gelu(0)).toBe(0);
  });

  it('derivatives match central finite differences', () => {
    const h = 1e-5;
    for (let x = -5; x <= 5; x += 0.173) {
      // the A&S erf's own error (1.5e-7, slowly varying) bounds how well its slope matches the true density
      expect(geluDerivative(x)).toBeCloseTo((gelu(x + h) - gelu(x - h)) / (2 * h), 5);
      const th = Math.tanh(geluTanhArgument(x));
      expect(geluTanhDerivative(x, th)).toBeCloseTo((tanhGelu(x + h) - tanhGelu(x - h)) / (2 * h), 8);
    }
  });

  it('the tanh approximation stays within 5e-4 of the exact GELU', () => {
    for (let x = -6; x <= 6; x += 0.05) expect(Math.abs(tanhGelu(x) - gelu(x))).toBeLessThan(5e-4);
  });
});

describe('geluArrays', () => {
  it('gives gelu and geluDerivative over a range, one exponential for both', () => {
    const x = Float64Array.from({ length: 401 }, (_, i) => (i - 200) / 25); // -8 .. 8, 0 included
    const out = new Float32Array(x.length).fill(NaN);
    const der = new Float32Array(x.length).fill(NaN);
    geluArrays(x, out, der, 1, x.length - 1);
    expect(out[0]).toBeNaN(); // outside [from, to): untouched
    expect(der[x.length - 1]).toBeNaN();
    for (let i = 1; i < x.length - 1; i++) {
      expect(out[i]).toBe(Math.fround(gelu(x[i])));
      expect(Math.abs(der[i] - geluDerivative(x[i]))).toBeLessThan(1e-7 * Math.max(1, Math.abs(der[i])));
    }
    const only = new Float32Array(x.length);
    geluArrays(x, null, only);
    for (let i = 1; i < x.length - 1; i++) expect(only[i]).toBe(der[i]); // the value output is optional
  });
});
