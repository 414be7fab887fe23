import { addDirectConvGradK, directConv, directConvGradU, norm2 } from '../testing/dft-reference';
import { maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { useKernels } from '../kernels/wasm-kernels';
import { complexFftPlan } from './complex-fft';
import { realFftPlan } from './real-fft';
import { WasmFft, wasmFft, wasmFftFor, wasmFftTakes } from './wasm-fft';

/*
 * The WebAssembly SIMD passes (radix 2, 3, 4, 5; four rows per vector) against the JS
 * plans in float64 (complex-fft.ts, real-fft.ts: separate code, no shared twiddles) at a few
 * lengths of each radix and their mixes, with row counts that leave a group's lanes empty;
 * the convolution against direct convolution. kernels/fft-tiers.spec.ts checks the same
 * through the tfjs kernels against direct DFTs at every length 1..4096.
 *
 * A float32 FFT's error is of the order eps |x|_2 per pass (eps = 2^-24); the tolerance
 * below allows 16 eps |x|_2 per pass and two more for the real split and the roundings in
 * and out. A wrong twiddle, index or scale misses by O(|x|_2), tens of thousands of times
 * more.
 */
const EPS = 2 ** -24;
const passes = (n: number) => Math.max(1, Math.ceil(Math.log2(n)));
const tol = (n: number, norm: number) => 16 * EPS * (passes(n) + 2) * norm;

const COMPLEX_LENGTHS = [
  ...[7, 11, 13, 14, 22, 26, 49, 77, 91, 121, 143, 169, 210, 343, 1001],
  1,
  2,
  3,
  4,
  5,
  6,
  8,
  9,
  10,
  15,
  16,
  25,
  27,
  32,
  45,
  60,
  64,
  81,
  125,
  243,
  256,
  360,
  625,
  720,
  1000,
  1024,
];
const rand = seededRandom(2020);
const engine = wasmFft();

(engine ? describe : describe.skip)('wasm FFT passes against the JS plans', () => {
  const w = engine as WasmFft;

  it('takes 13-smooth lengths up to 2^18 only (real: even, with a 13-smooth half)', () => {
    const takes = [1, 2, 3, 4, 5, 6, 7, 11, 13, 1001, 720, 1440, 2 ** 18];
    expect(takes.map((n) => wasmFftTakes(n, false))).toEqual(new Array(takes.length).fill(true));
    expect([17, 34, 4093, 2 ** 19].map((n) => wasmFftTakes(n, false))).toEqual(new Array(4).fill(false));
    expect([2, 4, 6, 10, 14, 26, 1440, 2880].map((n) => wasmFftTakes(n, true))).toEqual(
      new Array(8).fill(true),
    );
    expect([1, 3, 5, 1001, 34].map((n) => wasmFftTakes(n, true))).toEqual(new Array(5).fill(false));
  });

  it.each(COMPLEX_LENGTHS)('complex forward and inverse, n = %i', (n) => {
    for (const rows of [1, 6]) {
      const re = randomArray(rows * n, rand);
      const im = randomArray(rows * n, rand);
      for (const inverse of [false, true]) {
        const [outRe, outIm] = [new Float32Array(rows * n), new Float32Array(rows * n)];
        w.fftRows(re, im, rows, n, inverse, outRe, outIm);
        const plan = complexFftPlan(n);
        for (let r = 0; r < rows; r++) {
          const [a, b] = [re, im].map((v) => Float64Array.from(v.subarray(r * n, (r + 1) * n)));
          const norm = Math.hypot(norm2(a), norm2(b));
          if (inverse) plan.inverse(a, b);
          else plan.forward(a, b);
          const err = Math.max(
            maxAbsDiff(outRe.subarray(r * n, (r + 1) * n), a),
            maxAbsDiff(outIm.subarray(r * n, (r + 1) * n), b),
          );
          expect([n, inverse, r, err <= tol(n, norm) / (inverse ? n : 1)]).toEqual([n, inverse, r, true]);
        }
      }
    }
  });

  it.each(COMPLEX_LENGTHS.map((m) => 2 * m))(
    'real forward and inverse, n = %i, rows zero-padded and cropped',
    (n) => {
      const bins = n / 2 + 1;
      const plan = realFftPlan(n);
      for (const [rows, len] of [
        [5, n],
        [3, n - 1],
        [2, Math.max(1, n >> 2)],
        [6, n + 3],
      ]) {
        const x = randomArray(rows * len, rand);
        const [outRe, outIm] = [new Float32Array(rows * bins), new Float32Array(rows * bins)];
        w.rfftRows(x, rows, len, n, outRe, outIm);
        const back = new Float32Array(rows * n);
        w.irfftRows(outRe, outIm, rows, n, back);
        for (let r = 0; r < rows; r++) {
          const [a, b] = [new Float64Array(bins), new Float64Array(bins)];
          plan.forward(x, r * len, len, a, b);
          const norm = norm2(x.subarray(r * len, r * len + Math.min(len, n)));
          const err = Math.max(
            maxAbsDiff(outRe.subarray(r * bins, (r + 1) * bins), a),
            maxAbsDiff(outIm.subarray(r * bins, (r + 1) * bins), b),
          );
          expect([n, len, r, err <= tol(n, norm)]).toEqual([n, len, r, true]);
          // the round trip gives the (zero-padded, cropped) row back
          const row = Float64Array.from({ length: n }, (_, t) => (t < len ? x[r * len + t] : 0));
          expect([n, len, r, maxAbsDiff(back.subarray(r * n, (r + 1) * n), row) <= 2 * tol(n, norm)]).toEqual(
            [n, len, r, true],
          );
        }
      }
    },
  );

  it.each([2, 8, 18, 50, 120, 1440])('irfft ignores the DC and Nyquist imaginary parts, n = %i', (n) => {
    const bins = n / 2 + 1;
    const rows = 5;
    const [re, im] = [randomArray(rows * bins, rand), randomArray(rows * bins, rand)];
    const out = new Float32Array(rows * n);
    w.irfftRows(re, im, rows, n, out);
    const plan = realFftPlan(n);
    for (let r = 0; r < rows; r++) {
      const expected = new Float64Array(n);
      const [a, b] = [re, im].map((v) => Float64Array.from(v.subarray(r * bins, (r + 1) * bins)));
      const norm = Math.hypot(norm2(a), norm2(b));
      plan.inverse(a, b, expected, 0, n); // the JS plan drops them too
      expect([
        n,
        r,
        maxAbsDiff(out.subarray(r * n, (r + 1) * n), expected) <= (2 * tol(n, norm)) / n,
      ]).toEqual([n, r, true]);
    }
  });

  // [rows, L, kRows, K, n]: kernels in whole groups, a partial group, fewer kernels than lanes, one per row, K > L
  it.each([
    [8, 30, 4, 30, 60],
    [64, 25, 16, 25, 50],
    [10, 40, 5, 12, 54],
    [6, 9, 3, 9, 20],
    [7, 16, 7, 8, 24],
    [3, 5, 1, 9, 10],
    [12, 96, 4, 96, 192],
    [4, 720, 2, 720, 1440],
  ])(
    'fftConv forward and backward against direct convolution: rows %i, L %i, kRows %i, K %i, n %i',
    (rows, L, kRows, K, n) => {
      const u = randomArray(rows * L, rand);
      const k = randomArray(kRows * K, rand);
      const g = randomArray(rows * L, rand);
      const y = new Float32Array(rows * L);
      const du = new Float32Array(rows * L);
      const dk = new Float32Array(kRows * K).fill(NaN); // every entry written, taps past L zeroed
      w.fftConvForward(u, k, rows, L, kRows, K, n, y);
      w.fftConvBackward(g, u, k, rows, L, kRows, K, n, du, dk);
      const row = (a: Float32Array, r: number, width: number) => a.subarray(r * width, (r + 1) * width);
      const dkRef = Array.from({ length: kRows }, () => new Float64Array(K));
      const dkScale = new Float64Array(kRows);
      const convTol = (scale: number) => 3 * tol(n, scale);
      for (let r = 0; r < rows; r++) {
        const [ur, gr, kr] = [row(u, r, L), row(g, r, L), row(k, r % kRows, K)];
        expect([r, maxAbsDiff(row(y, r, L), directConv(ur, kr)) <= convTol(norm2(ur) * norm2(kr))]).toEqual([
          r,
          true,
        ]);
        expect([
          r,
          maxAbsDiff(row(du, r, L), directConvGradU(gr, kr)) <= convTol(norm2(gr) * norm2(kr)),
        ]).toEqual([r, true]);
        addDirectConvGradK(gr, ur, dkRef[r % kRows]);
        dkScale[r % kRows] += norm2(gr) * norm2(ur);
      }
      for (let c = 0; c < kRows; c++) {
        expect([c, maxAbsDiff(row(dk, c, K), dkRef[c]) <= convTol(dkScale[c])]).toEqual([c, true]);
      }
    },
  );

  it('gives identical results on repeated calls and whatever ran before', () => {
    const [rows, L, kRows, K, n] = [9, 50, 3, 50, 100];
    const [u, k, g] = [rows * L, kRows * K, rows * L].map((len) => randomArray(len, rand));
    const run = () => {
      const [y, du, dk] = [
        new Float32Array(rows * L),
        new Float32Array(rows * L),
        new Float32Array(kRows * K),
      ];
      w.fftConvForward(u, k, rows, L, kRows, K, n, y);
      w.fftConvBackward(g, u, k, rows, L, kRows, K, n, du, dk);
      return [y, du, dk].map((a) => Array.from(a));
    };
    const first = run();
    w.rfftRows(
      randomArray(4096, rand),
      2,
      2048,
      3000,
      new Float32Array(2 * 1501),
      new Float32Array(2 * 1501),
    ); // a new plan, more memory
    expect(run()).toEqual(first);
  });

  it('runs where the wasm tier is in use, for the lengths it takes', () => {
    useKernels('wasm');
    try {
      expect(wasmFftFor(1440, true)).toBe(w);
      expect(wasmFftFor(720, false)).toBe(w);
      expect([wasmFftFor(34, true), wasmFftFor(17, false), wasmFftFor(9, true)]).toEqual([null, null, null]);
      useKernels('js');
      expect(wasmFftFor(1440, true)).toBeNull();
    } finally {
      useKernels('auto');
    }
  });
});
