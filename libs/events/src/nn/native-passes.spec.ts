import { kernelTiers, kernelTier, useKernels } from '@seqcast/tensor';
import { multiply } from './arena-gemm';
import { columnSums } from './row-ops';

/*
 * The table's product passes (native-products.ts, or the arena gemm / float64 loop they
 * fall back to) on every tier this process has, against float64 sums written out here.
 */
describe.each(kernelTiers())('product passes (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  let seed = 3;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const floats = (n: number) => Float32Array.from({ length: n }, rnd);

  it('run on the tier asked for', () => {
    expect(kernelTier()).toBe(kernels);
  });

  it.each([
    [5, 3, 7, false],
    [9, 17, 4, true],
    [1, 1, 300, false],
    [33, 2, 40, true],
  ])('multiply: c += A b for m %i, n %i, k %i (A transposed: %s)', (m, n, k, aT) => {
    const a = floats(m * k);
    const b = floats(k * n);
    const c = floats(m * n);
    const ref = Float64Array.from(c);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) ref[i * n + j] += a[aT ? p * m + i : i * k + p] * b[p * n + j];
    multiply(m, n, k, a, aT, b, c);
    for (let q = 0; q < c.length; q++) expect(Math.abs(c[q] - ref[q])).toBeLessThan(1e-5 * Math.sqrt(k) + 1e-6);
  });

  it('columnSums: the sums of each column, also past one block of 256 rows and for no rows', () => {
    for (const [N, cols] of [
      [700, 3],
      [1, 5],
      [0, 4],
    ]) {
      const m = floats(N * cols);
      const ref = new Float64Array(cols);
      for (let r = 0; r < N; r++) for (let j = 0; j < cols; j++) ref[j] += m[r * cols + j];
      const sums = columnSums(m, cols);
      expect(sums.length).toBe(cols);
      for (let j = 0; j < cols; j++) expect(Math.abs(sums[j] - ref[j])).toBeLessThan(1e-5 * Math.sqrt(N) + 1e-6);
    }
  });
});
