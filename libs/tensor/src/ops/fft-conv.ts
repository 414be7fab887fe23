import { Unprocessable } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { ensureSeqcastKernels } from '../kernels/ensure-kernels';
import { FFT_CONV_KERNEL } from '../kernels/fft-conv-kernel';

/**
 * Causal long convolution along the last axis: y[..., t] = sum_{s <= t} k[s] u[..., t - s].
 *
 * u: [..., C, L] (channels first, as the SSM layers hold their state); k: [C, K] shared
 * by every leading (batch) index, or one kernel per row of u (k.shape = [..., C, K]).
 * K may differ from L; taps beyond L cannot reach an output. Differentiable in u and k,
 * computed with real FFTs of length >= L + K - 1: the cheapest 7-smooth length on the
 * native FFT, 5-smooth on the JS plans (fft/conv-size.ts).
 */
export function fftConv(u: tf.Tensor, k: tf.Tensor): tf.Tensor {
  ensureSeqcastKernels();
  const perRow = k.rank === u.rank && k.shape.slice(0, -1).every((d, i) => d === u.shape[i]);
  const perChannel = k.rank === 2 && u.rank >= 2 && k.shape[0] === u.shape[u.rank - 2];
  if (u.rank < 1 || !(perRow || perChannel)) {
    throw new Unprocessable(
      `fftConv: kernel shape [${k.shape}] fits neither [C, K] nor [..., C, K] for signal [${u.shape}]`,
      [{ field: 'k', reason: `expected [${u.shape.slice(-2, -1)}, K] or [${u.shape.slice(0, -1)}, K]` }],
    );
  }
  return tf.engine().runKernel(FFT_CONV_KERNEL, { u, k }) as tf.Tensor;
}

/** The same convolution by the definition, O(L * K): for tests and tiny sizes. */
export function directCausalConv(u: tf.Tensor, k: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const L = u.shape[u.shape.length - 1];
    const K = Math.min(k.shape[k.shape.length - 1], L);
    let y = tf.zerosLike(u);
    for (let s = 0; s < K; s++) {
      const shifted = tf.pad(
        tf.slice(
          u,
          u.shape.map(() => 0),
          [...u.shape.slice(0, -1), L - s],
        ),
        [...u.shape.slice(0, -1).map(() => [0, 0] as [number, number]), [s, 0]],
      );
      const tap = tf.slice(k, [...k.shape.slice(0, -1).map(() => 0), s], [...k.shape.slice(0, -1), 1]);
      y = tf.add(y, tf.mul(shifted, tap));
    }
    return y;
  });
}
