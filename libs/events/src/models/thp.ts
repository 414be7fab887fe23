import { inverseSoftplus } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { timeShiftApplies } from '../config-schema';
import { EventBatch } from '../data/event-batch';
import { fusedThpIntensity, fusedThpTerms } from '../nn/fused-thp-intensity';
import { addDense, applyDense } from '../nn/layers';
import { TransformerEncoder, addTransformerEncoder, runTransformerEncoder } from '../nn/transformer-encoder';
import { Context, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export interface ThpConfig extends NeuralTrainingConfig {
  layers: number;
  heads: number;
  /** Training only: shift each sequence's encoded times by a random offset (config-schema.ts, randomTimeShiftField). */
  randomTimeShift: 'auto' | 'always' | 'never';
  /** 'relative': alpha_k (t - t_j) / t_j as in the paper (t_j + 1 here, so the first event does not divide by 0); 'gap': alpha_k (t - t_j). */
  currentInfluence: 'relative' | 'gap';
}

/**
 * Transformer Hawkes process (Zuo et al. 2020): causal self-attention over type embedding
 * plus temporal encoding; lambda_k(t) = softplus_{beta_k}(alpha_k x + w_k . h_j + b_k),
 * x the elapsed time as chosen by `currentInfluence`.
 */
export class ThpModel extends NeuralEventModel<ThpConfig> {
  private enc: TransformerEncoder;
  private head: { W: tf.Tensor; b?: tf.Tensor };
  private alpha: tf.Variable;
  private logBeta: tf.Variable;

  constructor(numTypes: number, config: ThpConfig) {
    super('thp', numTypes, config);
    this.enc = addTransformerEncoder(this.params, 'enc', numTypes, config.hidden, config.layers, config.heads);
    this.head = addDense(this.params, 'head', config.hidden, numTypes);
    this.alpha = this.params.add('alpha', [numTypes], { constant: -0.1 });
    this.logBeta = this.params.add('logBeta', [numTypes], 'zeros');
  }

  /** lambda_k = softplus(b_k) = rate_k: the head's weights, alpha and log beta at zero. */
  protected initAtBaseline(rates: number[]): void {
    this.params.assign(this.head.W, 0);
    this.params.assign(this.head.b!, rates.map(inverseSoftplus));
    this.params.assign(this.alpha, 0);
    this.params.assign(this.logBeta, 0);
  }

  protected randomTimeShift(trainSequences: number): boolean {
    return timeShiftApplies(this.config.randomTimeShift, trainSequences, this.config.batchSize);
  }

  protected encode(batch: EventBatch): Context {
    const h = runTransformerEncoder(this.enc, batch);
    const [B, T] = batch.gaps.shape;
    const denom = this.config.currentInfluence === 'relative' ? tf.add(batch.times, 1) : tf.onesLike(batch.times);
    return { perPos: [applyDense(h, this.head), denom], perSeq: [], pos: positionIndex(B, T) };
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const [base, denom] = ctx.perPos; // [B, P, K], [B, P]
    return fusedThpIntensity(base as tf.Tensor3D, denom as tf.Tensor2D, dt, this.alpha as tf.Tensor1D, this.logBeta as tf.Tensor1D);
  }

  protected sampledTerms(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D, u: tf.Tensor3D): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } | null {
    const [base, denom] = ctx.perPos;
    return fusedThpTerms(base as tf.Tensor3D, denom as tf.Tensor2D, nextGaps, nextTypes, u, this.alpha as tf.Tensor1D, this.logBeta as tf.Tensor1D);
  }
}
