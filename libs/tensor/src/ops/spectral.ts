import * as tf from '@tensorflow/tfjs';
import { ensureSeqcastKernels } from '../kernels/ensure-kernels';
import { callFft, callIfft, callIrfft, callRfft, Spectrum } from '../kernels/spectral-calls';

export type { Spectrum } from '../kernels/spectral-calls';

/**
 * Real FFT along the last axis, numpy convention: n/2 + 1 bins, no scaling. Rows are
 * zero-padded (or cropped) to `n`, default their own length. Differentiable.
 */
export function rfft(x: tf.Tensor, n?: number): Spectrum {
  ensureSeqcastKernels();
  return callRfft(x, n ?? x.shape[x.shape.length - 1]);
}

/** Inverse of `rfft` for output length n (scaled by 1/n). Differentiable. */
export function irfft(spectrum: Spectrum, n: number): tf.Tensor {
  ensureSeqcastKernels();
  return callIrfft(spectrum, n);
}

/** Complex FFT along the last axis, no scaling. Differentiable. */
export function fft(x: Spectrum): Spectrum {
  ensureSeqcastKernels();
  return callFft(x);
}

/** Inverse complex FFT along the last axis, scaled by 1/n. Differentiable. */
export function ifft(x: Spectrum): Spectrum {
  ensureSeqcastKernels();
  return callIfft(x);
}

/** Elementwise complex product, written with real ops so it differentiates. */
export function complexMul(a: Spectrum, b: Spectrum): Spectrum {
  return {
    re: tf.sub(tf.mul(a.re, b.re), tf.mul(a.im, b.im)),
    im: tf.add(tf.mul(a.re, b.im), tf.mul(a.im, b.re)),
  };
}
