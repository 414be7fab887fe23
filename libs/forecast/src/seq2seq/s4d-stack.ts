import { deriveSeed } from '@seqcast/numeric';
import { S4DBlock } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { ParamTable } from './param-table';

export interface S4DStackOptions {
  width: number;
  layers: number;
  stateSize: number;
  dropout: number;
  seed: number;
}

/**
 * `layers` prenorm residual S4D blocks of one width on [B, H, L] (the reference's S4Net with
 * prenorm: LayerNorm, S4, dropout, residual; S4D's block in place of S4's, see s4d-block.ts).
 * Each block's weights and dropout stream come from its own seed, derived from the stack's.
 */
export class S4DStack {
  readonly blocks: S4DBlock[];

  constructor(o: S4DStackOptions, params: ParamTable, prefix: string) {
    this.blocks = Array.from({ length: o.layers }, (_, i) => {
      const block = new S4DBlock({
        channels: o.width,
        stateSize: o.stateSize,
        dropout: o.dropout,
        seed: deriveSeed(o.seed, i),
      });
      params.addBlock(`${prefix}.${i}`, block);
      return block;
    });
  }

  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => this.blocks.reduce((z, block) => block.forward(z, { training }), x));
  }
}
