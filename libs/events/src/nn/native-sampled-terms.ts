import { scratchPool } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/** What a model's native terms kernels get besides its own inputs: the data of the step. */
export interface SampledTermsData {
  gaps: Float32Array;
  types: Int32Array;
  u: Float32Array;
  /** Positions B P, grid points G. */
  BP: number;
  G: number;
}

/**
 * A model's sampled likelihood terms (fused-sampled-terms.ts) as one native op: `forward`
 * writes out [2, B P], fills pre and lambda [B P (G + 1) K] and returns whatever else its
 * `backward` needs (`kept`); `backward` returns the gradients of `inputs` in their order.
 * The data (next gaps and types, the uniforms u [B, P, G]) is read once here and gets no
 * gradient. pre and lambda are borrowed from the scratch pool and handed back after the
 * backward pass. Returns logEvent and integral [B, P].
 */
export function nativeSampledTerms<Kept>(
  inputs: tf.Tensor[],
  nextGaps: tf.Tensor2D,
  nextTypes: tf.Tensor2D,
  u: tf.Tensor3D,
  K: number,
  forward: (xs: Float32Array[], data: SampledTermsData, out: Float32Array, pre: Float32Array, lambda: Float32Array) => Kept,
  backward: (g: Float32Array, xs: Float32Array[], data: SampledTermsData, pre: Float32Array, lambda: Float32Array, kept: Kept) => tf.Tensor[],
): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } {
  const [B, P, G] = u.shape;
  const data: SampledTermsData = {
    gaps: nextGaps.dataSync() as Float32Array,
    types: Int32Array.from(nextTypes.dataSync()),
    u: u.dataSync() as Float32Array,
    BP: B * P,
    G,
  };
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const xs = args.slice(0, inputs.length).map((t) => t.dataSync() as Float32Array);
    const out = new Float32Array(2 * data.BP);
    const pre = scratchPool.floats(data.BP * (G + 1) * K);
    const lambda = scratchPool.floats(pre.length);
    const kept = forward(xs, data, out, pre, lambda);
    const gradFunc = (dy: tf.Tensor) => {
      const grads = backward(dy.dataSync() as Float32Array, xs, data, pre, lambda, kept);
      scratchPool.release(pre, lambda);
      return grads;
    };
    return { value: tf.tensor3d(out, [2, B, P]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  const both = op(...inputs) as tf.Tensor3D;
  const [logEvent, integral] = tf.unstack(both) as tf.Tensor2D[];
  return { logEvent, integral };
}
