import * as tf from '@tensorflow/tfjs';
import { fusedGelu, fusedLayerNorm } from './fused-norms';
import { pass } from './native-passes';
import { ParamStore } from './params';
import type { DenseParams } from './pass-types';

/** x [..., in] times W [in, out] plus b, for any leading shape. */
export function dense(x: tf.Tensor, W: tf.Tensor, b?: tf.Tensor): tf.Tensor {
  const shape = x.shape;
  const inDim = shape[shape.length - 1];
  const y = tf.matMul(tf.reshape(x, [-1, inDim]), W as tf.Tensor2D);
  const out = tf.reshape(y, [...shape.slice(0, -1), W.shape[1]!]);
  return b ? tf.add(out, b) : out;
}

export function addDense(
  p: ParamStore,
  name: string,
  inDim: number,
  outDim: number,
  bias = true,
): { W: tf.Variable; b?: tf.Variable } {
  return {
    W: p.add(`${name}.W`, [inDim, outDim]),
    b: bias ? p.add(`${name}.b`, [outDim], 'zeros') : undefined,
  };
}

export function applyDense(x: tf.Tensor, l: DenseParams): tf.Tensor {
  return dense(x, l.W, l.b);
}

/**
 * Rows of table for integer ids [B, T] -> [B, T, D], as oneHot x table: the tables are
 * tiny (types + 1 rows) and gather's gradient (UnsortedSegmentSum) is missing on wasm.
 */
export function embed(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const flat = tf.matMul(tf.oneHot(tf.reshape(ids, [-1]) as tf.Tensor1D, table.shape[0]), table);
  return tf.reshape(flat, [...ids.shape, table.shape[1]]);
}

/** softplus with a per-type scale: log(1 + exp(beta x)) / beta (NHP's intensity link). */
export function scaledSoftplus(x: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  return tf.div(tf.softplus(tf.mul(x, beta)), beta);
}

/** Layer norm over the last axis (one fused op; see fused-norms.ts). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps = 1e-5): tf.Tensor {
  return fusedLayerNorm(x, gamma, beta, eps);
}

/** GELU, tanh approximation (one fused op). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return fusedGelu(x);
}

/**
 * Sinusoidal encoding of (scaled) times [...] -> [..., d], THP's temporal encoding:
 * even dims sin(t / 10000^(i/d)), odd dims cos. Frequencies start at 1 per time unit,
 * which after rescaling by the mean gap is one per typical gap.
 * Times are data (event times, sample times), so no gradient flows to t: computed in one
 * JS pass into one tensor rather than tfjs's broadcast multiply, add and sin (on the native
 * kernels, one native pass: native-temporal-encoding.ts).
 */
export const temporalEncoding = pass('temporalEncoding', (t: tf.Tensor, d: number): tf.Tensor => {
  const freqs = new Float64Array(d);
  for (let i = 0; i < d; i++) freqs[i] = 1 / Math.pow(10000, (2 * Math.floor(i / 2)) / d);
  const ts = t.dataSync();
  const out = new Float32Array(ts.length * d);
  for (let r = 0; r < ts.length; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) out[o + i] = Math.sin(ts[r] * freqs[i] + (i % 2 === 0 ? 0 : Math.PI / 2));
  }
  return tf.tensor(out, [...t.shape, d]);
});
