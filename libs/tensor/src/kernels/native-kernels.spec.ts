import { nativeKernels, nativeKernelsBuilt, nativeKernelsStatus } from './native-kernels';

/*
 * The native addon's own contract: argument checks (a caller's mistake must be a JS error,
 * never a write outside an array) and the gemm against float64 sums. Its results inside
 * the models are checked where every tier is: the arena and matmul specs here, the fused
 * attention, norm and recurrence specs in libs/events (against tfjs ops).
 */
const built = nativeKernelsBuilt() && nativeKernels() !== null; // built, and not switched off (SEQCAST_NATIVE=0)
if (!built) console.warn(`native kernels not tested: ${nativeKernelsStatus()}`);
const maybe = built ? describe : describe.skip;

maybe('native kernels', () => {
  const nk = nativeKernels()!;

  it('report the instruction set they run on', () => {
    expect(['avx512', 'avx2', 'base']).toContain(nk.isa());
    expect(nativeKernelsStatus()).toBe(`native kernels (${nk.isa()})`);
  });

  it('gemm: every shape and stride within float32 accuracy of float64 sums, k blocked past 256', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    for (const [m, n, k, transposed] of [
      [1, 1, 1, false],
      [7, 5, 3, false],
      [9, 33, 257, false],
      [13, 40, 600, true],
      [100, 96, 32, false],
      [32, 17, 3000, true],
    ] as const) {
      const a = Float32Array.from({ length: 2 + m * k }, rnd);
      const b = Float32Array.from({ length: 1 + k * (n + 3) }, rnd);
      const c = Float32Array.from({ length: 3 + m * (n + 1) }, rnd);
      const ref = Float64Array.from(c);
      const lda = transposed ? 1 : k;
      const acs = transposed ? m : 1;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[2 + i * lda + p * acs] * b[1 + p * (n + 3) + j];
          ref[3 + i * (n + 1) + j] += s;
        }
      nk.gemm(m, n, k, a, 2, lda, acs, b, 1, n + 3, c, 3, n + 1);
      let worst = 0;
      for (let q = 0; q < c.length; q++) worst = Math.max(worst, Math.abs(c[q] - ref[q]) / (1e-6 * Math.sqrt(Math.min(k, 256)) * Math.sqrt(k) + 1e-6));
      expect(worst).toBeLessThan(1);
    }
  });

  it('reject operands that a call would read or write past, naming them', () => {
    const f = (n: number) => new Float32Array(n);
    expect(() => nk.gemm(4, 4, 4, f(15), 0, 4, 1, f(16), 0, 4, f(16), 0, 4)).toThrow(/gemm: A reaches index 15 of an array of 15/);
    expect(() => nk.gemm(4, 4, 4, f(16), 0, 4, 1, f(16), 1, 4, f(16), 0, 4)).toThrow(/gemm: B reaches index 16 of an array of 16/);
    expect(() => nk.gemm(4, 4, 4, f(16), 0, 4, 1, f(16), 0, 4, f(16), 0, 3)).toThrow(/bad sizes or strides/);
    expect(() => nk.exp(f(4), 2, 3)).toThrow(/exp: the range reaches index 4/);
    expect(() => nk.layerNormForward(f(6), f(3), f(3), 4, 1e-5, f(6), f(6), new Float64Array(1))).toThrow(/whole rows/);
    const limits = Int32Array.from([0, 2]);
    expect(() => nk.attentionForward(f(4), f(4), f(4), 1, 2, 2, 2, 1, limits, false, f(4))).toThrow(/outside keys/);
  });

  it('reject arrays of the wrong type', () => {
    const bad = new Float64Array(16) as unknown as Float32Array;
    expect(() => nk.gemm(4, 4, 4, bad, 0, 4, 1, new Float32Array(16), 0, 4, new Float32Array(16), 0, 4)).toThrow(/a must be a Float32Array/);
    expect(() => nk.tanh(new Float32Array(4), 'x' as unknown as number, 1)).toThrow(/off must be a number/);
  });
});
