import { deriveSeed, Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { chunkFeatures } from './chunking';
import type { NetworkShape, Seq2SeqNetwork } from './network';
import { Dense, ParamTable } from './param-table';
import { S4DStack } from './s4d-stack';

export interface HissSizes {
  lowWidth: number;
  lowLayers: number;
  highWidth: number;
  highLayers: number;
  stateSize: number;
  dropout: number;
  seed: number;
}

/**
 * HiSS (Bhirangi et al. 2024; raunaqbhirangi/hiss, HierarchicalModel with S4 at both levels):
 *
 *   low level, per chunk of `ratio` steps, chunks as the batch:
 *     Linear F -> lowWidth, `lowLayers` prenorm S4D blocks, last step, Linear lowWidth -> highWidth
 *   high level, over the chunk sequence:
 *     `highLayers` prenorm S4D blocks at highWidth
 *   head: Linear highWidth -> O, one output per chunk.
 *
 * The reference's low-level S4Model applies its decoder at every step and keeps the last;
 * taking the last step first and then the Linear gives the same numbers with ratio times less work.
 */
export class HissNetwork implements Seq2SeqNetwork {
  readonly params = new ParamTable();
  readonly ratio: number;
  private readonly embed: Dense;
  private readonly low: S4DStack;
  private readonly lowOut: Dense;
  private readonly high: S4DStack;
  private readonly head: Dense;

  constructor(shape: NetworkShape, s: HissSizes) {
    this.ratio = shape.ratio;
    const rng = new Rng(deriveSeed(s.seed, 0x4155));
    const stack = (width: number, layers: number, tag: number) => ({
      width,
      layers,
      stateSize: s.stateSize,
      dropout: s.dropout,
      seed: deriveSeed(s.seed, tag),
    });
    this.embed = this.params.dense('low.embed', shape.features, s.lowWidth, rng);
    this.low = new S4DStack(stack(s.lowWidth, s.lowLayers, 1), this.params, 'low.blocks');
    this.lowOut = this.params.dense('low.out', s.lowWidth, s.highWidth, rng);
    this.high = new S4DStack(stack(s.highWidth, s.highLayers, 2), this.params, 'high.blocks');
    this.head = this.params.dense('head', s.highWidth, shape.outputs, rng);
  }

  /** The chunk features [B, L / ratio, highWidth] the high level reads. */
  chunkFeatures(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    const r = this.ratio;
    return chunkFeatures(x, r, (chunks) => {
      const N = chunks.shape[0];
      const z = tf.transpose(this.embed.apply(chunks), [0, 2, 1]) as tf.Tensor3D; // [N, Hl, r]
      const y = this.low.forward(z, training);
      const last = tf.reshape(tf.slice(y, [0, 0, r - 1], [N, y.shape[1], 1]), [N, y.shape[1]]) as tf.Tensor2D;
      return this.lowOut.apply(last);
    });
  }

  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const feats = this.chunkFeatures(x, training);
      const h = this.high.forward(tf.transpose(feats, [0, 2, 1]) as tf.Tensor3D, training);
      return this.head.apply(tf.transpose(h, [0, 2, 1]) as tf.Tensor3D);
    });
  }
}
