import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { AttentionParams, addAttention, causalMask, multiHeadAttention } from '../nn/attention';
import { embed, layerNorm, scaledSoftplus, temporalEncoding } from '../nn/layers';
import { Context, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export interface AttNhpConfig extends NeuralTrainingConfig {
  layers: number;
  heads: number;
}

interface AttLayer {
  attn: AttentionParams;
  ln: [tf.Variable, tf.Variable];
}

/**
 * Attentive neural Hawkes process (Yang, Mei and Eisner 2022): the intensity at time t is
 * read from a representation computed at t itself, by attention over the events before t.
 * Layer l: r_l(t) = LN(r_{l-1}(t) + tanh(attn(r_{l-1}(t) -> events' r_{l-1}))), with
 * r_0(t) = query embedding + temporal encoding of t; events are embedded the same way with
 * their type. lambda_k(t) = softplus_{beta_k}(w_k . r_L(t)).
 * Simplified vs the paper: one type-free query per time instead of one per type (K times
 * cheaper), softmax attention instead of the paper's unnormalised 1 + sum exp form.
 */
export class AttNhpModel extends NeuralEventModel<AttNhpConfig> {
  private emb: tf.Variable;
  private query: tf.Variable;
  private layers: AttLayer[];
  private out: tf.Variable;
  private bias: tf.Variable;
  private logBeta: tf.Variable;

  constructor(numTypes: number, config: AttNhpConfig) {
    super('attnhp', numTypes, config);
    const d = config.hidden;
    this.emb = this.params.add('emb', [numTypes + 1, d], { normal: 0.1 });
    this.query = this.params.add('query', [d], { normal: 0.1 });
    this.layers = Array.from({ length: config.layers }, (_, i) => ({
      attn: addAttention(this.params, `layer${i}.attn`, d, config.heads),
      ln: [this.params.add(`layer${i}.ln.g`, [d], 'ones'), this.params.add(`layer${i}.ln.b`, [d], 'zeros')] as [tf.Variable, tf.Variable],
    }));
    this.out = this.params.add('out', [d, numTypes]);
    this.bias = this.params.add('bias', [numTypes], 'zeros');
    this.logBeta = this.params.add('logBeta', [numTypes], 'zeros');
  }

  private step(l: AttLayer, x: tf.Tensor, keys: tf.Tensor, allowed: tf.Tensor): tf.Tensor {
    return layerNorm(tf.add(x, tf.tanh(multiHeadAttention(l.attn, x, keys, allowed))), l.ln[0], l.ln[1]);
  }

  protected encode(batch: EventBatch): Context {
    const [B, T] = batch.gaps.shape;
    const d = this.config.hidden;
    let e = tf.add(embed(this.emb as tf.Tensor2D, batch.types), temporalEncoding(batch.times, d));
    const reps: tf.Tensor[] = [];
    const allowed = tf.expandDims(causalMask(T), 0);
    for (const l of this.layers) {
      reps.push(e);
      e = this.step(l, e, e, allowed);
    }
    return { perPos: [batch.times], perSeq: reps, pos: positionIndex(B, T) };
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const [B, P, S] = dt.shape;
    const d = this.config.hidden;
    const T = ctx.perSeq[0].shape[1]!;
    const t = tf.add(tf.expandDims(ctx.perPos[0], -1), dt); // [B, P, S]
    let q = tf.reshape(tf.add(temporalEncoding(t, d), this.query), [B, P * S, d]);
    // a query after position j sees events 0..j
    const keyIdx = tf.range(0, T, 1, 'int32').reshape([1, 1, T]);
    const posQ = tf.reshape(tf.tile(tf.expandDims(ctx.pos, -1), [1, 1, S]), [B, P * S, 1]);
    const allowed = tf.cast(tf.lessEqual(keyIdx, posQ), 'float32');
    this.layers.forEach((l, i) => {
      q = this.step(l, q, ctx.perSeq[i], allowed);
    });
    const pre = tf.add(tf.reshape(tf.matMul(tf.reshape(q, [B * P * S, d]), this.out), [B, P, S, this.numTypes]), this.bias);
    return scaledSoftplus(pre, tf.exp(this.logBeta)) as tf.Tensor4D;
  }
}
