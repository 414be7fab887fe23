import { ConfigError } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { maxAbsDiff, naiveDft, randomArray, seededRandom } from '../testing/oracles';
import { fftConv } from '../ops/fft-conv';
import { nativeKernels } from '../kernels/native-kernels';
import { getBackendInfo, selectBackend } from './select-backend';

describe('selectBackend', () => {
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('auto skips the absent native and WebGPU backends and lands on cpu with the native kernels, else wasm', async () => {
    const info = await selectBackend('auto');
    expect(info.name).toBe(nativeKernels() ? 'cpu' : 'wasm');
    expect(info.kernels).toBe('seqcast-fast');
    expect(info.skipped.join(' ')).toMatch(/tfjs-node/);
    expect(info.skipped.join(' ')).toMatch(/webgpu/);
    expect(getBackendInfo()).toEqual(info);
  });

  it('fails clearly for a backend asked by name that is not installed', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(ConfigError);
    await expect(selectBackend('tensorflow')).rejects.toThrow(
      /TF_BACKEND: backend 'tensorflow' is not available/,
    );
    // no GPU adapter on this machine (or no `webgpu` package): a clear error, not a silent CPU run
    await expect(selectBackend('webgpu')).rejects.toThrow(/TF_BACKEND: backend 'webgpu' is not available: webgpu: /);
    await expect(selectBackend('gpu-please')).rejects.toThrow(
      /not one of auto, tensorflow, webgpu, wasm, cpu/,
    );
  });

  it('wasm: tf.spectral works through our complex kernels, and so do fftConv and its gradient', async () => {
    const info = await selectBackend('wasm');
    expect(info.name).toBe('wasm');
    const rand = seededRandom(9);
    const x = randomArray(12, rand);
    const X = tf.spectral.rfft(tf.tensor1d(x));
    const [dr, di] = naiveDft(x, new Array(12).fill(0));
    expect(maxAbsDiff(tf.real(X).dataSync(), dr.slice(0, 7))).toBeLessThan(1e-4);
    expect(maxAbsDiff(tf.imag(X).dataSync(), di.slice(0, 7))).toBeLessThan(1e-4);
    expect(maxAbsDiff(tf.spectral.irfft(X).dataSync(), x)).toBeLessThan(1e-5);
    const u = tf.tensor3d(randomArray(2 * 2 * 8, rand), [2, 2, 8]);
    const k = tf.tensor2d(randomArray(2 * 8, rand), [2, 8]);
    const onWasm = fftConv(u, k).dataSync();
    const gradWasm = tf
      .grad((kk: tf.Tensor) => tf.sum(fftConv(u, kk)))(k)
      .dataSync();
    await selectBackend('cpu');
    const uc = tf.tensor3d(u.dataSync() as Float32Array, [2, 2, 8]);
    const kc = tf.tensor2d(k.dataSync() as Float32Array, [2, 8]);
    expect(maxAbsDiff(onWasm, fftConv(uc, kc).dataSync())).toBeLessThan(1e-6);
    expect(
      maxAbsDiff(
        gradWasm,
        tf
          .grad((kk: tf.Tensor) => tf.sum(fftConv(uc, kk)))(kc)
          .dataSync(),
      ),
    ).toBeLessThan(1e-6);
  });
});
