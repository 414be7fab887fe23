import * as tf from '@tensorflow/tfjs';
import { ensureSeqcastKernels } from '../kernels/ensure-kernels';
import { FFT_KERNEL, IFFT_KERNEL, IRFFT_KERNEL, RFFT_KERNEL } from '../kernels/spectral-kernels';

/** A complex tensor as two real tensors of the same shape (see spectral-kernels.ts for why). */
export interface Spectrum {
  re: tf.Tensor;
  im: tf.Tensor;
}

/**
 * Real FFT along the last axis, numpy convention: n/2 + 1 bins, no scaling. Rows are
 * zero-padded (or cropped) to `n`, default their own length. Differentiable.
 */
export function rfft(x: tf.Tensor, n?: number): Spectrum {
  ensureSeqcastKernels();
  const len = n ?? x.shape[x.shape.length - 1];
  const [re, im] = tf
    .engine()
    .runKernel(RFFT_KERNEL, { x }, { n: len } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { re, im };
}

/** Inverse of `rfft` for output length n (scaled by 1/n). Differentiable. */
export function irfft(spectrum: Spectrum, n: number): tf.Tensor {
  ensureSeqcastKernels();
  return tf.engine().runKernel(IRFFT_KERNEL, { re: spectrum.re, im: spectrum.im }, {
    n,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

/** Complex FFT along the last axis, no scaling. Differentiable. */
export function fft(x: Spectrum): Spectrum {
  ensureSeqcastKernels();
  const [re, im] = tf.engine().runKernel(FFT_KERNEL, { re: x.re, im: x.im }) as tf.Tensor[];
  return { re, im };
}

/** Inverse complex FFT along the last axis, scaled by 1/n. Differentiable. */
export function ifft(x: Spectrum): Spectrum {
  ensureSeqcastKernels();
  const [re, im] = tf.engine().runKernel(IFFT_KERNEL, { re: x.re, im: x.im }) as tf.Tensor[];
  return { re, im };
}

/** Elementwise complex product, written with real ops so it differentiates. */
export function complexMul(a: Spectrum, b: Spectrum): Spectrum {
  return {
    re: tf.sub(tf.mul(a.re, b.re), tf.mul(a.im, b.im)),
    im: tf.add(tf.mul(a.re, b.im), tf.mul(a.im, b.re)),
  };
}
