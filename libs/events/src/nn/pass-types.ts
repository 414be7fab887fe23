import type * as tf from '@tensorflow/tfjs';

// Types shared by a fused op's JS half and its native half (native-*.ts): kept apart from
// both so that the native pass table imports no fused op, not even for a type.

/** What layerNormBackward needs from the forward pass. */
export interface LayerNormSaved {
  xhat: Float32Array;
  inv: Float64Array;
}

/** The mixture of log-normal gaps IntensityFree evaluates. */
export interface MixtureSpec {
  /** Mixtures (1, or K for the joint variant) and components per mixture. */
  J: number;
  M: number;
  /** Standardisation of log gaps. */
  mean: number;
  std: number;
}

/** A dense layer's weights as the models keep them. */
export type DenseParams = { W: tf.Tensor; b?: tf.Tensor };
