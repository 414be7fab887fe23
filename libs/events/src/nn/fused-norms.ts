import { geluTanhArgument, geluTanhDerivative, geluTanhValue } from '@seqcast/numeric';
import { kernelArena } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { pass } from './native-passes';
import type { LayerNormSaved } from './pass-types';

/**
 * Layer normalisation and GELU as single tfjs ops with hand-written gradients, and the
 * loops behind them on Float32Arrays (the fused encoder layer calls those directly).
 *
 * Why: written with tfjs ops, layerNorm is ~8 ops forward and ~20 backward (moments,
 * broadcasts, their reductions) and the tanh-GELU ~9 and ~15; on tfjs-cpu each op costs
 * tens of microseconds whatever its size, and the attention models call both in every
 * layer of every step. One op each, with the loops below, costs one pass over the data.
 * The spec checks values and gradients against the tfjs-op formulas. Where the native
 * kernels are in use each pass is one native call (native-norms.ts, registered in
 * native-passes.ts).
 */

/** y = (x - mean) / sqrt(var + eps) * gamma + beta over rows of d (population variance). */
export const layerNormForward = pass('layerNormForward', layerNormForwardJs);

function layerNormForwardJs(
  xs: Float32Array,
  g: Float32Array,
  bb: Float32Array,
  d: number,
  eps = 1e-5,
): { y: Float32Array; saved: LayerNormSaved } {
  const rows = xs.length / d;
  const xhat = new Float32Array(xs.length);
  const inv = new Float64Array(rows);
  const y = new Float32Array(xs.length);
  for (let r = 0, o = 0; r < rows; r++, o += d) {
    let mean = 0;
    for (let i = 0; i < d; i++) mean += xs[o + i];
    mean /= d;
    let v = 0;
    for (let i = 0; i < d; i++) {
      const c = xs[o + i] - mean;
      v += c * c;
    }
    const s = 1 / Math.sqrt(v / d + eps);
    inv[r] = s;
    for (let i = 0; i < d; i++) {
      const h = (xs[o + i] - mean) * s;
      xhat[o + i] = h;
      y[o + i] = h * g[i] + bb[i];
    }
  }
  return { y, saved: { xhat, inv } };
}

/** Gradients of layerNormForward: dx, and dgamma, dbeta summed over rows in float64. */
export const layerNormBackward = pass('layerNormBackward', layerNormBackwardJs);

function layerNormBackwardJs(
  gy: Float32Array,
  g: Float32Array,
  { xhat, inv }: LayerNormSaved,
  d: number,
): { dx: Float32Array; dg: Float32Array; db: Float32Array } {
  const rows = gy.length / d;
  const dx = new Float32Array(gy.length);
  const dg = new Float64Array(d);
  const db = new Float64Array(d);
  for (let r = 0, o = 0; r < rows; r++, o += d) {
    // dx = inv (dxhat - mean(dxhat) - xhat mean(dxhat xhat)), dxhat = dy gamma
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i < d; i++) {
      const dh = gy[o + i] * g[i];
      m1 += dh;
      m2 += dh * xhat[o + i];
      dg[i] += gy[o + i] * xhat[o + i];
      db[i] += gy[o + i];
    }
    m1 /= d;
    m2 /= d;
    for (let i = 0; i < d; i++) dx[o + i] = inv[r] * (gy[o + i] * g[i] - m1 - xhat[o + i] * m2);
  }
  return { dx, dg: Float32Array.from(dg), db: Float32Array.from(db) };
}

export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const d = x.shape[x.shape.length - 1];
  if (gamma.size !== d || beta.size !== d)
    throw new Error(`fusedLayerNorm: gamma/beta must have ${d} values`);
  const op = tf.customGrad(((xt: tf.Tensor, gt: tf.Tensor, bt: tf.Tensor) => {
    const g = gt.dataSync() as Float32Array;
    const { y, saved } = layerNormForward(xt.dataSync() as Float32Array, g, bt.dataSync() as Float32Array, d, eps);
    const gradFunc = (dy: tf.Tensor) => {
      const r = layerNormBackward(dy.dataSync() as Float32Array, g, saved, d);
      return [tf.tensor(r.dx, xt.shape), tf.tensor(r.dg, gt.shape), tf.tensor(r.db, bt.shape)];
    };
    return { value: tf.tensor(y, xt.shape), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(x, gamma, beta) as tf.Tensor;
}

/**
 * GELU, tanh approximation: 0.5 x (1 + tanh(c (x + a x^3))); also returns the tanh for the
 * backward pass. The tanh runs on the kernel arena (wasm SIMD where available): Math.tanh
 * cost ~50 ns a value, most of an encoder layer's JS time.
 */
export const geluForward = pass('geluForward', geluForwardJs);

function geluForwardJs(xs: Float32Array): { y: Float32Array; th: Float32Array } {
  const n = xs.length;
  const arena = kernelArena(n);
  const buf = arena.buf;
  for (let i = 0; i < n; i++) buf[i] = geluTanhArgument(xs[i]);
  arena.tanh(0, n);
  const th = buf.slice(0, n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = geluTanhValue(xs[i], th[i]);
  return { y, th };
}

/** dL/dx of geluForward given dL/dy. */
export const geluBackward = pass('geluBackward', geluBackwardJs);

function geluBackwardJs(xs: Float32Array, th: Float32Array, gy: Float32Array): Float32Array {
  const dx = new Float32Array(xs.length);
  for (let i = 0; i < xs.length; i++) dx[i] = gy[i] * geluTanhDerivative(xs[i], th[i]);
  return dx;
}

export function fusedGelu(x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((xt: tf.Tensor) => {
    const xs = xt.dataSync() as Float32Array;
    const { y, th } = geluForward(xs);
    const gradFunc = (dy: tf.Tensor) => [tf.tensor(geluBackward(xs, th, dy.dataSync() as Float32Array), xt.shape)];
    return { value: tf.tensor(y, xt.shape), gradFunc };
  }) as never);
  return op(x) as tf.Tensor;
}

/**
 * softplus(x) = log(1 + e^x) as one op: on the native kernels one vector pass each way
 * (native-norms.ts); elsewhere tf.softplus itself.
 */
export const fusedSoftplus = pass('softplus', (x: tf.Tensor) => tf.softplus(x));
