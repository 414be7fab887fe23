import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { embed, scaledSoftplus } from '../nn/layers';
import { Context, NeuralEventModel } from './neural-event-model';
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
    const gaps = tf.unstack(tf.expandDims(batch.gaps, -1), 1) as tf.Tensor2D[];
    // input-side projection for all events at once; the recurrent half per step
    const Wx = tf.slice(this.W, [0, 0], [H, 7 * H]);
    const Wh = tf.slice(this.W, [H, 0], [H, 7 * H]);
    const X = tf.unstack(tf.add(tf.reshape(tf.matMul(tf.reshape(embed(this.emb as tf.Tensor2D, batch.types), [B * T, H]), Wx), [B, T, 7 * H]), this.b), 1) as tf.Tensor2D[];
    let h: tf.Tensor2D = tf.zeros([B, H]);
    let cDecayed: tf.Tensor2D = tf.zeros([B, H]);
    let cBar: tf.Tensor2D = tf.zeros([B, H]);
    const cs: tf.Tensor2D[] = [];
    const cBars: tf.Tensor2D[] = [];
    const deltas: tf.Tensor2D[] = [];
    const os: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      if (t > 0) {
        // decay the previous event's state over the gap to this event
        const prev = t - 1;
        const c = cs[prev];
        const decayed = tf.add(cBars[prev], tf.mul(tf.sub(c, cBars[prev]), tf.exp(tf.mul(tf.neg(deltas[prev]), gaps[t]))));
        cDecayed = decayed as tf.Tensor2D;
        h = tf.mul(os[prev], tf.tanh(decayed)) as tf.Tensor2D;
      }
      const z = tf.add(X[t], tf.matMul(h, Wh));
      const [gi, gf, gz, go, giBar, gfBar, gd] = tf.split(z, 7, 1);
      const i = tf.sigmoid(gi);
      const f = tf.sigmoid(gf);
      const zz = tf.tanh(gz);
      const o = tf.sigmoid(go);
      const iBar = tf.sigmoid(giBar);
      const fBar = tf.sigmoid(gfBar);
      const delta = tf.softplus(gd);
      const c = tf.add(tf.mul(f, cDecayed), tf.mul(i, zz)) as tf.Tensor2D;
      cBar = tf.add(tf.mul(fBar, cBar), tf.mul(iBar, zz)) as tf.Tensor2D;
      cs.push(c);
      cBars.push(cBar);
      deltas.push(delta as tf.Tensor2D);
      os.push(o as tf.Tensor2D);
    }
    const stack = (xs: tf.Tensor2D[]) => tf.stack(xs, 1);
    return { perPos: [stack(cs), stack(cBars), stack(deltas), stack(os)], perSeq: [], pos: tf.tile(tf.range(0, T, 1, 'int32').reshape([1, T]), [B, 1]) as tf.Tensor2D };
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const [c, cBar, delta, o] = ctx.perPos.map((t) => tf.expandDims(t, 2)); // [B, P, 1, H]
    const decay = tf.exp(tf.mul(tf.neg(delta), tf.expandDims(dt, -1)));
    const h = tf.mul(o, tf.tanh(tf.add(cBar, tf.mul(tf.sub(c, cBar), decay))));
    const [B, P, S] = dt.shape;
    const H = this.config.hidden;
    const pre = tf.reshape(tf.matMul(tf.reshape(h, [B * P * S, H]), this.out), [B, P, S, this.numTypes]);
    return scaledSoftplus(pre, tf.exp(this.logBeta)) as tf.Tensor4D;
  }
}
