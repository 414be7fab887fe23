import * as tf from '@tensorflow/tfjs';

/**
 * Scales all gradients together so that their joint L2 norm is at most maxNorm (as
 * torch.nn.utils.clip_grad_norm_). Returns new tensors and the norm before clipping.
 */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: number } {
  const norm = Math.sqrt(tf.tidy(() => tf.addN(grads.map((g) => tf.sum(tf.square(g)))).dataSync()[0]));
  const scale = norm > maxNorm && norm > 0 ? maxNorm / norm : 1;
  return { grads: grads.map((g) => (scale === 1 ? g.clone() : tf.mul(g, scale))), norm };
}
