import { Unprocessable } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { ComplexParts, continuousA, discretise, zeroOrderHold } from './s4d-kernel';
import type { S4DWeights } from './s4d-params';
import { s4dScanOp } from './s4d-scan-op';

/**
 * S4D's recurrent mode, the same parameters as the kernel:
 *   x_t = dA x_{t-1} + dB u_t,   y_t = 2 Re(sum_n C_n x_t,n) + D u_t,   x_{-1} = 0,
 * with the state x complex, [B, H, M] (M = N/2 modes per channel), held as two real tensors.
 *
 * Irregular sampling: `dtScale` multiplies the layer's learned steps, dt_t[b, h] =
 * exp(logDt[h]) * dtScale[b, t] (e.g. the gap before sample t over the series' nominal gap),
 * and each step is discretised by its own zero-order hold: the input is held over the
 * interval that ends at sample t, so dtScale[b, 0] only scales dB for the first input.
 * A factor of 1 everywhere is the regular layer.
 */
// a type, not an interface, so that tf.tidy accepts it as a TensorContainer
export type S4DState = {
  re: tf.Tensor3D;
  im: tf.Tensor3D;
};

export function s4dZeroState(batch: number, w: S4DWeights): S4DState {
  const [H, M] = w.cRe.shape;
  return { re: tf.zeros([batch, H, M]), im: tf.zeros([batch, H, M]) };
}

/** y = 2 Re(sum_n C_n x_n) + D u over a state with modes on axis 2 (C, D broadcast in `cShape`, `dShape`). */
function readOut(
  w: S4DWeights,
  x: ComplexParts,
  u: tf.Tensor,
  cShape: number[],
  dShape: number[],
): tf.Tensor {
  const cRe = tf.reshape(w.cRe, cShape);
  const cIm = tf.reshape(w.cIm, cShape);
  const cx = tf.sum(tf.sub(tf.mul(cRe, x.re), tf.mul(cIm, x.im)), 2);
  return tf.add(tf.mul(cx, 2), tf.mul(u, tf.reshape(w.d, dShape)));
}

/**
 * One step for generation: u: [B, H] -> y: [B, H] and the next state. `dtScale` [B] for an
 * irregular step; `discrete` reuses a discretisation (s4d-kernel.ts `discretise`) across the
 * steps of a regular rollout.
 */
export function s4dStep(
  w: S4DWeights,
  state: S4DState,
  u: tf.Tensor2D,
  options: { dtScale?: tf.Tensor1D; discrete?: { dA: ComplexParts; dB: ComplexParts } } = {},
): { y: tf.Tensor2D; state: S4DState } {
  return tf.tidy(() => {
    let dA: ComplexParts;
    let dB: ComplexParts;
    if (options.dtScale) {
      const dt = tf.mul(tf.reshape(tf.exp(w.logDt), [1, -1, 1]), tf.reshape(options.dtScale, [-1, 1, 1]));
      ({ dA, dB } = zeroOrderHold(continuousA(w), { re: w.bRe, im: w.bIm }, dt)); // [B, H, M]
    } else ({ dA, dB } = options.discrete ?? discretise(w)); // [H, M]
    const u3 = tf.expandDims(u, 2);
    const re = tf.add(tf.sub(tf.mul(dA.re, state.re), tf.mul(dA.im, state.im)), tf.mul(dB.re, u3));
    const im = tf.add(tf.add(tf.mul(dA.re, state.im), tf.mul(dA.im, state.re)), tf.mul(dB.im, u3));
    const y = readOut(w, { re, im }, u, [1, ...w.cRe.shape], [1, -1]) as tf.Tensor2D;
    return { y, state: { re: re as tf.Tensor3D, im: im as tf.Tensor3D } };
  });
}

/**
 * The recurrence over a whole sequence, u: [B, H, L] -> y: [B, H, L] and the last state,
 * starting from `state` (zero if absent). With `dtScale` [B, L] every (sample, step) has its
 * own discretisation: the path for irregularly sampled input, which a convolution kernel
 * cannot express. Differentiable in the weights, u, dtScale and the initial state (s4dScanOp
 * carries the adjoint). Sequential float64 JS, O(B H N L): at B 16, H 64, N 64, L 512 a block's
 * forward and backward took about as long as the convolution mode with regular steps or gaps
 * of whole steps, and ~10x longer with continuous gaps (one exp, cos and sin per mode and step).
 */
export function s4dScan(
  w: S4DWeights,
  u: tf.Tensor3D,
  options: { dtScale?: tf.Tensor2D; state?: S4DState } = {},
): { y: tf.Tensor3D; state: S4DState } {
  const [B, H, L] = u.shape;
  const [, M] = w.cRe.shape;
  const s = options.dtScale;
  if (s && (s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== L))
    throw new Unprocessable(
      `s4dScan: dtScale [${s.shape}] does not match the input's [B, L] = [${B}, ${L}]`,
      [{ field: 'dtScale', reason: `expected shape [${B}, ${L}]` }],
    );
  if (L < 1)
    throw new Unprocessable('s4dScan: empty sequence', [{ field: 'u', reason: 'needs at least one step' }]);
  return tf.tidy(() => {
    const out = s4dScanOp(w, u, s ?? null, options.state ?? null); // [B, H, L + 2M]
    const part = (from: number, size: number) => tf.slice(out, [0, 0, from], [B, H, size]) as tf.Tensor3D;
    return { y: part(0, L), state: { re: part(L, M), im: part(L + M, M) } };
  });
}
