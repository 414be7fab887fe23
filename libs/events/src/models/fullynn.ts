import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { fusedDense } from '../nn/fused-dense';
import { HazardWeights, fullyNnExactTerms, fullyNnIntensity } from '../nn/fused-fullynn';
import { RnnCell, RnnEncoder, addRnnEncoder, runRnnEncoder } from '../nn/rnn-encoder';
import { Context, ExactTerms, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export interface FullyNnConfig extends NeuralTrainingConfig {
  embDim: number;
  cell: RnnCell;
  /** Units of the cumulative-hazard network's two hidden layers. */
  hazardUnits: number;
}

/**
 * FullyNN (Omi, Ueda and Aihara 2019): a network monotone in tau models the cumulative
 * hazard Phi_k(tau | h) per type; lambda_k = dPhi_k/dtau, so the integral is exact.
 * Monotonicity: every weight on the tau path is softplus(raw) > 0 and activations are
 * increasing. The derivative is carried forward alongside the values (forward-mode), so
 * training needs only first-order gradients. Added vs the paper: a term eps_k tau
 * (eps_k > 0), because saturating tanh units alone bound Phi and leave a positive
 * probability of no next event.
 */
export class FullyNnModel extends NeuralEventModel<FullyNnConfig> {
  private enc: RnnEncoder;
  private hW: tf.Variable;
  private b1: tf.Variable;
  private a1: tf.Variable;
  private A2: tf.Variable;
  private b2: tf.Variable;
  private A3: tf.Variable;
  private b3: tf.Variable;
  private eps: tf.Variable;

  constructor(numTypes: number, config: FullyNnConfig) {
    super('fullynn', numTypes, config);
    const M = config.hazardUnits;
    this.enc = addRnnEncoder(this.params, 'enc', numTypes, config.embDim, config.hidden, config.cell);
    this.hW = this.params.add('hW', [config.hidden, M]);
    this.b1 = this.params.add('b1', [M], 'zeros');
    this.a1 = this.params.add('a1', [M], { normal: 0.5 });
    // Positive weights are softplus(raw). With raw ~ N(0, .) each is about 0.7, so a unit sums
    // M positive terms: every layer saturates, Phi jumps by ~2 x 0.7 M per gap (initial LL
    // about -30 per event) and tanh' ~ 0 leaves no gradient to recover (the old "worse than
    // Poisson" result). raw centred at log(1/M) makes each sum O(1), like fan-in scaling.
    const fanIn = Math.log(1 / M);
    this.A2 = this.params.add('A2', [M, M], { normal: 0.3, mean: fanIn });
    this.b2 = this.params.add('b2', [M], 'zeros');
    this.A3 = this.params.add('A3', [M, numTypes], { normal: 0.3, mean: fanIn });
    this.b3 = this.params.add('b3', [numTypes], 'zeros');
    this.eps = this.params.add('eps', [numTypes], { constant: -4 });
  }

  protected encode(batch: EventBatch): Context {
    const h = runRnnEncoder(this.enc, batch);
    const [B, T] = batch.gaps.shape;
    const proj = fusedDense(h, this.hW as tf.Tensor2D, this.b1 as tf.Tensor1D);
    return { perPos: [proj], perSeq: [], pos: positionIndex(B, T) };
  }

  /** The network's positive weights (softplus of the raw parameters). */
  private weights(): HazardWeights {
    const sp = (x: tf.Variable) => tf.softplus(x) as tf.Tensor as never;
    return {
      a1: sp(this.a1),
      A2: sp(this.A2),
      b2: this.b2 as tf.Tensor1D,
      A3: sp(this.A3),
      b3: this.b3 as tf.Tensor1D,
      eps: sp(this.eps),
    };
  }

  /**
   * Phi_k(dt) (without subtracting Phi_k(0)) and lambda_k(dt): both [B, P, S, K]. The
   * tfjs-op version of the fused ops in fused-fullynn.ts (tests compare them).
   */
  hazardReference(ctx: Context, dt: tf.Tensor3D): { Phi: tf.Tensor; lam: tf.Tensor } {
    const [B, P, S] = dt.shape;
    const M = this.config.hazardUnits;
    const K = this.numTypes;
    const a1 = tf.softplus(this.a1);
    const A2 = tf.softplus(this.A2);
    const A3 = tf.softplus(this.A3);
    const eps = tf.softplus(this.eps);
    const z1 = tf.tanh(tf.add(tf.expandDims(ctx.perPos[0], 2), tf.mul(tf.expandDims(dt, -1), a1))); // [B, P, S, M]
    const d1 = tf.mul(tf.sub(1, tf.square(z1)), a1);
    const flat = (x: tf.Tensor) => tf.reshape(x, [B * P * S, M]);
    const z2 = tf.tanh(tf.add(tf.matMul(flat(z1), A2), this.b2));
    const d2 = tf.mul(tf.sub(1, tf.square(z2)), tf.matMul(flat(d1), A2));
    const z3 = tf.add(tf.matMul(z2, A3), this.b3);
    const d3 = tf.matMul(d2, A3);
    const shape = [B, P, S, K];
    const tau = tf.expandDims(dt, -1);
    const Phi = tf.add(tf.reshape(tf.softplus(z3), shape), tf.mul(tau, eps));
    const lam = tf.add(tf.reshape(tf.mul(tf.sigmoid(z3), d3), shape), eps);
    return { Phi, lam };
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    // one fused op (hazardReference is the same maths in tfjs ops)
    return fullyNnIntensity(ctx.perPos[0] as tf.Tensor3D, dt, this.weights());
  }

  protected exactTerms(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    // one fused op for log lambda_{k'}(tau) and Phi(tau) - Phi(0), evaluated only where an event follows
    const [logEvent, integral] = tf.unstack(
      fullyNnExactTerms(ctx.perPos[0] as tf.Tensor3D, nextGaps, nextTypes, this.weights()),
      0,
    ) as tf.Tensor2D[];
    return { logEvent, integral };
  }

  /** The tfjs-op version of `exactTerms` (tests compare the fused op against it). */
  exactTermsReference(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    const [B, P] = nextGaps.shape;
    const K = this.numTypes;
    const dt = tf.stack([nextGaps, tf.zerosLike(nextGaps)], -1) as tf.Tensor3D; // [B, P, 2]
    const { Phi, lam } = this.hazardReference(ctx, dt);
    const at = (x: tf.Tensor, s: number) => tf.squeeze(tf.slice(x, [0, 0, s, 0], [B, P, 1, K]), [2]);
    const onehot = tf.oneHot(nextTypes, K + 1).slice([0, 0, 0], [B, P, K]);
    const logEvent = tf.log(tf.add(tf.sum(tf.mul(at(lam, 0), onehot), -1), 1e-9)) as tf.Tensor2D;
    const integral = tf.sum(tf.sub(at(Phi, 0), at(Phi, 1)), -1) as tf.Tensor2D;
    return { logEvent, integral };
  }
}
