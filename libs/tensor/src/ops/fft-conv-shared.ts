import { Unprocessable } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { convFftSize } from '../fft/conv-size';
import { ensureSeqcastKernels } from '../kernels/ensure-kernels';
import { FFT_CONV_GRAD_KERNEL, FFT_CONV_KERNEL } from '../kernels/fft-conv-kernel';
import { borrowFloats, outputFloats } from '../kernels/borrowed-floats';
import { nativeFftFor } from '../kernels/native-fft';

const f32 = borrowFloats;

/**
 * M causal convolutions of one signal: y[m] = fftConv(u, k[m]), u [..., C, L], k [M, C, K]
 * (per-channel kernels shared by the batch) -> y [M, ..., C, L]. SpaceTime's decoder convolves
 * its input with two kernels (open-loop output, next-input prediction); done together, u is
 * transformed once per row forward, and backward the M gradients with respect to u are summed
 * as spectra under one inverse transform: per row 1 + M transforms forward instead of 2 M,
 * and M + 2 backward instead of 3 M. On the native FFT; elsewhere it runs fftConv's kernels
 * once per kernel set (the same values to float rounding).
 */
export function fftConvShared(u: tf.Tensor, k: tf.Tensor3D): tf.Tensor {
  ensureSeqcastKernels();
  const [M, C, K] = k.shape;
  if (u.rank < 2 || u.shape[u.rank - 2] !== C) {
    throw new Unprocessable(`fftConvShared: kernels [${k.shape}] do not fit signal [${u.shape}]`, [
      { field: 'k', reason: `expected [M, ${u.shape[u.rank - 2]}, K]` },
    ]);
  }
  const L = u.shape[u.rank - 1];
  const rows = u.size / Math.max(1, L);
  const n = convFftSize(L, K, true);
  const nk = L > 0 && rows > 0 && K > 0 ? nativeFftFor(n) : null;
  const op = tf.customGrad((...args: unknown[]) => {
    const [ut, kt] = args as [tf.Tensor, tf.Tensor3D];
    const save = args[2] as tf.GradSaveFunc;
    save([ut, kt]);
    let value: tf.Tensor;
    if (nk) {
      const y = outputFloats(M * rows * L); // every element written
      nk.fftConvSharedForward(f32(ut), f32(kt), rows, L, C, K, n, M, y);
      value = tf.tensor(y, [M, ...u.shape]);
    } else {
      value = tf.tidy(() =>
        tf.stack(
          tf.unstack(kt).map((km) => tf.engine().runKernel(FFT_CONV_KERNEL, { u: ut, k: km }) as tf.Tensor),
        ),
      );
    }
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = Array.isArray(dy) ? dy[0] : dy;
      const [us, ks] = saved as [tf.Tensor, tf.Tensor3D];
      if (nk) {
        const du = outputFloats(rows * L); // every element written
        const dk = new Float32Array(M * C * K);
        nk.fftConvSharedBackward(f32(g), f32(us), f32(ks), rows, L, C, K, n, M, du, dk);
        return [tf.tensor(du, us.shape), tf.tensor3d(dk, ks.shape)];
      }
      return tf.tidy(() => {
        const parts = tf
          .unstack(g)
          .map(
            (gm, m) =>
              tf
                .engine()
                .runKernel(FFT_CONV_GRAD_KERNEL, { dy: gm, u: us, k: tf.gather(ks, m) }) as tf.Tensor[],
          );
        return [tf.addN(parts.map((p) => p[0])), tf.stack(parts.map((p) => p[1]))];
      });
    };
    return { value, gradFunc };
  });
  return op(u, k);
}
