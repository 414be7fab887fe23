import { inverseSoftplus } from '@seqcast/numeric';
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

  /**
   * The paper's lambda_k = softplus(w_k . h(t)) has no bias, so hidden unit 0 is made a
   * constant instead: its gates ignore the input and the history (their weights zero) and
   * their biases saturate (input gates and output gate sigmoid(12) ~ 1, forget gates
   * sigmoid(-12) ~ 0), so after every event c = c_bar = tanh(1) and h_0 = tanh(tanh(1))
   * at all times, to within 1e-5. w_k is zero but for unit 0's rate_k-giving weight.
   */
  protected initAtBaseline(rates: number[]): void {
    const H = this.config.hidden;
    const K = this.numTypes;
    const W = this.W.dataSync().slice() as Float32Array;
    const b = this.b.dataSync().slice() as Float32Array;
    // gate order i, f, z, o, iBar, fBar, delta (fusedCtLstm)
    const bias = [12, -12, 1, 12, 12, -12, 0];
    for (let g = 0; g < 7; g++) {
      for (let r = 0; r < 2 * H; r++) W[r * 7 * H + g * H] = 0;
      b[g * H] = bias[g];
    }
    this.params.assign(this.W, W);
    this.params.assign(this.b, b);
    const h0 = Math.tanh(Math.tanh(1));
    const out = new Float32Array(H * K);
    for (let k = 0; k < K; k++) out[k] = inverseSoftplus(rates[k]) / h0;
    this.params.assign(this.out, out);
    this.params.assign(this.logBeta, 0);
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
