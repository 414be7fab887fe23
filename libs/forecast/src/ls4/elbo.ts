import * as tf from '@tensorflow/tfjs';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * KL(N(mq, sq^2) || N(mp, sp^2)) elementwise, from means and log standard deviations:
 *   log(sp / sq) + (sq^2 + (mq - mp)^2) / (2 sp^2) - 1/2.
 */
export function gaussianKl(
  q: { mean: tf.Tensor; logStd: tf.Tensor },
  p: { mean: tf.Tensor; logStd: tf.Tensor },
): tf.Tensor {
  const varQ = tf.exp(tf.mul(q.logStd, 2));
  const varP = tf.exp(tf.mul(p.logStd, 2));
  const num = tf.add(varQ, tf.square(tf.sub(q.mean, p.mean)));
  return tf.sub(tf.add(tf.sub(p.logStd, q.logStd), tf.div(num, tf.mul(varP, 2))), 0.5);
}

/** -log N(x; mean, sigma^2) elementwise, sigma a fixed number. */
export function gaussianNll(x: tf.Tensor, mean: tf.Tensor, sigma: number): tf.Tensor {
  return tf.add(tf.div(tf.square(tf.sub(x, mean)), 2 * sigma * sigma), Math.log(sigma) + HALF_LOG_2PI);
}
