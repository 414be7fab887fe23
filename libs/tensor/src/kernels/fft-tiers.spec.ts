import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { convFftSize, fastFftLength, realFftCost } from '../fft/conv-size';
import { fftConv } from '../ops/fft-conv';
import { fft, ifft, irfft, rfft } from '../ops/spectral';
import { DirectDft, addDirectConvGradK, directConv, directConvGradU, norm2 } from '../testing/dft-reference';
import { randomArray, seededRandom } from '../testing/oracles';
import { nativeKernels } from './native-kernels';
import { KernelTier, kernelTiers, useKernels } from './wasm-kernels';

/*
 * The FFTs (FFT, IFFT, RFFT, IRFFT kernels) and the fused fftConv on every kernel tier this
 * process has (native: the addon's mixed-radix FFT, on the build SEQCAST_NATIVE_ISA allows;
 * wasm: the WebAssembly SIMD passes of fft/wasm-fft.ts at 13-smooth lengths, the JS plans
 * at others; js: the JS plans), against direct O(n^2) transforms and convolutions in float64,
 * forward and gradient, at lengths covering every radix mix the native plans make: all of
 * 1..32, powers of 2, 3, 5, 7, 11, products of several, primes up to 4093 (the generic
 * radix), 4096, and 4099.
 *
 * Tolerances from float32 error growth. Each pass of a radix-p butterfly adds to an output at
 * most p - 1 rounded additions and one rounded product with a twiddle (itself rounded to
 * float32), so with G(n) = sum over n's prime factors of (p + 2), plus 6 for the real
 * transform's split pass and the rounding of inputs and outputs (a radix-4 pass, 3 additions
 * and a product, is counted as two radix-2 ones: 8), an output's error is at most
 * eps G(n) sum_t |x_t| (eps = 2^-24). The roundings of different terms are independent, so
 * they add in quadrature: the error is of the order eps G(n) |x|_2, and the tests allow twice
 * that (measured on the native FFT: 3-4% of this allowance at 8..4096). A convolution goes through three transforms and a product: 3 G(n) + 4, relative to
 * |u|_2 |k|_2, which bounds every output (Cauchy-Schwarz). A wrong twiddle, index or scale
 * misses by O(|x|_2), thousands of times more.
 */
const EPS = 2 ** -24;
const LENGTHS = [
  ...Array.from({ length: 32 }, (_, i) => i + 1),
  ...[36, 45, 48, 49, 60, 64, 77, 96, 100, 121, 125, 143, 210, 243, 256, 343, 360, 625, 720, 1000, 1024],
  ...[1440, 2048, 2310, 2880, 3003, 4093, 4095, 4096],
  4099, // a prime above the native generic radix's limit: the JS plans' Bluestein on every tier (native-fft.ts)
];

function growth(n: number): number {
  let g = 6;
  for (let m = n, p = 2; m > 1; ) {
    if (m % p === 0) {
      g += p + 2;
      m /= p;
    } else p++;
  }
  return g;
}
const transformTol = (n: number, norm: number) => 2 * EPS * growth(n) * norm;
const convTol = (n: number, norm: number) => 2 * EPS * (3 * growth(n) + 4) * norm;

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const row = (a: Float32Array, r: number, width: number) => a.subarray(r * width, (r + 1) * width);
const padded = (a: ArrayLike<number>, n: number) => Float64Array.from({ length: n }, (_, i) => (i < a.length ? a[i] : 0));

beforeAll(async () => {
  await selectBackend('cpu');
});

describe.each(kernelTiers())('FFTs against the direct DFT (%s kernels)', (tier: KernelTier) => {
  const rand = seededRandom(20);
  const ROWS = 2;
  beforeAll(() => useKernels(tier));
  afterAll(() => useKernels('auto'));

  it('fft and ifft at every radix mix', () => {
    for (const n of LENGTHS) {
      const re = randomArray(ROWS * n, rand);
      const im = randomArray(ROWS * n, rand);
      const x = { re: tf.tensor2d(re, [ROWS, n]), im: tf.tensor2d(im, [ROWS, n]) };
      const X = fft(x);
      const Y = ifft(x);
      const [Xr, Xi, Yr, Yi] = [X.re, X.im, Y.re, Y.im].map((t) => t.dataSync() as Float32Array);
      const dft = new DirectDft(n);
      for (let r = 0; r < ROWS; r++) {
        const norm = Math.hypot(norm2(row(re, r, n)), norm2(row(im, r, n)));
        const [dr, di] = dft.complex(row(re, r, n), row(im, r, n), -1);
        const [ir, ii] = dft.complex(row(re, r, n), row(im, r, n), 1);
        expect([n, Math.max(maxDiff(row(Xr, r, n), dr), maxDiff(row(Xi, r, n), di)) <= transformTol(n, norm)]).toEqual([n, true]);
        const inv = Math.max(maxDiff(row(Yr, r, n), ir.map((v) => v / n)), maxDiff(row(Yi, r, n), ii.map((v) => v / n)));
        expect([n, inv <= transformTol(n, norm) / n]).toEqual([n, true]);
      }
      tf.dispose([x.re, x.im, X.re, X.im, Y.re, Y.im]);
    }
  });

  it('rfft and irfft at every radix mix', () => {
    for (const n of LENGTHS) {
      const bins = Math.floor(n / 2) + 1;
      const x = randomArray(ROWS * n, rand);
      const sr = randomArray(ROWS * bins, rand);
      const si = randomArray(ROWS * bins, rand);
      const X = rfft(tf.tensor2d(x, [ROWS, n]));
      const y = irfft({ re: tf.tensor2d(sr, [ROWS, bins]), im: tf.tensor2d(si, [ROWS, bins]) }, n);
      const [Xr, Xi, yv] = [X.re, X.im, y].map((t) => t.dataSync() as Float32Array);
      const dft = new DirectDft(n);
      for (let r = 0; r < ROWS; r++) {
        const [dr, di] = dft.complex(row(x, r, n), new Float64Array(n), -1, bins);
        const err = Math.max(maxDiff(row(Xr, r, bins), dr), maxDiff(row(Xi, r, bins), di));
        expect([n, err <= transformTol(n, norm2(row(x, r, n)))]).toEqual([n, true]);
        const expected = dft.inverseReal(row(sr, r, bins), row(si, r, bins));
        const spectrumNorm = Math.hypot(norm2(row(sr, r, bins)), norm2(row(si, r, bins)));
        expect([n, maxDiff(row(yv, r, n), expected) <= (2 * transformTol(n, spectrumNorm)) / n]).toEqual([n, true]);
      }
      tf.dispose([X.re, X.im, y]);
    }
  });

  it('rfft zero-pads and crops rows to n', () => {
    for (const [len, n] of [
      [4, 7],
      [93, 96],
      [722, 720],
      [1, 1440],
    ]) {
      const x = randomArray(ROWS * len, rand);
      const X = rfft(tf.tensor2d(x, [ROWS, len]), n);
      const bins = Math.floor(n / 2) + 1;
      const dft = new DirectDft(n);
      const [Xr, Xi] = [X.re.dataSync(), X.im.dataSync()];
      for (let r = 0; r < ROWS; r++) {
        const input = padded(row(x, r, len).subarray(0, n), n);
        const [dr, di] = dft.complex(input, new Float64Array(n), -1, bins);
        const err = Math.max(maxDiff(Xr.subarray(r * bins, (r + 1) * bins), dr), maxDiff(Xi.subarray(r * bins, (r + 1) * bins), di));
        expect([len, n, err <= transformTol(n, norm2(input))]).toEqual([len, n, true]);
      }
      tf.dispose([X.re, X.im]);
    }
  });

  it('gradients of fft, ifft, rfft and irfft are the direct adjoints at every radix mix', () => {
    for (const n of LENGTHS) {
      const bins = Math.floor(n / 2) + 1;
      const dft = new DirectDft(n);
      const [xr, xi, gr, gi, g] = [n, n, n, n, n].map((len) => randomArray(len, rand));
      const [br, bi] = [gr.subarray(0, bins), gi.subarray(0, bins)];
      const gNorm = Math.hypot(norm2(gr), norm2(gi));
      const [xrT, xiT, grT, giT, brT, biT, gT] = [xr, xi, gr, gi, br, bi, g].map((a) => tf.tensor1d(a));
      const dot = (s: { re: tf.Tensor; im: tf.Tensor }, a: tf.Tensor, b: tf.Tensor) =>
        tf.add(tf.sum(tf.mul(s.re, a)), tf.sum(tf.mul(s.im, b))) as tf.Scalar;

      // fft: dx = sum_k g_k e^{+2 pi i k t / n}; ifft: dx = (1/n) sum_k g_k e^{-2 pi i k t / n}
      const [fr, fi] = tf.grads((a: tf.Tensor, b: tf.Tensor) => dot(fft({ re: a, im: b }), grT, giT))([xrT, xiT]);
      const [er, ei] = dft.complex(gr, gi, 1);
      expect([n, Math.max(maxDiff(fr.dataSync(), er), maxDiff(fi.dataSync(), ei)) <= transformTol(n, gNorm)]).toEqual([n, true]);
      const [vr, vi] = tf.grads((a: tf.Tensor, b: tf.Tensor) => dot(ifft({ re: a, im: b }), grT, giT))([xrT, xiT]);
      const [jr, ji] = dft.complex(gr, gi, -1);
      const ifftErr = Math.max(maxDiff(vr.dataSync(), jr.map((v) => v / n)), maxDiff(vi.dataSync(), ji.map((v) => v / n)));
      expect([n, ifftErr <= transformTol(n, gNorm) / n]).toEqual([n, true]);

      // rfft: dx_t = sum_{k < bins} Re(g_k e^{+2 pi i k t / n})
      const rx = tf.grad((a: tf.Tensor) => dot(rfft(a), brT, biT))(xrT);
      const [rr] = dft.complex(padded(br, n), padded(bi, n), 1);
      expect([n, maxDiff(rx.dataSync(), rr) <= transformTol(n, gNorm)]).toEqual([n, true]);

      // irfft: dX_k = (c_k / n) sum_t g_t e^{-2 pi i k t / n}, c = 1 at DC and Nyquist, else 2
      const [ir, ii] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(irfft({ re: a, im: b }, n), gT)))([brT, biT]);
      const [cr, ci] = dft.complex(g, new Float64Array(n), -1, bins);
      const weight = (k: number) => (k === 0 || 2 * k === n ? 1 : 2) / n;
      const irfftErr = Math.max(
        maxDiff(ir.dataSync(), cr.map((v, k) => v * weight(k))),
        maxDiff(ii.dataSync(), ci.map((v, k) => v * weight(k))),
      );
      expect([n, irfftErr <= (2 * transformTol(n, norm2(g))) / n]).toEqual([n, true]);
      tf.dispose([xrT, xiT, grT, giT, brT, biT, gT, fr, fi, vr, vi, rx, ir, ii]);
    }
  });
});

// [B, C, L, K]: L + K - 1 lands on fast lengths of every radix mix (native lengths in comments)
const CONV_CASES: [number, number, number, number][] = [
  [2, 3, 1, 1], // 2
  [2, 3, 2, 2], // 4
  [2, 3, 3, 3], // 6: radix 3
  [1, 5, 5, 5], // 10: 5
  [2, 3, 7, 7], // 14: generic 7
  [2, 3, 9, 4], // 12: 2 3
  [1, 17, 21, 21], // 42: 3 7, a group of 16 rows and one of 1
  [2, 16, 25, 25], // 50: 5 5, whole groups of consecutive kernels
  [2, 3, 60, 30], // 90: 3 3 5
  [1, 3, 96, 96], // 192: 4 4 2 3
  [2, 2, 5, 9], // K > L: taps past L never reach an output
  [2, 2, 11, 1],
  [2, 3, 336, 336], // 672: 4 4 3 7
  [1, 3, 720, 720], // 1440: 4 4 3 3 5
  [1, 2, 720, 24],
  [1, 2, 1440, 1440], // 2880
];

describe.each(kernelTiers())('fftConv against direct convolution (%s kernels)', (tier: KernelTier) => {
  const rand = seededRandom(21);
  beforeAll(() => useKernels(tier));
  afterAll(() => useKernels('auto'));

  it.each(CONV_CASES)('forward and gradients, B %i, C %i, L %i, K %i', (B, C, L, K) => {
    checkConv(rand, tier, B, C, L, K, false);
  });

  it.each([
    [2, 3, 30, 30],
    [3, 7, 45, 20],
  ])('one kernel per row, B %i, C %i, L %i, K %i', (B, C, L, K) => {
    checkConv(rand, tier, B, C, L, K, true);
  });

  it('gives identical results on repeated calls', () => {
    const u = tf.tensor3d(randomArray(4 * 20 * 100, rand), [4, 20, 100]);
    const k = tf.tensor2d(randomArray(20 * 100, rand), [20, 100]);
    const g = tf.tensor3d(randomArray(4 * 20 * 100, rand), [4, 20, 100]);
    const run = () => {
      const y = fftConv(u, k).dataSync();
      const [du, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fftConv(a, b), g)))([u, k]);
      return [y, du.dataSync(), dk.dataSync()].map((a) => Array.from(a));
    };
    expect(run()).toEqual(run());
  });
});

function checkConv(rand: () => number, tier: KernelTier, B: number, C: number, L: number, K: number, perRow: boolean): void {
  const kRows = perRow ? B * C : C;
  const u = randomArray(B * C * L, rand);
  const k = randomArray(kRows * K, rand);
  const g = randomArray(B * C * L, rand);
  const [uT, gT] = [u, g].map((a) => tf.tensor3d(a, [B, C, L]));
  const kT = perRow ? tf.tensor3d(k, [B, C, K]) : tf.tensor2d(k, [C, K]);
  const y = fftConv(uT, kT).dataSync();
  const [du, dk] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(fftConv(a, b), gT)))([uT, kT]);
  const [duv, dkv] = [du.dataSync(), dk.dataSync()];
  const n = convFftSize(L, K, tier === 'native');
  const dkRef = Array.from({ length: kRows }, () => new Float64Array(K));
  const dkScale = new Float64Array(kRows);
  for (let r = 0; r < B * C; r++) {
    const [ur, gr, kr] = [row(u, r, L), row(g, r, L), row(k, r % kRows, K)];
    expect(maxDiff(row(y as Float32Array, r, L), directConv(ur, kr))).toBeLessThanOrEqual(convTol(n, norm2(ur) * norm2(kr)));
    expect(maxDiff(row(duv as Float32Array, r, L), directConvGradU(gr, kr))).toBeLessThanOrEqual(convTol(n, norm2(gr) * norm2(kr)));
    addDirectConvGradK(gr, ur, dkRef[r % kRows]);
    dkScale[r % kRows] += norm2(gr) * norm2(ur);
  }
  for (let c = 0; c < kRows; c++) {
    expect(maxDiff(row(dkv as Float32Array, c, K), dkRef[c])).toBeLessThanOrEqual(convTol(n, dkScale[c]));
  }
  tf.dispose([uT, gT, kT, du, dk]);
}

describe('fftConv length', () => {
  it.each([7, 5])('is the cheapest even %i-smooth length >= L + K - 1, never above the next power of two', (prime) => {
    for (let need = 1; need <= 5000; need += need < 200 ? 1 : 37) {
      const n = fastFftLength(need, prime);
      const pow2 = 2 ** Math.ceil(Math.log2(Math.max(2, need)));
      expect([need, n >= need && n % 2 === 0 && n <= pow2 && Number.isFinite(realFftCost(n, prime))]).toEqual([need, true]);
      for (let m = need + (need % 2); m < n; m += 2)
        expect([need, m, realFftCost(m, prime) >= realFftCost(n, prime)]).toEqual([need, m, true]);
    }
  });

  it('is not only powers of two: 2 L for the models L = 336, 720, 1440 on the native FFT, 5-smooth on the JS plans', () => {
    expect([336, 720, 1440].map((L) => convFftSize(L, L, true))).toEqual([672, 1440, 2880]);
    expect([336, 720, 1440].map((L) => convFftSize(L, L))).toEqual([720, 1440, 2880]);
  });
});

const native = nativeKernels();
(native ? describe : describe.skip)('native fftConv argument checks', () => {
  const f = (n: number) => new Float32Array(n);
  it('refuses a length that would wrap around, and arrays of the wrong size, before writing', () => {
    const y = f(8).fill(7);
    expect(() => native!.fftConvForward(f(8), f(4), 2, 4, 1, 4, 6, y)).toThrow(/n must be >= L \+ min\(K, L\) - 1/);
    expect(() => native!.fftConvForward(f(8), f(4), 2, 4, 1, 4, 8, f(7))).toThrow(/y must hold 2 rows of 4 floats, has 7/);
    expect(() => native!.fftConvForward(f(8), f(4), 2, 4, 3, 4, 8, y)).toThrow(/kRows must divide rows/);
    expect(() => native!.rfftRows(f(8), 2, 4, 2 ** 21, f(2), f(2))).toThrow(/n must be in 1 .. 2\^20/);
    expect(() => native!.rfftRows(f(8), 2, 4, 0, f(2), f(2))).toThrow(/n must be in 1 .. 2\^20/);
    expect(Array.from(y)).toEqual(new Array(8).fill(7));
  });
});
