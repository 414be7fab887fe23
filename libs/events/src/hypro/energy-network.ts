import { Rng } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { makeEventBatch } from '../data/event-batch';
import { AttentionParams, addAttention, multiHeadAttention } from '../nn/attention';
import { addDense, applyDense, embed, layerNorm, temporalEncoding } from '../nn/layers';
import { ParamStore } from '../nn/params';
import { causalLimits } from '../nn/prefix-limits';
import { EventSequence } from '../types';

export interface EnergyNetworkShape {
  hidden: number;
  heads: number;
  layers: number;
  nullKey: boolean;
}

interface EncoderLayer {
  attn: AttentionParams;
  ln: [tf.Variable, tf.Variable];
}

/**
 * HYPRO's energy function E(history + continuation): the base model's kind of encoder
 * (AttNHP's event layers: type embedding plus temporal encoding, then causal continuous-time
 * attention with a residual tanh and a layer norm per layer) over the whole sequence, and an
 * MLP on the state after its last event. Low energy means "looks like real data". Its own
 * weights: the energy is trained after the base and apart from it, as in the paper.
 */
export class EnergyNetwork {
  readonly params: ParamStore;
  private readonly emb: tf.Variable;
  private readonly segment: tf.Variable;
  private readonly gapW: tf.Variable;
  private readonly layers: EncoderLayer[];
  private readonly mlp1: { W: tf.Variable; b?: tf.Variable };
  private readonly mlp2: { W: tf.Variable; b?: tf.Variable };

  constructor(
    readonly numTypes: number,
    readonly shape: EnergyNetworkShape,
    seed: number,
  ) {
    this.params = new ParamStore(new Rng(seed));
    const d = shape.hidden;
    this.emb = this.params.add('emb', [numTypes + 1, d], { normal: 0.1 });
    this.segment = this.params.add('segment', [2, d], { normal: 0.1 });
    this.gapW = this.params.add('gapW', [1, d], { normal: 0.1 });
    this.layers = Array.from({ length: shape.layers }, (_, i) => ({
      attn: addAttention(this.params, `layer${i}.attn`, d, shape.heads),
      ln: [
        this.params.add(`layer${i}.ln.g`, [d], 'ones'),
        this.params.add(`layer${i}.ln.b`, [d], 'zeros'),
      ] as [tf.Variable, tf.Variable],
    }));
    this.mlp1 = addDense(this.params, 'mlp1', d, d);
    this.mlp2 = addDense(this.params, 'mlp2', d, 1);
  }

  /**
   * Energies [n] of whole sequences (a history followed by a continuation; `historyLengths[i]`
   * events of sequence i are history), times divided by `timeScale` (the base model's mean
   * gap) so the temporal encoding sees gaps of order 1. Differentiable in the weights.
   * Each event's input adds to AttNHP's (type embedding + temporal encoding of its time) a
   * segment embedding (history or proposed) and a projection of its log gap: with only the
   * sinusoids of absolute times, a small energy trained briefly could not see the
   * continuation's pace (its ranking of true continuations stayed near chance in the
   * training spec), which is what most separates a base model's samples from real data.
   */
  energies(sequences: EventSequence[], timeScale: number, historyLengths: number[]): tf.Tensor1D {
    // the batch's tensors go with the caller's tidy (a gradient tape may still need them)
    const batch = makeEventBatch(sequences, this.numTypes, timeScale);
    const [B, T] = batch.times.shape;
    const d = this.shape.hidden;
    const seg = new Int32Array(B * T);
    sequences.forEach((s, b) => seg.fill(1, b * T + historyLengths[b], b * T + s.times.length));
    const logGap = tf.log(tf.add(batch.gaps, 0.01));
    let x = tf.addN([
      embed(this.emb as tf.Tensor2D, batch.types),
      temporalEncoding(batch.times, d),
      embed(this.segment as tf.Tensor2D, tf.tensor2d(seg, [B, T], 'int32')),
      tf.mul(tf.expandDims(logGap, -1), this.gapW),
    ]);
    const limits = causalLimits(T, batch.mask);
    for (const l of this.layers)
      x = layerNorm(
        tf.add(x, tf.tanh(multiHeadAttention(l.attn, x, x, limits, this.shape.nullKey))),
        l.ln[0],
        l.ln[1],
      );
    // the state after each sequence's last event, by a one-hot weighting over positions
    // rather than gather (whose gradient some tfjs backends lack, see embed)
    const pick = new Float32Array(B * T);
    sequences.forEach((s, b) => (pick[b * T + Math.max(0, s.times.length - 1)] = 1));
    const last = tf.sum(tf.mul(x, tf.tensor3d(pick, [B, T, 1])), 1);
    const h = tf.relu(applyDense(last, this.mlp1));
    return tf.reshape(applyDense(h, this.mlp2), [B]) as tf.Tensor1D;
  }

  /** Energies as numbers (no gradients), in chunks. */
  score(sequences: EventSequence[], timeScale: number, historyLengths: number[], chunk = 128): Float64Array {
    const out = new Float64Array(sequences.length);
    for (let s = 0; s < sequences.length; s += chunk) {
      const e = tf.tidy(() =>
        this.energies(sequences.slice(s, s + chunk), timeScale, historyLengths.slice(s, s + chunk)),
      );
      out.set(e.dataSync(), s);
      e.dispose();
    }
    return out;
  }

  dispose(): void {
    this.params.dispose();
  }
}
