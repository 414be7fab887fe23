import * as tf from '@tensorflow/tfjs';
import { atChunkEnds, toOutputRate } from './chunking';
import { FlatS4DNetwork, SequenceNetwork } from './flat-s4d-network';
import { LstmNetwork } from './lstm-network';
import type { NetworkShape, Seq2SeqNetwork } from './network';
import { NeuralSeq2SeqModel } from './neural-seq2seq';
import type { FlatConfig } from './seq2seq-config';
import { CausalTransformerNetwork } from './transformer-network';

/**
 * A flat (one-level) network made a seq2seq network. The reference trains its flat baselines
 * on the input-rate data and keeps every ratio-th output (LowFreqPredictor, `pred[:, ::ratio]`,
 * which in its data is the sample at the target's time); that is inputRate 'full' here, read
 * at each chunk's last step, the target's time in our data. The default, 'mean', runs the
 * baseline at the output rate on each chunk's mean features (with the deltas appended, the mean
 * delta is the chunk's net change): ratio times shorter sequences, which an LSTM and an
 * attention layer need on this machine. 'last' is plain subsampling.
 */
export class FlatNetwork implements Seq2SeqNetwork {
  constructor(
    private readonly inner: SequenceNetwork,
    private readonly ratio: number,
    private readonly inputRate: FlatConfig['inputRate'],
  ) {}

  get params() {
    return this.inner.params;
  }

  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      if (this.inputRate === 'full') return atChunkEnds(this.inner.forward(x, training), this.ratio);
      return this.inner.forward(toOutputRate(x, this.ratio, this.inputRate), training);
    });
  }
}

abstract class FlatModel extends NeuralSeq2SeqModel<FlatConfig> {
  protected abstract inner(features: number, outputs: number): SequenceNetwork;

  protected build(shape: NetworkShape): FlatNetwork {
    return new FlatNetwork(this.inner(shape.features, shape.outputs), shape.ratio, this.config.inputRate);
  }

  protected sizes() {
    const c = this.config;
    return { width: c.width, layers: c.layers, dropout: c.dropout, seed: c.seed };
  }
}

/** Flat S4D stack (the reference's S4Model baseline). */
export class FlatS4DModel extends FlatModel {
  constructor(config: FlatConfig & Record<string, unknown>) {
    super('flat_s4d', config);
  }

  protected inner(features: number, outputs: number): SequenceNetwork {
    return new FlatS4DNetwork(features, outputs, { ...this.sizes(), stateSize: this.config.stateSize ?? 64 });
  }
}

/** Flat LSTM (the reference's LSTMNet baseline). */
export class LstmSeq2SeqModel extends FlatModel {
  constructor(config: FlatConfig & Record<string, unknown>) {
    super('lstm', config);
  }

  protected inner(features: number, outputs: number): SequenceNetwork {
    return new LstmNetwork(features, outputs, this.sizes());
  }
}

/** Flat causal Transformer (the reference's TransformerModel baseline). */
export class CausalTransformerModel extends FlatModel {
  constructor(config: FlatConfig & Record<string, unknown>) {
    super('causal_transformer', config);
  }

  protected inner(features: number, outputs: number): SequenceNetwork {
    return new CausalTransformerNetwork(features, outputs, {
      ...this.sizes(),
      heads: this.config.heads ?? 2,
    });
  }
}
