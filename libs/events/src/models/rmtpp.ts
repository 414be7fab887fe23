import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { fusedDense } from '../nn/fused-dense';
import { rmtppTerms } from '../nn/fused-rmtpp';
import { addDense } from '../nn/layers';
import { RnnCell, RnnEncoder, addRnnEncoder, runRnnEncoder } from '../nn/rnn-encoder';
import { Context, ExactTerms, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export interface RmtppConfig extends NeuralTrainingConfig {
  embDim: number;
  cell: RnnCell;
}

/**
 * RMTPP (Du et al. 2016): an RNN over (type embedding, gap features), and per type
 * lambda_k(t) = exp(v_k . h_j + w_k (t - t_j) + b_k). Per-type w_k (the paper has one
 * w and a separate softmax for marks; EasyTPP uses per-type intensities, as here).
 * The compensator is exact: sum_k exp(a_k) (exp(w_k dt) - 1) / w_k.
 */
export class RmtppModel extends NeuralEventModel<RmtppConfig> {
  private enc!: RnnEncoder;
  private head!: { W: tf.Tensor; b?: tf.Tensor };
  private w!: tf.Variable;

  constructor(numTypes: number, config: RmtppConfig) {
    super('rmtpp', numTypes, config);
    this.enc = addRnnEncoder(this.params, 'enc', numTypes, config.embDim, config.hidden, config.cell);
    this.head = addDense(this.params, 'head', config.hidden, numTypes);
    this.w = this.params.add('w', [numTypes], { constant: -0.1 });
  }

  protected encode(batch: EventBatch): Context {
    const h = runRnnEncoder(this.enc, batch);
    const a = fusedDense(h, this.head.W as tf.Tensor2D, this.head.b as tf.Tensor1D); // [B, T, K]
    const [B, T] = batch.gaps.shape;
    return { perPos: [a], perSeq: [], pos: positionIndex(B, T) };
  }

  /** lambda_k = exp(b_k) = rate_k: the head's weights and w at zero. */
  protected initAtBaseline(rates: number[]): void {
    this.params.assign(this.head.W, 0);
    this.params.assign(this.head.b!, rates.map(Math.log));
    this.params.assign(this.w, 0);
  }

  /** w dt clipped so exp stays finite for an increasing intensity over long gaps. */
  private exponent(wdt: tf.Tensor): tf.Tensor {
    return tf.minimum(wdt, 30);
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const a = tf.expandDims(ctx.perPos[0], 2); // [B, P, 1, K]
    return tf.exp(tf.add(a, this.exponent(tf.mul(tf.expandDims(dt, -1), this.w)))) as tf.Tensor4D;
  }

  /** Closed-form compensator over (0, dt] per type: exp(a) * (exp(w dt) - 1) / w, w -> 0 handled. */
  compensator(a: tf.Tensor, dt: tf.Tensor): tf.Tensor {
    const w = this.w;
    // the branch mask comes from the values (comparisons have no gradient in tfjs)
    const small = tf.tensor1d(
      Array.from(w.dataSync(), (v) => (Math.abs(v) < 1e-4 ? 1 : 0)),
      'bool',
    );
    const wSafe = tf.where(small, tf.onesLike(w), w);
    const wdt = tf.mul(dt, w);
    const exact = tf.div(tf.sub(tf.exp(this.exponent(wdt)), 1), wSafe);
    const series = tf.mul(dt, tf.add(1, tf.mul(wdt, 0.5)));
    return tf.mul(tf.exp(a), tf.where(tf.broadcastTo(small, exact.shape), series, exact));
  }

  protected exactTerms(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    // one fused op (exactTermsReference is the same maths in tfjs ops); positions without a next event hold 0
    const [logEvent, integral] = tf.unstack(
      rmtppTerms(ctx.perPos[0] as tf.Tensor3D, this.w as tf.Tensor1D, nextGaps, nextTypes),
      0,
    ) as tf.Tensor2D[];
    return { logEvent, integral };
  }

  /** The tfjs-op version of `exactTerms` (tests compare the fused op against it). */
  exactTermsReference(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    const K = this.numTypes;
    const a = ctx.perPos[0]; // [B, P, K]
    const dt = tf.expandDims(nextGaps, -1);
    const logLam = tf.add(a, this.exponent(tf.mul(dt, this.w)));
    const [B, P] = nextGaps.shape;
    const onehot = tf.oneHot(nextTypes, K + 1).slice([0, 0, 0], [B, P, K]);
    const logEvent = tf.sum(tf.mul(logLam, onehot), -1) as tf.Tensor2D;
    const integral = tf.sum(this.compensator(a, dt), -1) as tf.Tensor2D;
    return { logEvent, integral };
  }
}
