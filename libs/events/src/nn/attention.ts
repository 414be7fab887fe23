import * as tf from '@tensorflow/tfjs';
import { addDense, applyDense, gelu, layerNorm } from './layers';
import { ParamStore } from './params';

export interface AttentionParams {
  q: { W: tf.Tensor; b?: tf.Tensor };
  k: { W: tf.Tensor; b?: tf.Tensor };
  v: { W: tf.Tensor; b?: tf.Tensor };
  o: { W: tf.Tensor; b?: tf.Tensor };
  heads: number;
}

export function addAttention(p: ParamStore, name: string, d: number, heads: number): AttentionParams {
  return { q: addDense(p, `${name}.q`, d, d), k: addDense(p, `${name}.k`, d, d), v: addDense(p, `${name}.v`, d, d), o: addDense(p, `${name}.o`, d, d), heads };
}

function splitHeads(x: tf.Tensor, heads: number): tf.Tensor {
  const [B, N, d] = x.shape;
  return tf.transpose(tf.reshape(x, [B, N, heads, d / heads]), [0, 2, 1, 3]);
}

/**
 * Multi-head attention of queries [B, Q, d] over keys/values [B, N, d]; `allowed` [B, Q, N]
 * (or broadcastable) is 1 where a query may look at a key. Every query must be allowed at
 * least one key (callers always allow the first event).
 */
export function multiHeadAttention(a: AttentionParams, queries: tf.Tensor, keysValues: tf.Tensor, allowed: tf.Tensor): tf.Tensor {
  const [B, Q, d] = queries.shape;
  const dh = d / a.heads;
  const q = splitHeads(applyDense(queries, a.q), a.heads);
  const k = splitHeads(applyDense(keysValues, a.k), a.heads);
  const v = splitHeads(applyDense(keysValues, a.v), a.heads);
  const penalty = tf.mul(tf.sub(1, tf.expandDims(allowed, 1)), -1e9);
  let out: tf.Tensor;
  if (Q === 1) {
    // one query per batch row (thinning's pointwise evaluation): broadcasting beats B*heads tiny matMuls
    const scores = tf.div(tf.sum(tf.mul(q, k), -1), Math.sqrt(dh)); // [B, h, N]
    const att = tf.softmax(tf.add(scores, tf.squeeze(penalty, [2])));
    out = tf.reshape(tf.sum(tf.mul(tf.expandDims(att, -1), v), 2), [B, 1, d]);
  } else {
    const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(dh));
    const att = tf.softmax(tf.add(scores, penalty));
    out = tf.reshape(tf.transpose(tf.matMul(att, v), [0, 2, 1, 3]), [B, Q, d]);
  }
  return applyDense(out, a.o);
}

/** Lower-triangular [T, T] (key index <= query index). */
export function causalMask(T: number): tf.Tensor2D {
  return tf.linalg.bandPart(tf.ones([T, T]), -1, 0) as tf.Tensor2D;
}

export interface EncoderLayerParams {
  attn: AttentionParams;
  ln1: [tf.Tensor, tf.Tensor];
  ff1: { W: tf.Tensor; b?: tf.Tensor };
  ff2: { W: tf.Tensor; b?: tf.Tensor };
  ln2: [tf.Tensor, tf.Tensor];
}

export function addEncoderLayer(p: ParamStore, name: string, d: number, heads: number, ff: number): EncoderLayerParams {
  return {
    attn: addAttention(p, `${name}.attn`, d, heads),
    ln1: [p.add(`${name}.ln1.g`, [d], 'ones'), p.add(`${name}.ln1.b`, [d], 'zeros')],
    ff1: addDense(p, `${name}.ff1`, d, ff),
    ff2: addDense(p, `${name}.ff2`, ff, d),
    ln2: [p.add(`${name}.ln2.g`, [d], 'ones'), p.add(`${name}.ln2.b`, [d], 'zeros')],
  };
}

/** Post-norm Transformer encoder layer with a causal mask (THP, SAHP). */
export function encoderLayer(l: EncoderLayerParams, x: tf.Tensor, allowed: tf.Tensor): tf.Tensor {
  const a = layerNorm(tf.add(x, multiHeadAttention(l.attn, x, x, allowed)), l.ln1[0], l.ln1[1]);
  const f = applyDense(gelu(applyDense(a, l.ff1)), l.ff2);
  return layerNorm(tf.add(a, f), l.ln2[0], l.ln2[1]);
}
