import * as tf from '@tensorflow/tfjs';
import { callFft, callIfft, callIrfft, callRfft } from './spectral-calls';
import { FFT_KERNEL, IFFT_KERNEL, IRFFT_KERNEL, RFFT_KERNEL, RfftAttrs } from './spectral-kernels';

/**
 * Gradients of the spectral kernels. Convention: the gradient of a complex quantity z
 * is dL/dRe(z) + i dL/dIm(z) (PyTorch's convention), so a linear map's gradient is
 * its adjoint:
 *   fft:   y = F x            -> dx = F^H g = n * ifft(g)
 *   ifft:  y = F^H x / n      -> dx = fft(g) / n
 *   rfft:  X_k = sum_t x_t e^{-2 pi i k t / n}, k <= n/2
 *          -> dx_t = sum_k Re(g_k e^{+2 pi i k t / n}) = n * irfft(g with inner bins halved)
 *   irfft: x_t = (1/n) sum_k c_k Re(X_k e^{+2 pi i k t / n}), c = 1 at DC/Nyquist, else 2
 *          -> dX = (c_k / n) * rfft(g)
 * The tests check every one of these against finite differences.
 */

/** Per-bin weights: `edge` at DC (and Nyquist when n is even), `inner` elsewhere. */
function binWeights(n: number, edge: number, inner: number): tf.Tensor1D {
  const bins = Math.floor(n / 2) + 1;
  const w = new Float32Array(bins).fill(inner);
  w[0] = edge;
  if (n % 2 === 0) w[bins - 1] = edge;
  return tf.tensor1d(w);
}

function lastDim(t: tf.Tensor): number {
  return t.shape[t.shape.length - 1];
}

/** Crops or zero-pads the last axis to `len`. */
function fitLastAxis(t: tf.Tensor, len: number): tf.Tensor {
  const have = lastDim(t);
  if (have === len) return t;
  if (have > len)
    return tf.slice(
      t,
      t.shape.map(() => 0),
      [...t.shape.slice(0, -1), len],
    );
  const pad = t.shape.map(() => [0, 0] as [number, number]);
  pad[pad.length - 1] = [0, len - have];
  return tf.pad(t, pad);
}

let registered = false;

export function registerSpectralGradients(): void {
  if (registered) return;
  registered = true;

  tf.registerGradient({
    kernelName: RFFT_KERNEL,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [gRe, gIm] = dy as tf.Tensor[];
      const [x] = saved;
      const n = (attrs as unknown as RfftAttrs).n;
      return {
        x: () => {
          const w = binWeights(n, 1, 0.5);
          const full = tf.mul(callIrfft({ re: tf.mul(gRe, w), im: tf.mul(gIm, w) }, n), n);
          return fitLastAxis(full, lastDim(x));
        },
      };
    },
  });

  tf.registerGradient({
    kernelName: IRFFT_KERNEL,
    gradFunc: (dy, _saved, attrs) => {
      const n = (attrs as unknown as RfftAttrs).n;
      const g = callRfft(dy as tf.Tensor, n);
      const w = () => binWeights(n, 1 / n, 2 / n);
      return { re: () => tf.mul(g.re, w()), im: () => tf.mul(g.im, w()) };
    },
  });

  tf.registerGradient({
    kernelName: FFT_KERNEL,
    gradFunc: (dy) => {
      const [gRe, gIm] = dy as tf.Tensor[];
      const n = lastDim(gRe);
      const r = callIfft({ re: gRe, im: gIm });
      return { re: () => tf.mul(r.re, n), im: () => tf.mul(r.im, n) };
    },
  });

  tf.registerGradient({
    kernelName: IFFT_KERNEL,
    gradFunc: (dy) => {
      const [gRe, gIm] = dy as tf.Tensor[];
      const n = lastDim(gRe);
      const r = callFft({ re: gRe, im: gIm });
      return { re: () => tf.div(r.re, n), im: () => tf.div(r.im, n) };
    },
  });
}
