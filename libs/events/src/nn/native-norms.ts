import { NativeKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { LayerNormSaved } from './pass-types';

/* fused-norms.ts's passes on the native kernels: each one native call (the same formulas in C++). */

export function nativeLayerNormForward(
  nk: NativeKernels,
  xs: Float32Array,
  g: Float32Array,
  bb: Float32Array,
  d: number,
  eps = 1e-5,
): { y: Float32Array; saved: LayerNormSaved } {
  const xhat = new Float32Array(xs.length);
  const inv = new Float64Array(xs.length / d);
  const y = new Float32Array(xs.length);
  nk.layerNormForward(xs, g, bb, d, eps, y, xhat, inv);
  return { y, saved: { xhat, inv } };
}

export function nativeLayerNormBackward(
  nk: NativeKernels,
  gy: Float32Array,
  g: Float32Array,
  { xhat, inv }: LayerNormSaved,
  d: number,
): { dx: Float32Array; dg: Float32Array; db: Float32Array } {
  const dx = new Float32Array(gy.length);
  const dg = new Float64Array(d);
  const db = new Float64Array(d);
  nk.layerNormBackward(gy, g, xhat, inv, d, dx, dg, db);
  return { dx, dg: Float32Array.from(dg), db: Float32Array.from(db) };
}

export function nativeGeluForward(nk: NativeKernels, xs: Float32Array): { y: Float32Array; th: Float32Array } {
  const y = new Float32Array(xs.length);
  const th = new Float32Array(xs.length);
  nk.geluForward(xs, y, th);
  return { y, th };
}

export function nativeGeluBackward(nk: NativeKernels, xs: Float32Array, th: Float32Array, gy: Float32Array): Float32Array {
  const dx = new Float32Array(xs.length);
  nk.geluBackward(xs, th, gy, dx);
  return dx;
}

/**
 * softplus(x) = log(1 + e^x) as one op, one vector pass each way (tfjs-cpu's softplus calls
 * Math.exp and Math.log per element, and its gradient is two more ops).
 */
export function nativeSoftplus(nk: NativeKernels, x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((xt: tf.Tensor) => {
    const xs = xt.dataSync() as Float32Array;
    const y = Float32Array.from(xs);
    nk.softplus(y, 0, y.length);
    const gradFunc = (dy: tf.Tensor) => {
      const dx = Float32Array.from(xs);
      nk.sigmoid(dx, 0, dx.length);
      const g = dy.dataSync();
      for (let i = 0; i < dx.length; i++) dx[i] *= g[i];
      return [tf.tensor(dx, xt.shape)];
    };
    return { value: tf.tensor(y, xt.shape), gradFunc };
  }) as never);
  return op(x) as tf.Tensor;
}
