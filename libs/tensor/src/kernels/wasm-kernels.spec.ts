import { fastExp, fastSigmoid, fastTanh } from '@seqcast/numeric';
import { gemmNN, transposeInto } from './small-gemm';
import { kernelArena, kernelTiers, useKernels } from './wasm-kernels';

/** C += A B by the definition, in float64, with the same strides as the kernels. */
function naive(
  m: number,
  n: number,
  k: number,
  a: ArrayLike<number>,
  aOff: number,
  lda: number,
  b: ArrayLike<number>,
  bOff: number,
  ldb: number,
  c: Float64Array,
  ldc: number,
): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      for (let p = 0; p < k; p++) c[i * ldc + j] += a[aOff + i * lda + p] * b[bOff + p * ldb + j];
}

/** max over i of |got - ref| - tol(ref): <= 0 when every entry is within its tolerance. */
function worstExcess(got: ArrayLike<number>, ref: Float64Array, tol: (r: number) => number): number {
  let worst = -Infinity;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(got[i] - ref[i]) - tol(ref[i]));
  return worst;
}

// ragged shapes around the tiles (4 x 4 in JS, 4 x 8 in wasm), empty products, and the models' shapes
const SHAPES = [
  [5, 7, 3],
  [8, 8, 8],
  [3, 2, 9],
  [13, 21, 6],
  [4, 8, 0],
  [64, 224, 32],
  [61, 32, 224],
  [32, 96, 17],
];

/** A(i, p) B accumulated into C, checked against the definition (float32 sums of up to 224 terms). */
function checkArenaGemm(m: number, n: number, k: number, transposedA: boolean): void {
  // A's row stride, B's and C's padded: the padding columns (j >= n) must be untouched
  const [lda, ldb, ldc] = transposedA ? [1, n, n] : [k + 2, n + 1, n + 3];
  const acs = transposedA ? m : 1; // A^T stored [k, m]
  const a = 3;
  const b = a + m * k + 2 * m;
  const c = b + k * ldb;
  const arena = kernelArena(c + m * ldc);
  const buf = arena.buf;
  for (let i = 0; i < c + m * ldc; i++) buf[i] = Math.sin(i * 1.7);
  const A = Float64Array.from({ length: m * k }, (_, i) => buf[a + Math.floor(i / k) * lda + (i % k) * acs]); // A[i, p]
  const ref = Float64Array.from(buf.subarray(c, c + m * ldc));
  naive(m, n, k, A, 0, k, buf, b, ldb, ref, ldc);
  arena.gemm(m, n, k, a, lda, b, ldb, c, ldc, acs);
  expect(worstExcess(buf.subarray(c), ref, (r) => 1e-5 * (1 + Math.abs(r)) + 2e-6 * k)).toBeLessThanOrEqual(
    0,
  );
}

describe('matrix products', () => {
  it('runs on WebAssembly SIMD in Node', () => expect(kernelTiers()).toContain('wasm'));

  describe.each(kernelTiers())('arena gemm (%s kernels)', (kernels) => {
    beforeAll(() => useKernels(kernels));
    afterAll(() => useKernels('auto'));
    it.each(SHAPES)('%i x %i x %i with offsets and padded strides', (m, n, k) =>
      checkArenaGemm(m, n, k, false),
    );
    it.each(SHAPES)('%i x %i x %i reading A from its transpose (lda 1, acs = rows)', (m, n, k) =>
      checkArenaGemm(m, n, k, true),
    );
  });

  it.each(SHAPES)('plain-JS gemmNN %i x %i x %i (the fallback) accumulates A B into C', (m, n, k) => {
    const A = Float32Array.from({ length: m * k }, (_, i) => Math.cos(i));
    const B = Float32Array.from({ length: k * n }, (_, i) => Math.sin(i));
    const C = Float32Array.from({ length: m * n }, (_, i) => i % 5);
    const ref = Float64Array.from(C);
    naive(m, n, k, A, 0, k, B, 0, n, ref, n);
    gemmNN(m, n, k, A, 0, k, B, 0, n, C, 0, n);
    expect(worstExcess(C, ref, (r) => 1e-5 * (1 + Math.abs(r)))).toBeLessThanOrEqual(0);
  });

  it('transposeInto', () => {
    const src = Float32Array.from({ length: 2 + 3 * 4 }, (_, i) => i);
    const dst = new Float32Array(1 + 12);
    transposeInto(src, 2, 3, 4, dst, 1);
    expect(Array.from(dst.subarray(1))).toEqual([2, 6, 10, 3, 7, 11, 4, 8, 12, 5, 9, 13]);
  });
});

describe.each(kernelTiers())('vector exp, tanh and sigmoid of the arena (%s kernels)', (kernels) => {
  beforeAll(() => useKernels(kernels));
  afterAll(() => useKernels('auto'));

  it('agree with Math to float32 precision over a wide range, tails in JS included', () => {
    const n = 4003; // not a multiple of 4: the last 3 in JS
    const arena = kernelArena(n + 2);
    const xs = Float32Array.from({ length: n }, (_, i) => -40 + (80 * i) / (n - 1));
    for (const [name, ref] of [
      ['exp', Math.exp],
      ['tanh', Math.tanh],
      ['sigmoid', (x: number) => 1 / (1 + Math.exp(-x))],
    ] as const) {
      arena.buf.set(xs, 2);
      arena[name](2, n);
      let worst = 0;
      for (let i = 0; i < n; i++)
        worst = Math.max(
          worst,
          Math.abs(arena.buf[2 + i] - ref(xs[i])) / Math.max(Math.abs(ref(xs[i])), 1e-30),
        );
      expect(worst).toBeLessThan(4e-7); // a few float32 ulps
    }
  });

  it('decay: the continuous-time LSTM state at gaps, wasm (H = 8) and JS (H = 6) alike', () => {
    for (const H of [8, 6]) {
      const rows = 5;
      const n = 3 * H; // three positions' states, rows use them out of order
      const arena = kernelArena(4 * n + 2 * rows + 4 * rows * H);
      const buf = arena.buf;
      const [D, CB, C, O, offs, ts] = [0, n, 2 * n, 3 * n, 4 * n, 4 * n + rows];
      const out = 4 * n + 2 * rows;
      for (let i = 0; i < n; i++)
        [buf[D + i], buf[CB + i], buf[C + i], buf[O + i]] = [
          Math.abs(Math.sin(i)),
          Math.cos(i),
          Math.sin(2 * i),
          0.5 + 0.4 * Math.sin(3 * i),
        ];
      [2, 0, 1, 2, 0].forEach((pos, r) => {
        arena.ints[offs + r] = pos * H;
        buf[ts + r] = 0.3 * r;
      });
      arena.decay(
        rows,
        H,
        offs,
        ts,
        D,
        CB,
        C,
        O,
        out,
        out + rows * H,
        out + 2 * rows * H,
        out + 3 * rows * H,
      );
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < H; j++) {
          const a = arena.ints[offs + r] + j;
          const e = Math.exp(-buf[D + a] * buf[ts + r]);
          const x = buf[CB + a] + (buf[C + a] - buf[CB + a]) * e;
          const want = [e, x, Math.tanh(x), buf[O + a] * Math.tanh(x)];
          want.forEach((v, q) =>
            expect(Math.abs(buf[out + q * rows * H + r * H + j] - v)).toBeLessThan(1e-6),
          );
        }
      }
    }
  });
});

describe('fast exp, tanh and sigmoid', () => {
  it('agree with Math to far below float32 precision, including the edges', () => {
    let worst = 0;
    for (let i = 0; i <= 200000; i++) {
      const x = -120 + (240 * i) / 200000;
      worst = Math.max(worst, Math.abs(fastExp(x) / Math.exp(x) - 1));
      worst = Math.max(
        worst,
        Math.abs(fastTanh(x) - Math.tanh(x)) / Math.max(Math.abs(Math.tanh(x)), 1e-300),
      );
      worst = Math.max(worst, Math.abs(fastSigmoid(x) * (1 + Math.exp(-x)) - 1));
    }
    for (const x of [1e-9, -3e-5, 0.0399, 0.04, -0.0401, 0.5])
      worst = Math.max(worst, Math.abs(fastTanh(x) / Math.tanh(x) - 1));
    expect(worst).toBeLessThan(1e-9);
    expect(fastExp(800)).toBe(Infinity);
    expect(fastExp(-800)).toBe(0);
    expect(fastTanh(1000)).toBe(1);
    expect(fastTanh(-1000)).toBe(-1);
    expect(Object.is(fastTanh(-0), -0)).toBe(true);
    expect(fastExp(NaN)).toBeNaN();
    expect(fastTanh(NaN)).toBeNaN();
  });
});
