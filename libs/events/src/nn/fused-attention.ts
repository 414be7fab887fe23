import * as tf from '@tensorflow/tfjs';
import { prefixAttentionCore } from './prefix-attention-core';
import { PrefixLimits } from './prefix-limits';

/**
 * The core of multi-head attention (scores, softmax, weighted values, all heads) as ONE
 * tfjs op (tf.customGrad) whose forward and backward run on Float32Arrays (an
 * AttentionCore: attention-core.ts says what it computes).
 *
 * Why: in tfjs ops the core is ~8 ops per direction per layer (head split transposes,
 * two batched matMuls of tiny [T, dh] blocks, a dense mask penalty, softmax, transpose
 * back) plus their gradients, and on tfjs-cpu each op carries tens of us of overhead while
 * the arithmetic is small. Checked against a tfjs-op reference in fused-attention.spec.ts.
 */
/** An AttentionCore as one tfjs op (q [B, Q, d], k and v [B, N, d]); gradients flow to q, k and v. */
export function fusedPrefixAttention(
  q: tf.Tensor3D,
  k: tf.Tensor3D,
  v: tf.Tensor3D,
  limits: PrefixLimits,
  heads: number,
  nullKey = false,
): tf.Tensor3D {
  const [B, Q, d] = q.shape;
  const N = k.shape[1];
  if (k.shape[0] !== B || k.shape[2] !== d || !v.shape.every((s, i) => s === k.shape[i])) {
    throw new Error(`fusedPrefixAttention: q [${q.shape}], k [${k.shape}], v [${v.shape}] do not match`);
  }
  const core = prefixAttentionCore(B, Q, N, d, heads, limits, nullKey);
  const op = tf.customGrad(((qT: tf.Tensor, kT: tf.Tensor, vT: tf.Tensor) => {
    const out = core.forward(qT.dataSync() as Float32Array, kT.dataSync() as Float32Array, vT.dataSync() as Float32Array);
    const gradFunc = (dy: tf.Tensor) => {
      const { dq, dk, dv } = core.backward(dy.dataSync() as Float32Array);
      return [tf.tensor3d(dq, [B, Q, d]), tf.tensor3d(dk, [B, N, d]), tf.tensor3d(dv, [B, N, d])];
    };
    return { value: tf.tensor3d(out, [B, Q, d]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(q, k, v) as tf.Tensor3D;
}

