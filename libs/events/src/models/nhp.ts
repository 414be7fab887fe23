import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { fusedNhpIntensity } from '../nn/fused-nhp-intensity';
import { fusedCtLstm } from '../nn/fused-recurrences';
import { scaledSoftplus } from '../nn/layers';
import { lengthsFromMask } from '../nn/step-plan';
import { Context, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export type NhpConfig = NeuralTrainingConfig;

/**
 * Neural Hawkes process (Mei and Eisner 2017): a continuous-time LSTM whose cell decays
 * between events toward a target, c(t) = c_bar + (c - c_bar) exp(-delta (t - t_j)),
 * h(t) = o * tanh(c(t)), lambda_k(t) = softplus_{beta_k}(w_k . h(t)). The recurrence is
 * written directly (seven gates from one matMul per event); the state kept per position
 * is (c, c_bar, delta, o), from which the intensity at any later time is elementwise.
 */
export class NhpModel extends NeuralEventModel<NhpConfig> {
  private emb: tf.Variable;
  private W: tf.Variable;
  private b: tf.Variable;
  private out: tf.Variable;
  private logBeta: tf.Variable;

  constructor(numTypes: number, config: NhpConfig) {
    super('nhp', numTypes, config);
    const H = config.hidden;
    this.emb = this.params.add('emb', [numTypes + 1, H], { normal: 0.1 });
    this.W = this.params.add('W', [2 * H, 7 * H]);
    this.b = this.params.add('b', [7 * H], 'zeros');
    this.out = this.params.add('out', [H, numTypes]);
    this.logBeta = this.params.add('logBeta', [numTypes], 'zeros');
  }

  protected encode(batch: EventBatch): Context {
    const [B, T] = batch.gaps.shape;
    const H = this.config.hidden;
    // the recurrence is one fused op (forward and BPTT in plain JS; ctLstmReference is
    // the same maths step by step); positions past a sequence's end get zero states
    const Wx = tf.slice(this.W, [0, 0], [H, 7 * H]);
    const Wh = tf.slice(this.W, [H, 0], [H, 7 * H]) as tf.Tensor2D;
    // an event's input pre-activation emb[type] W_x + b depends on its type only: one row
    // per type (same maths as embedding every event, K + 1 rows instead of B T)
    const table = tf.add(tf.matMul(this.emb, Wx), this.b) as tf.Tensor2D;
    const lengths = lengthsFromMask(batch.mask.dataSync() as Float32Array, B, T);
    const [c, cBar, delta, o] = tf.unstack(
      fusedCtLstm({ table, ids: batch.types }, Wh, batch.gaps, lengths),
      0,
    );
    return { perPos: [c, cBar, delta, o], perSeq: [], pos: positionIndex(B, T) };
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const [c, cBar, delta, o] = ctx.perPos as tf.Tensor3D[];
    // one fused op (nhpIntensityReference below is the same maths in tfjs ops)
    return fusedNhpIntensity(c, cBar, delta, o, dt, this.out as tf.Tensor2D, this.logBeta as tf.Tensor1D);
  }

  /** The tfjs-op version of `intensities` (tests compare the fused op against it). */
  nhpIntensityReference(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const [c, cBar, delta, o] = ctx.perPos.map((t) => tf.expandDims(t, 2)); // [B, P, 1, H]
    const decay = tf.exp(tf.mul(tf.neg(delta), tf.expandDims(dt, -1)));
    const h = tf.mul(o, tf.tanh(tf.add(cBar, tf.mul(tf.sub(c, cBar), decay))));
    const [B, P, S] = dt.shape;
    const H = this.config.hidden;
    const pre = tf.reshape(tf.matMul(tf.reshape(h, [B * P * S, H]), this.out), [B, P, S, this.numTypes]);
    return scaledSoftplus(pre, tf.exp(this.logBeta)) as tf.Tensor4D;
  }
}
