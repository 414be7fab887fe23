import { inverseSoftplus } from '@seqcast/numeric';
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
  /**
   * 'softmax': one cumulative hazard for the next event's time and the type from a softmax
   * on the history, lambda_k = p(k | h) lambda(t); 'hazard': one monotone output per type
   * (the earlier design, whose type predictions collapsed to the majority class).
   */
  markHead: 'softmax' | 'hazard';
}

/**
 * FullyNN (Omi, Ueda and Aihara 2019): a network monotone in tau models the cumulative
 * hazard Phi_k(tau | h) per type; lambda_k = dPhi_k/dtau, so the integral is exact.
 * Monotonicity: every weight on the tau path is softplus(raw) > 0 and activations are
 * increasing. The derivative is carried forward alongside the values (forward-mode), so
 * training needs only first-order gradients. Added vs the paper: a term eps_k tau
 * (eps_k > 0), because saturating tanh units alone bound Phi and leave a positive
 * probability of no next event.
 *
 * Marks: the paper's network is unmarked. With one monotone output per type (markHead
 * 'hazard') the type can depend on the history only through the shared hidden units and
 * the last layer's positive weights, and the types start identical (b3 = 0, A3 from one
 * distribution): training fitted the types' frequencies and every type prediction was the
 * majority class (docs/benchmarks.md). The default ('softmax') keeps the paper's network
 * for the total hazard of the next event and draws its type from a softmax on the
 * history, as IntensityFree and RMTPP do: lambda_k(t) = p(k | h) lambda(t).
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
  private markW: tf.Variable | null = null;
  private markB: tf.Variable | null = null;

  constructor(numTypes: number, config: FullyNnConfig) {
    super('fullynn', numTypes, config);
    const M = config.hazardUnits;
    // outputs of the hazard network: one per type, or one total hazard beside the mark softmax
    const H = config.markHead === 'softmax' ? 1 : numTypes;
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
    this.A3 = this.params.add('A3', [M, H], { normal: 0.3, mean: fanIn });
    this.b3 = this.params.add('b3', [H], 'zeros');
    // The floor rate eps starts at softplus(0) = 0.69 events per mean gap (times are in mean
    // gaps inside the model), the order of a Poisson fit's rate. Started at softplus(-4) = 0.018,
    // the saturating tanh units left a survival tail with a mean of ~55 mean gaps: predicted
    // means 4x Poisson's RMSE on EasyTPP's sample and twice it on a one-type set, LL below
    // Poisson's there (docs/benchmarks.md, issue 28).
    this.eps = this.params.add('eps', [H], { constant: 0 });
    if (config.markHead === 'softmax') {
      this.markW = this.params.add('markW', [config.hidden, numTypes]);
      this.markB = this.params.add('markB', [numTypes], 'zeros');
    }
  }

  /**
   * The floor rate eps carries the Poisson rate (the total, or each type's with the
   * 'hazard' head) and the network's output is switched almost off: every weight on its
   * tau path is positive by construction, so it cannot be zeroed, but with b3 = -8 it adds
   * sigmoid(-8) = 3e-4 times its slope to lambda and softplus(-8) = 3e-4 to Phi. Adam's
   * steps do not shrink with that gradient, so the network still trains. The mark softmax
   * starts at the type frequencies (its weights zero).
   */
  protected initAtBaseline(rates: number[]): void {
    const total = rates.reduce((a, r) => a + r, 0);
    this.params.assign(this.b3, -8);
    this.params.assign(this.eps, (this.markW ? [total] : rates).map(inverseSoftplus));
    if (this.markW && this.markB) {
      this.params.assign(this.markW, 0);
      this.params.assign(
        this.markB,
        rates.map((r) => Math.log(r / total)),
      );
    }
  }

  protected encode(batch: EventBatch): Context {
    const h = runRnnEncoder(this.enc, batch);
    const [B, T] = batch.gaps.shape;
    const proj = fusedDense(h, this.hW as tf.Tensor2D, this.b1 as tf.Tensor1D);
    const perPos = [proj];
    if (this.markW)
      perPos.push(tf.logSoftmax(fusedDense(h, this.markW as tf.Tensor2D, this.markB as tf.Tensor1D)));
    return { perPos, perSeq: [], pos: positionIndex(B, T) };
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
   * The per-type intensities lambda_k(dt) [B, P, S, K] in tfjs ops: the network's outputs
   * times the mark softmax where there is one (tests compare `intensities` with it).
   */
  hazardReference(ctx: Context, dt: tf.Tensor3D): { lam: tf.Tensor } {
    const { lam } = this.hazardNetworkReference(ctx, dt);
    return { lam: this.markW ? tf.mul(lam, tf.expandDims(tf.exp(ctx.perPos[1]), 2)) : lam };
  }

  /**
   * The network's outputs Phi_h(dt) (without subtracting Phi_h(0)) and their derivatives
   * lambda_h(dt), both [B, P, S, H] (H: one per type, or 1 with the mark softmax). The
   * tfjs-op version of the fused ops in fused-fullynn.ts (tests compare them).
   */
  private hazardNetworkReference(ctx: Context, dt: tf.Tensor3D): { Phi: tf.Tensor; lam: tf.Tensor } {
    const [B, P, S] = dt.shape;
    const M = this.config.hazardUnits;
    const K = this.A3.shape[1] as number;
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
    const lam = fullyNnIntensity(ctx.perPos[0] as tf.Tensor3D, dt, this.weights());
    if (!this.markW) return lam;
    // the total hazard [B, P, S, 1] times p(k | h) [B, P, 1, K]
    return tf.mul(lam, tf.expandDims(tf.exp(ctx.perPos[1]), 2)) as tf.Tensor4D;
  }

  protected exactTerms(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    // one fused op for log lambda_{k'}(tau) and Phi(tau) - Phi(0), evaluated only where an event follows
    const K = this.numTypes;
    // with the mark softmax the network has one output: type 0 where an event follows, 1 (padding) where not
    const hazardTypes = this.markW ? (tf.cast(tf.equal(nextTypes, K), 'int32') as tf.Tensor2D) : nextTypes;
    const [logTime, integral] = tf.unstack(
      fullyNnExactTerms(ctx.perPos[0] as tf.Tensor3D, nextGaps, hazardTypes, this.weights()),
      0,
    ) as tf.Tensor2D[];
    if (!this.markW) return { logEvent: logTime, integral };
    const [B, P] = nextGaps.shape;
    const onehot = tf.slice(tf.oneHot(nextTypes, K + 1), [0, 0, 0], [B, P, K]);
    const logMark = tf.sum(tf.mul(ctx.perPos[1], onehot), -1) as tf.Tensor2D;
    return { logEvent: tf.add(logTime, logMark) as tf.Tensor2D, integral };
  }

  /** The tfjs-op version of `exactTerms` (tests compare the fused op against it). */
  exactTermsReference(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    const [B, P] = nextGaps.shape;
    const K = this.numTypes;
    const H = this.A3.shape[1] as number;
    const dt = tf.stack([nextGaps, tf.zerosLike(nextGaps)], -1) as tf.Tensor3D; // [B, P, 2]
    const { Phi, lam } = this.hazardNetworkReference(ctx, dt);
    const at = (x: tf.Tensor, s: number) => tf.squeeze(tf.slice(x, [0, 0, s, 0], [B, P, 1, H]), [2]);
    const integral = tf.sum(tf.sub(at(Phi, 0), at(Phi, 1)), -1) as tf.Tensor2D;
    const onehot = tf.oneHot(nextTypes, K + 1).slice([0, 0, 0], [B, P, K]);
    if (!this.markW) {
      const logEvent = tf.log(tf.add(tf.sum(tf.mul(at(lam, 0), onehot), -1), 1e-9)) as tf.Tensor2D;
      return { logEvent, integral };
    }
    // log lambda(tau) + log p(k' | h), where an event follows (the mark term is 0 at padding)
    const logTime = tf.log(tf.add(tf.squeeze(at(lam, 0), [2]), 1e-9));
    const logMark = tf.sum(tf.mul(ctx.perPos[1], onehot), -1);
    const scored = tf.sum(onehot, -1);
    return { logEvent: tf.mul(tf.add(logTime, logMark), scored) as tf.Tensor2D, integral };
  }
}
