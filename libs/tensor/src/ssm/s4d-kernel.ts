import * as tf from '@tensorflow/tfjs';
import { s4dKernelFused } from './s4d-kernel-op';
import type { S4DWeights } from './s4d-params';

/** A complex tensor as its two real parts. */
export interface ComplexParts {
  re: tf.Tensor;
  im: tf.Tensor;
}

/** A = -exp(logAReal) + i aImag, [H, M]. */
export function continuousA(w: S4DWeights): ComplexParts {
  return { re: tf.neg(tf.exp(w.logAReal)), im: w.aImag };
}

/**
 * Zero-order hold for the diagonal system x' = A x + B u over a step dt:
 *   dA = exp(dt A),  dB = (exp(dt A) - 1) / A * B.
 * `dt` broadcasts against A and B (dt [H, 1] for the layer's own steps; [B, H, 1, L] for one
 * step per sample and time). exp(dt A) - 1 is formed as expm1(dt Re A) cos(dt Im A)
 * - 2 sin^2(dt Im A / 2) + i exp(dt Re A) sin(dt Im A): the same number as exp - 1, without
 * float32's cancellation when dt |A| is small (dt = 0.001 would lose 4 of 7 digits).
 */
export function zeroOrderHold(
  A: ComplexParts,
  B: ComplexParts,
  dt: tf.Tensor,
): { dA: ComplexParts; dB: ComplexParts } {
  const xr = tf.mul(A.re, dt);
  const xi = tf.mul(A.im, dt);
  const mag = tf.exp(xr);
  const cos = tf.cos(xi);
  const sin = tf.sin(xi);
  const dA = { re: tf.mul(mag, cos), im: tf.mul(mag, sin) };
  const halfSin = tf.sin(tf.mul(xi, 0.5));
  const numRe = tf.sub(tf.mul(tf.expm1(xr), cos), tf.mul(2, tf.square(halfSin)));
  const numIm = dA.im;
  // (num / A) = num conj(A) / |A|^2
  const norm2 = tf.add(tf.square(A.re), tf.square(A.im));
  const qRe = tf.div(tf.add(tf.mul(numRe, A.re), tf.mul(numIm, A.im)), norm2);
  const qIm = tf.div(tf.sub(tf.mul(numIm, A.re), tf.mul(numRe, A.im)), norm2);
  return { dA, dB: complexMulParts({ re: qRe, im: qIm }, B) };
}

export function complexMulParts(a: ComplexParts, b: ComplexParts): ComplexParts {
  return {
    re: tf.sub(tf.mul(a.re, b.re), tf.mul(a.im, b.im)),
    im: tf.add(tf.mul(a.re, b.im), tf.mul(a.im, b.re)),
  };
}

/** The layer's discretisation at its own steps dt[h] = exp(logDt[h]): dA, dB [H, M]. */
export function discretise(w: S4DWeights): { dA: ComplexParts; dB: ComplexParts } {
  const dt = tf.expandDims(tf.exp(w.logDt), 1);
  return zeroOrderHold(continuousA(w), { re: w.bRe, im: w.bIm }, dt);
}

/**
 * The S4D convolution kernel, [H, L]:
 *   K[h, l] = 2 Re( sum_n C[h, n] dB[h, n] dA[h, n]^l ),  l < L,
 * the impulse response of the recurrence x_l = dA x_{l-1} + dB u_l, y_l = 2 Re(C x_l) (the
 * factor 2 adds each mode's conjugate). The powers are a Vandermonde matrix computed at once,
 * dA^l = exp(l dt Re A) (cos(l dt Im A) + i sin(l dt Im A)) from the outer product of
 * positions and dt A ([H, M, L]), and contracted with C dB by a batched matrix product.
 * Plain tf ops, differentiable in every weight: the reference the fused op's specs compare
 * against (s4dKernel is the fused op; this one is exported for the specs only).
 */
export function s4dKernelOps(w: S4DWeights, L: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [H, M] = w.cRe.shape;
    const A = continuousA(w);
    const dt = tf.expandDims(tf.exp(w.logDt), 1); // [H, 1]
    const { dB } = zeroOrderHold(A, { re: w.bRe, im: w.bIm }, dt);
    const cb = complexMulParts({ re: w.cRe, im: w.cIm }, dB); // [H, M]
    const pos = tf.reshape(tf.range(0, L, 1, 'float32'), [1, 1, L]);
    const logRe = tf.mul(tf.expandDims(tf.mul(A.re, dt), 2), pos); // [H, M, L]
    const logIm = tf.mul(tf.expandDims(tf.mul(A.im, dt), 2), pos);
    const mag = tf.exp(logRe);
    const vRe = tf.mul(mag, tf.cos(logIm));
    const vIm = tf.mul(mag, tf.sin(logIm));
    const k = tf.sub(
      tf.matMul(tf.reshape(cb.re, [H, 1, M]), vRe),
      tf.matMul(tf.reshape(cb.im, [H, 1, M]), vIm),
    );
    return tf.mul(tf.reshape(k, [H, L]), 2) as tf.Tensor2D;
  });
}

/**
 * The S4D convolution kernel K[h, l] = 2 Re(sum_n C dB dA^l), [H, L], as one fused op with a
 * closed-form backward (s4d-kernel-op.ts): the same number as s4dKernelOps in float64 loops,
 * without its [H, M, L] intermediates.
 */
export function s4dKernel(w: S4DWeights, L: number): tf.Tensor2D {
  return s4dKernelFused(w, L);
}
