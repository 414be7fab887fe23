import { deriveSeed, Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { Dense, ParamTable } from './param-table';
import { S4DStack } from './s4d-stack';

export interface FlatSizes {
  width: number;
  layers: number;
  dropout: number;
  seed: number;
}

/** A step-to-step network [B, T, F] -> [B, T, O], causal in time. */
export interface SequenceNetwork {
  readonly params: ParamTable;
  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D;
}

/** The reference's S4Model as a flat baseline: Linear F -> H, prenorm S4D blocks, Linear H -> O. */
export class FlatS4DNetwork implements SequenceNetwork {
  readonly params = new ParamTable();
  private readonly embed: Dense;
  private readonly stack: S4DStack;
  private readonly decoder: Dense;

  constructor(features: number, outputs: number, s: FlatSizes & { stateSize: number }) {
    const rng = new Rng(deriveSeed(s.seed, 0x5344));
    this.embed = this.params.dense('embed', features, s.width, rng);
    this.stack = new S4DStack(
      {
        width: s.width,
        layers: s.layers,
        stateSize: s.stateSize,
        dropout: s.dropout,
        seed: deriveSeed(s.seed, 1),
      },
      this.params,
      'blocks',
    );
    this.decoder = this.params.dense('decoder', s.width, outputs, rng);
  }

  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const z = tf.transpose(this.embed.apply(x), [0, 2, 1]) as tf.Tensor3D;
      const y = this.stack.forward(z, training);
      return this.decoder.apply(tf.transpose(y, [0, 2, 1]) as tf.Tensor3D);
    });
  }
}
