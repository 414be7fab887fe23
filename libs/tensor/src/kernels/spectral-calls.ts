import * as tf from '@tensorflow/tfjs';
import { FFT_KERNEL, IFFT_KERNEL, IRFFT_KERNEL, RFFT_KERNEL } from './spectral-kernels';

/** A complex tensor as two real tensors of the same shape (see spectral-kernels.ts for why). */
export interface Spectrum {
  re: tf.Tensor;
  im: tf.Tensor;
}

/*
 * The spectral kernels called as they are, without checking that they are registered: the
 * ops call these after ensuring the kernels, the gradients call them directly (a gradient
 * runs only after its forward kernel has), so the gradients need not import the ops.
 */

export function callRfft(x: tf.Tensor, n: number): Spectrum {
  const [re, im] = tf
    .engine()
    .runKernel(RFFT_KERNEL, { x }, { n } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return { re, im };
}

export function callIrfft(spectrum: Spectrum, n: number): tf.Tensor {
  return tf.engine().runKernel(IRFFT_KERNEL, { re: spectrum.re, im: spectrum.im }, {
    n,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

export function callFft(x: Spectrum): Spectrum {
  const [re, im] = tf.engine().runKernel(FFT_KERNEL, { re: x.re, im: x.im }) as tf.Tensor[];
  return { re, im };
}

export function callIfft(x: Spectrum): Spectrum {
  const [re, im] = tf.engine().runKernel(IFFT_KERNEL, { re: x.re, im: x.im }) as tf.Tensor[];
  return { re, im };
}
