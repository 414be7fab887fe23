import type * as tf from '@tensorflow/tfjs';
import type { ParamTable } from './param-table';

/**
 * What a seq2seq model trains: z-scored input features at the input rate [B, L, F] to
 * z-scored outputs at the output rate [B, L / ratio, O], causal in time (output k reads no
 * input after chunk k), with its weights by name.
 */
export interface Seq2SeqNetwork {
  readonly params: ParamTable;
  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D;
}

/** The sizes a network is built for: the data's (features after the deltas, target channels) and the rate ratio. */
export interface NetworkShape {
  features: number;
  outputs: number;
  ratio: number;
}
