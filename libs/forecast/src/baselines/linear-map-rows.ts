import * as tf from '@tensorflow/tfjs';
import type { LinearMap } from '../linalg/linear-direct';
import { lastColumns } from '../trainable/channel-rows';

/**
 * applyLinearMap as tf ops: rows [N, time] (the last p values are read) -> [N, horizon]
 * (horizon <= map.h), differentiable in the rows. The weights are float32 constants.
 */
export function linearMapRows(map: LinearMap, x: tf.Tensor2D, horizon = map.h): tf.Tensor2D {
  const { p, h } = map;
  const y = tf.add(
    tf.matMul(lastColumns(x, p), tf.tensor2d(Float32Array.from(map.weight), [p, h])),
    tf.tensor1d(Float32Array.from(map.bias)),
  ) as tf.Tensor2D;
  return horizon === h ? y : tf.slice(y, [0, 0], [y.shape[0], horizon]);
}
