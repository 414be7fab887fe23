import * as tf from '@tensorflow/tfjs';

/** [B, T] int32 position indices 0..T-1. */
export function positionIndex(B: number, T: number): tf.Tensor2D {
  return tf.tile(tf.range(0, T, 1, 'int32').reshape([1, T]), [B, 1]) as tf.Tensor2D;
}
