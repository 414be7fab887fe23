import * as tf from '@tensorflow/tfjs';
import type { Rng } from '@seqcast/numeric';
import { ParamSet, uniformInit } from './param-set';

/**
 * OneNet's branch across variables, as a correction of the frozen forecast. Variables are
 * tokens, as in the paper's cross-variable encoder: each variable's window [L] is embedded
 * to d (E = X W_in + b_in, [V, d]), the tokens are mixed by a learned V x V matrix
 * (Z = M E; M starts as the identity, so each token starts as its own), and each mixed
 * token is read out to a correction of its variable's forecast (Z W_out + b_out, [V, H]).
 * W_out and b_out start at zero, so g_V = f before any update; W_in starts random (a zero
 * embedding would give W_out no gradient).
 *
 * Simplified from the paper (a TS2Vec/FSNet encoder over the variables, end to end): one
 * linear embedding, one linear mixing, one linear read-out. For a univariate series the
 * mixing is a scalar and the branch is a second time-wise map, of rank <= d.
 */
export class VariableCorrection {
  private readonly encoder: tf.Variable;
  private readonly encoderBias: tf.Variable;
  private readonly mixing: tf.Variable;
  private readonly decoder: tf.Variable;
  private readonly decoderBias: tf.Variable;

  constructor(
    params: ParamSet,
    rng: Rng,
    readonly lookback: number,
    readonly horizon: number,
    readonly channels: number,
    readonly width: number,
  ) {
    this.encoder = params.add('variable.encoder', uniformInit(rng, [lookback, width], lookback));
    this.encoderBias = params.add('variable.encoderBias', uniformInit(rng, [width], lookback));
    this.mixing = params.add('variable.mixing', tf.eye(channels));
    this.decoder = params.add('variable.decoder', tf.zeros([width, horizon]));
    this.decoderBias = params.add('variable.decoderBias', tf.zeros([horizon]));
  }

  /** x [B, L, V] -> correction [B, H, V]. */
  apply(x: tf.Tensor3D): tf.Tensor3D {
    const [B, L, V] = x.shape;
    const tokens = tf.reshape(tf.transpose(x, [0, 2, 1]), [B * V, L]);
    const embedded = tf.reshape(tf.add(tf.matMul(tokens, this.encoder), this.encoderBias), [
      B,
      V,
      this.width,
    ]);
    // Z[b] = M E[b]: one V x V mixing shared by the batch
    const mixed = tf.matMul(tf.tile(tf.expandDims(this.mixing, 0), [B, 1, 1]) as tf.Tensor3D, embedded);
    const out = tf.add(tf.matMul(tf.reshape(mixed, [B * V, this.width]), this.decoder), this.decoderBias);
    return tf.transpose(tf.reshape(out, [B, V, this.horizon]), [0, 2, 1]);
  }
}
