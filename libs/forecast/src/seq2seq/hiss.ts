import { HissNetwork } from './hiss-network';
import type { NetworkShape } from './network';
import { NeuralSeq2SeqModel } from './neural-seq2seq';
import type { HissConfig } from './seq2seq-config';

/** HiSS: chunked low-level S4D, high-level S4D over the chunk features, one output per chunk (hiss-network.ts). */
export class HissModel extends NeuralSeq2SeqModel<HissConfig> {
  constructor(config: HissConfig & Record<string, unknown>) {
    super('hiss', config);
  }

  protected build(shape: NetworkShape): HissNetwork {
    const c = this.config;
    return new HissNetwork(shape, {
      lowWidth: c.lowWidth,
      lowLayers: c.lowLayers,
      highWidth: c.highWidth,
      highLayers: c.highLayers,
      stateSize: c.stateSize,
      dropout: c.dropout,
      seed: c.seed,
    });
  }
}
