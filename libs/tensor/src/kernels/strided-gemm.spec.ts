import { Rng } from '@seqcast/numeric';
import { gemmInto } from './strided-gemm';
import { kernelTiers, useKernels } from './wasm-kernels';

/** The same product by the definition, in float64. */
function naive(
  m: number,
  n: number,
  k: number,
  A: (i: number, p: number) => number,
  B: (p: number, j: number) => number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j] += A(i, p) * B(p, j);
  return out;
}

describe.each(kernelTiers())('gemmInto on the %s tier', (tier) => {
  beforeAll(() => useKernels(tier));
  afterAll(() => useKernels('auto'));
  const rng = new Rng(3);
  const rand = (len: number) => Float32Array.from({ length: len }, () => rng.normal());

  it.each([
    [1, 1, 1, false],
    [5, 3, 7, false],
    [13, 17, 300, false],
    [13, 17, 300, true],
    [64, 200, 336, true],
  ])('m %i n %i k %i (A transposed in place: %s), at offsets and strides, adds into C', (m, n, k, aT) => {
    // A inside a larger buffer: row-major with lda = k + 2, or stored [k, m + 1] and read transposed
    const aOff = 3;
    const a = rand(aOff + (aT ? k * (m + 1) : m * (k + 2)));
    const lda = aT ? 1 : k + 2;
    const acs = aT ? m + 1 : 1;
    const bOff = 5;
    const ldb = n + 3;
    const b = rand(bOff + k * ldb);
    const cOff = 2;
    const ldc = n + 1;
    const c = rand(cOff + m * ldc);
    const before = Float32Array.from(c);
    gemmInto(m, n, k, a, aOff, lda, acs, b, bOff, ldb, c, cOff, ldc);
    const ref = naive(
      m,
      n,
      k,
      (i, p) => a[aOff + i * lda + p * acs],
      (p, j) => b[bOff + p * ldb + j],
    );
    for (let i = 0; i < m; i++)
      for (let j = 0; j < ldc; j++) {
        const at = cOff + i * ldc + j;
        if (j >= n)
          expect(c[at]).toBe(before[at]); // outside the product: untouched
        // float32 sums of k products of unit normals: error ~ k eps sqrt(k)
        else
          expect(Math.abs(c[at] - (before[at] + ref[i * n + j]))).toBeLessThan(
            1e-6 * k * Math.sqrt(k) + 1e-5,
          );
      }
    expect(c[0]).toBe(before[0]);
  });
});
