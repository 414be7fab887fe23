import * as tf from '@tensorflow/tfjs';

/** [B, T] int32 position indices 0..T-1 (built in JS: tfjs-cpu's int32 tile is slow). */
export function positionIndex(B: number, T: number): tf.Tensor2D {
  const idx = new Int32Array(B * T);
  for (let i = 0; i < idx.length; i++) idx[i] = i % T;
  return tf.tensor2d(idx, [B, T], 'int32');
}
