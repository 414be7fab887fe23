import { gelu, geluDerivative } from '@seqcast/numeric';
import { geluErfInto } from './gelu-erf';
import { kernelTiers, useKernels } from './wasm-kernels';

describe.each(kernelTiers())('geluErfInto on the %s tier', (tier) => {
  beforeAll(() => useKernels(tier));
  afterAll(() => useKernels('auto'));

  it('gives x Phi(x) and its derivative (against the double formula) at every length, tails included', () => {
    for (const n of [1, 7, 16, 33, 1001]) {
      const x = Float32Array.from({ length: n }, (_, i) => -9 + (18 * i) / Math.max(1, n - 1));
      const y = new Float32Array(n);
      const der = new Float32Array(n);
      geluErfInto(x, y, der);
      const y2 = new Float32Array(n);
      geluErfInto(x, y2); // value only
      for (let i = 0; i < n; i++) {
        // float32 arithmetic of the same formula: a few ulps of the larger of |x| and 1
        const scale = Math.max(1, Math.abs(x[i]));
        expect(Math.abs(y[i] - gelu(x[i]))).toBeLessThan(2e-6 * scale);
        expect(Math.abs(der[i] - geluDerivative(x[i]))).toBeLessThan(2e-6 * scale);
        expect(y2[i]).toBe(y[i]);
      }
    }
    const z = new Float32Array(1);
    geluErfInto(new Float32Array(1), z);
    expect(z[0]).toBe(0);
  });
});
