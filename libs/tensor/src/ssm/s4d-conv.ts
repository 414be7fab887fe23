import * as tf from '@tensorflow/tfjs';
import { fftConv } from '../ops/fft-conv';
import { channelSkip } from './channel-skip';
import { s4dKernel } from './s4d-kernel';
import type { S4DWeights } from './s4d-params';

/**
 * S4D's convolution mode, the training path: y = K * u + D u with K = s4dKernel(w, L), the
 * causal convolution by fftConv (native FFT where built; differentiable in u and K).
 * Layout channels first, u: [B, H, L] -> y: [B, H, L] (as fftConv and S4's `transposed`).
 * One kernel holds one dt per channel, so irregular steps cannot go this way: use s4dScan.
 */
export function s4dConv(w: S4DWeights, u: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const L = u.shape[2];
    const y = fftConv(u, s4dKernel(w, L));
    return channelSkip(y as tf.Tensor3D, u, w.d as tf.Tensor1D);
  });
}
