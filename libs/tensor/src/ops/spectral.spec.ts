import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { gradientCheck, maxAbsDiff, naiveDft, randomArray, seededRandom } from '../testing/oracles';
import { fft, ifft, irfft, rfft } from './spectral';

describe('spectral ops (real/imaginary pairs)', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  const rand = seededRandom(1);

  it.each([8, 12, 16, 15, 64, 100])('rfft matches a naive DFT, n = %i', (n) => {
    const x = randomArray(2 * n, rand);
    const X = rfft(tf.tensor2d(x, [2, n]));
    const re = X.re.dataSync();
    const im = X.im.dataSync();
    const bins = Math.floor(n / 2) + 1;
    expect(X.re.shape).toEqual([2, bins]);
    for (let r = 0; r < 2; r++) {
      const [dr, di] = naiveDft(x.subarray(r * n, (r + 1) * n), new Float32Array(n));
      expect(maxAbsDiff(re.subarray(r * bins, (r + 1) * bins), dr.slice(0, bins))).toBeLessThan(1e-4 * n);
      expect(maxAbsDiff(im.subarray(r * bins, (r + 1) * bins), di.slice(0, bins))).toBeLessThan(1e-4 * n);
    }
  });

  it('rfft pads and crops to n like numpy', () => {
    const x = randomArray(10, rand);
    const padded = rfft(tf.tensor1d(x), 16);
    const [dr] = naiveDft([...x, ...new Array(6).fill(0)], new Array(16).fill(0));
    expect(maxAbsDiff(padded.re.dataSync(), dr.slice(0, 9))).toBeLessThan(1e-4);
    const cropped = rfft(tf.tensor1d(x), 4);
    const [cr] = naiveDft(x.subarray(0, 4), new Array(4).fill(0));
    expect(maxAbsDiff(cropped.re.dataSync(), cr.slice(0, 3))).toBeLessThan(1e-5);
  });

  it.each([8, 15, 64])('irfft inverts rfft and ignores DC/Nyquist imaginary parts, n = %i', (n) => {
    const x = randomArray(3 * n, rand);
    const X = rfft(tf.tensor2d(x, [3, n]));
    // Corrupting the imaginary parts that a real signal cannot have must not matter.
    const im = X.im.arraySync() as number[][];
    for (const row of im) {
      row[0] = 5;
      if (n % 2 === 0) row[row.length - 1] = -3;
    }
    const back = irfft({ re: X.re, im: tf.tensor2d(im) }, n);
    expect(maxAbsDiff(back.dataSync(), x)).toBeLessThan(1e-5);
  });

  it.each([8, 12, 7])('fft and ifft match the naive DFT, n = %i', (n) => {
    const re = randomArray(n, rand);
    const im = randomArray(n, rand);
    const Y = fft({ re: tf.tensor1d(re), im: tf.tensor1d(im) });
    const [dr, di] = naiveDft(re, im);
    expect(maxAbsDiff(Y.re.dataSync(), dr)).toBeLessThan(1e-4);
    expect(maxAbsDiff(Y.im.dataSync(), di)).toBeLessThan(1e-4);
    const Z = ifft({ re: tf.tensor1d(re), im: tf.tensor1d(im) });
    const [ir, ii] = naiveDft(re, im, true);
    expect(maxAbsDiff(Z.re.dataSync(), ir)).toBeLessThan(1e-5);
    expect(maxAbsDiff(Z.im.dataSync(), ii)).toBeLessThan(1e-5);
  });

  describe('gradients agree with finite differences', () => {
    it.each([
      [16, 16],
      [16, 10],
      [15, 15],
      [8, 12],
    ])('rfft, n = %i from %i samples', (n, len) => {
      const x = tf.tensor2d(randomArray(2 * len, rand), [2, len]);
      const errRe = gradientCheck((t) => rfft(t, n).re, [x]);
      const errIm = gradientCheck((t) => rfft(t, n).im, [x]);
      expect(Math.max(...errRe, ...errIm)).toBeLessThan(1e-3);
    });

    it.each([16, 15])('irfft, n = %i', (n) => {
      const bins = Math.floor(n / 2) + 1;
      const re = tf.tensor2d(randomArray(2 * bins, rand), [2, bins]);
      const im = tf.tensor2d(randomArray(2 * bins, rand), [2, bins]);
      expect(Math.max(...gradientCheck((a, b) => irfft({ re: a, im: b }, n), [re, im]))).toBeLessThan(1e-3);
    });

    it.each([16, 6])('fft and ifft, n = %i', (n) => {
      const re = tf.tensor1d(randomArray(n, rand));
      const im = tf.tensor1d(randomArray(n, rand));
      const errs = [
        ...gradientCheck((a, b) => fft({ re: a, im: b }).re, [re, im]),
        ...gradientCheck((a, b) => fft({ re: a, im: b }).im, [re, im]),
        ...gradientCheck((a, b) => ifft({ re: a, im: b }).re, [re, im]),
        ...gradientCheck((a, b) => ifft({ re: a, im: b }).im, [re, im]),
      ];
      expect(Math.max(...errs)).toBeLessThan(1e-3);
    });

    it('a chain rfft -> power spectrum -> irfft (nonlinear)', () => {
      const x = tf.tensor1d(randomArray(16, rand));
      const f = (t: tf.Tensor) => {
        const X = rfft(t, 32);
        return irfft({ re: tf.add(tf.square(X.re), tf.square(X.im)), im: tf.zerosLike(X.im) }, 32);
      };
      expect(gradientCheck(f, [x], { eps: 1e-3 })[0]).toBeLessThan(1e-2);
    });
  });
});
