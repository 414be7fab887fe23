import * as tf from '@tensorflow/tfjs';

/**
 * Layer normalisation and GELU as single tfjs ops with hand-written gradients.
 *
 * Why: written with tfjs ops, layerNorm is ~8 ops forward and ~20 backward (moments,
 * broadcasts, their reductions) and the tanh-GELU ~9 and ~15; on tfjs-cpu each op costs
 * tens of microseconds whatever its size, and the attention models call both in every
 * layer of every step. One op each, with the loops below, costs one pass over the data.
 * The spec checks values and gradients against the tfjs-op formulas.
 */

/** y = (x - mean) / sqrt(var + eps) * gamma + beta over the last axis (population variance). */
export function fusedLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  const d = x.shape[x.shape.length - 1];
  if (gamma.size !== d || beta.size !== d)
    throw new Error(`fusedLayerNorm: gamma/beta must have ${d} values`);
  const op = tf.customGrad(((xt: tf.Tensor, gt: tf.Tensor, bt: tf.Tensor) => {
    const xs = xt.dataSync() as Float32Array;
    const g = gt.dataSync() as Float32Array;
    const bb = bt.dataSync() as Float32Array;
    const rows = xs.length / d;
    const xhat = new Float32Array(xs.length);
    const inv = new Float64Array(rows);
    const y = new Float32Array(xs.length);
    for (let r = 0, o = 0; r < rows; r++, o += d) {
      let mean = 0;
      for (let i = 0; i < d; i++) mean += xs[o + i];
      mean /= d;
      let v = 0;
      for (let i = 0; i < d; i++) v += (xs[o + i] - mean) ** 2;
      const s = 1 / Math.sqrt(v / d + eps);
      inv[r] = s;
      for (let i = 0; i < d; i++) {
        const h = (xs[o + i] - mean) * s;
        xhat[o + i] = h;
        y[o + i] = h * g[i] + bb[i];
      }
    }
    const value = tf.tensor(y, xt.shape);
    const gradFunc = (dy: tf.Tensor) => {
      const gy = dy.dataSync() as Float32Array;
      const dx = new Float32Array(xs.length);
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
      return [
        tf.tensor(dx, xt.shape),
        tf.tensor(Float32Array.from(dg), gt.shape),
        tf.tensor(Float32Array.from(db), bt.shape),
      ];
    };
    return { value, gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(x, gamma, beta) as tf.Tensor;
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

/** GELU, tanh approximation: 0.5 x (1 + tanh(c (x + a x^3))). */
export function fusedGelu(x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((xt: tf.Tensor) => {
    const xs = xt.dataSync() as Float32Array;
    const th = new Float32Array(xs.length);
    const y = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i];
      const t = Math.tanh(GELU_C * (v + GELU_A * v * v * v));
      th[i] = t;
      y[i] = 0.5 * v * (1 + t);
    }
    const value = tf.tensor(y, xt.shape);
    const gradFunc = (dy: tf.Tensor) => {
      const gy = dy.dataSync() as Float32Array;
      const dx = new Float32Array(xs.length);
      for (let i = 0; i < xs.length; i++) {
        const v = xs[i];
        const t = th[i];
        dx[i] = gy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v));
      }
      return [tf.tensor(dx, xt.shape)];
    };
    return { value, gradFunc };
  }) as never);
  return op(x) as tf.Tensor;
}
