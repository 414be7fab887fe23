import * as tf from '@tensorflow/tfjs';
import { fusedPrefixAttention } from './fused-attention';
import { PrefixLimits } from './prefix-limits';
import { addDense, applyDense } from './layers';
import { ParamStore } from './params';

export interface AttentionParams {
  q: { W: tf.Tensor; b?: tf.Tensor };
  k: { W: tf.Tensor; b?: tf.Tensor };
  v: { W: tf.Tensor; b?: tf.Tensor };
  o: { W: tf.Tensor; b?: tf.Tensor };
  heads: number;
}

export function addAttention(p: ParamStore, name: string, d: number, heads: number): AttentionParams {
  return {
    q: addDense(p, `${name}.q`, d, d),
    k: addDense(p, `${name}.k`, d, d),
    v: addDense(p, `${name}.v`, d, d),
    o: addDense(p, `${name}.o`, d, d),
    heads,
  };
}

/**
 * Multi-head attention of queries [B, Q, d] over keys/values [B, N, d]: query i of batch
 * row b sees keys 0..limit (see PrefixLimits: causal self-attention, or AttNHP's queries
 * over the events up to their context). The projections are tfjs matMuls; the attention
 * itself is one fused op (fused-attention.ts); nullKey adds AttNHP's 1 to its normaliser.
 */
export function multiHeadAttention(
  a: AttentionParams,
  queries: tf.Tensor,
  keysValues: tf.Tensor,
  limits: PrefixLimits,
  nullKey = false,
): tf.Tensor {
  const q = applyDense(queries, a.q) as tf.Tensor3D;
  const k = applyDense(keysValues, a.k) as tf.Tensor3D;
  const v = applyDense(keysValues, a.v) as tf.Tensor3D;
  return applyDense(fusedPrefixAttention(q, k, v, limits, a.heads, nullKey), a.o);
}

export interface EncoderLayerParams {
  attn: AttentionParams;
  ln1: [tf.Tensor, tf.Tensor];
  ff1: { W: tf.Tensor; b?: tf.Tensor };
  ff2: { W: tf.Tensor; b?: tf.Tensor };
  ln2: [tf.Tensor, tf.Tensor];
}

export function addEncoderLayer(
  p: ParamStore,
  name: string,
  d: number,
  heads: number,
  ff: number,
): EncoderLayerParams {
  return {
    attn: addAttention(p, `${name}.attn`, d, heads),
    ln1: [p.add(`${name}.ln1.g`, [d], 'ones'), p.add(`${name}.ln1.b`, [d], 'zeros')],
    ff1: addDense(p, `${name}.ff1`, d, ff),
    ff2: addDense(p, `${name}.ff2`, ff, d),
    ln2: [p.add(`${name}.ln2.g`, [d], 'ones'), p.add(`${name}.ln2.b`, [d], 'zeros')],
  };
}
