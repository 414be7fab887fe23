import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { maxAbsDiff, naiveDft, randomArray, seededRandom } from '../testing/oracles';
import { registerCpuFftKernels } from './fft-cpu';

describe('cpu FFT/IFFT kernel overrides (tf.spectral)', () => {
  const rand = seededRandom(5);
  beforeAll(async () => {
    await selectBackend('cpu');
    registerCpuFftKernels();
  });

  it.each([16, 10])('tf.spectral.fft / ifft match the naive DFT, n = %i', (n) => {
    const re = randomArray(n, rand);
    const im = randomArray(n, rand);
    const z = tf.complex(re, im);
    const Z = tf.spectral.fft(z);
    const [dr, di] = naiveDft(re, im);
    expect(maxAbsDiff(tf.real(Z).dataSync(), dr)).toBeLessThan(1e-4);
    expect(maxAbsDiff(tf.imag(Z).dataSync(), di)).toBeLessThan(1e-4);
    const back = tf.spectral.ifft(Z);
    expect(maxAbsDiff(tf.real(back).dataSync(), re)).toBeLessThan(1e-5);
  });

  it('tf.spectral.rfft / irfft round trip on a batch', () => {
    const x = tf.tensor2d(randomArray(4 * 32, rand), [4, 32]);
    const X = tf.spectral.rfft(x);
    expect(X.shape).toEqual([4, 17]);
    expect(maxAbsDiff(tf.spectral.irfft(X).dataSync(), x.dataSync())).toBeLessThan(1e-5);
  });
});
