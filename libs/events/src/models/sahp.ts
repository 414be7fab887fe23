import { inverseSoftplus } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { timeShiftApplies } from '../config-schema';
import { EventBatch } from '../data/event-batch';
import { fusedDense } from '../nn/fused-dense';
import { addDense, gelu } from '../nn/layers';
import type { DenseParams } from '../nn/pass-types';
import { fusedSahpHeadsTerms, fusedSahpIntensity } from '../nn/fused-sahp-intensity';
import { fusedSoftplus } from '../nn/fused-norms';
import { TransformerEncoder, addTransformerEncoder, runTransformerEncoder } from '../nn/transformer-encoder';
import { Context, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export interface SahpConfig extends NeuralTrainingConfig {
  layers: number;
  heads: number;
  /** Training only: shift each sequence's encoded times by a random offset (config-schema.ts, randomTimeShiftField). */
  randomTimeShift: 'auto' | 'always' | 'never';
}

/**
 * Self-attentive Hawkes process (Zhang et al. 2020): the attention state h_j gives
 * mu = gelu(W_mu h), eta = softplus(W_eta h), gamma = softplus(W_gamma h); between events
 * state(t) = mu + (eta - mu) exp(-gamma (t - t_j)) and lambda = softplus(W state + b).
 * Simplified: the paper's time-shifted sinusoidal encoding is THP's temporal encoding here.
 */
export class SahpModel extends NeuralEventModel<SahpConfig> {
  private enc: TransformerEncoder;
  private mu: { W: tf.Tensor; b?: tf.Tensor };
  private eta: { W: tf.Tensor; b?: tf.Tensor };
  private gamma: { W: tf.Tensor; b?: tf.Tensor };
  private out: { W: tf.Tensor; b?: tf.Tensor };

  constructor(numTypes: number, config: SahpConfig) {
    super('sahp', numTypes, config);
    const d = config.hidden;
    this.enc = addTransformerEncoder(this.params, 'enc', numTypes, d, config.layers, config.heads);
    this.mu = addDense(this.params, 'mu', d, d);
    this.eta = addDense(this.params, 'eta', d, d);
    this.gamma = addDense(this.params, 'gamma', d, d);
    this.out = addDense(this.params, 'out', d, numTypes);
  }

  /** lambda_k = softplus(b_k) = rate_k: the output layer's weights at zero. */
  protected initAtBaseline(rates: number[]): void {
    this.params.assign(this.out.W, 0);
    this.params.assign(this.out.b!, rates.map(inverseSoftplus));
  }

  protected randomTimeShift(trainSequences: number): boolean {
    return timeShiftApplies(this.config.randomTimeShift, trainSequences, this.config.batchSize);
  }

  /**
   * perPos: the encoder's output h [B, T, d], then (outside training) the heads mu, eta,
   * gamma, which prediction and sampling evaluate the intensities on many times (~12%
   * faster predictEachNext than recomputing them per evaluation); training's fused terms
   * take h and run the heads themselves.
   */
  protected encode(batch: EventBatch, training: boolean): Context {
    const h = runTransformerEncoder(this.enc, batch);
    const [B, T] = batch.gaps.shape;
    return { perPos: training ? [h] : [h, ...this.heads(h)], perSeq: [], pos: positionIndex(B, T) };
  }

  /** mu, eta, gamma [B, P, d] from h. */
  private heads(h: tf.Tensor): tf.Tensor3D[] {
    const head = (l: DenseParams) => fusedDense(h, l.W as tf.Tensor2D, l.b as tf.Tensor1D);
    return [gelu(head(this.mu)), fusedSoftplus(head(this.eta)), fusedSoftplus(head(this.gamma))] as tf.Tensor3D[];
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const [mu, eta, gamma] = ctx.perPos.length > 1 ? (ctx.perPos.slice(1) as tf.Tensor3D[]) : this.heads(ctx.perPos[0]);
    return fusedSahpIntensity(mu, eta, gamma, dt, this.out.W as tf.Tensor2D, this.out.b as tf.Tensor1D);
  }

  protected sampledTerms(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D, u: tf.Tensor3D): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } {
    const h = ctx.perPos[0] as tf.Tensor3D;
    const fused = fusedSahpHeadsTerms(h, [this.mu, this.eta, this.gamma], this.out, nextGaps, nextTypes, u);
    if (fused) return fused;
    // elsewhere the generic path, with the heads run once for both intensity calls
    const [mu, eta, gamma] = this.heads(h);
    return this.termsFromIntensities((dt) => fusedSahpIntensity(mu, eta, gamma, dt, this.out.W as tf.Tensor2D, this.out.b as tf.Tensor1D), nextGaps, nextTypes, u);
  }
}
