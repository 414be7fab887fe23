import * as tf from '@tensorflow/tfjs';

/**
 * AR-Net's sparsity regulariser R(w) = mean(2 / (1 + exp(-c1 |w|^(1/c2))) - 1): close to
 * linear-in-|w|^(1/c2) near zero (it pulls small weights to zero hard), saturating at 1
 * for large weights (it barely shrinks the true ones). A tiny epsilon keeps the gradient
 * of |w|^(1/c2) finite at w = 0.
 */
export function sparsityRegulariser(w: tf.Tensor, c1: number, c2: number): tf.Scalar {
  return tf.tidy(() => {
    const root = tf.pow(tf.add(tf.abs(w), 1e-9), 1 / c2);
    return tf.mean(tf.sub(tf.mul(tf.sigmoid(tf.mul(root, c1)), 2), 1)) as tf.Scalar;
  });
}

/** The same value in plain numbers (for tests and reporting). */
export function sparsityValue(w: ArrayLike<number>, c1: number, c2: number): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += 2 / (1 + Math.exp(-c1 * Math.abs(w[i]) ** (1 / c2))) - 1;
  return s / w.length;
}

/**
 * lambda = c_lambda * (1/s - 1), s = expected fraction of non-zero lags; 0 when s = 1
 * (no sparsity expected, no regularisation).
 */
export function sparsityLambda(cLambda: number, sparsity: number): number {
  return sparsity >= 1 ? 0 : cLambda * (1 / sparsity - 1);
}

/**
 * Weight of the regulariser at a training progress in [0, 1]: AR-Net v1 ramps it in
 * quadratically, reaching full strength at `rampEnd` (0.5) of training.
 */
export function regulariserRamp(progress: number, rampEnd = 0.5): number {
  if (rampEnd <= 0) return 1;
  return Math.min(1, (progress / rampEnd) ** 2);
}
