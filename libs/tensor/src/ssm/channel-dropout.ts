import type { Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { borrowFloats, outputFloats } from '../kernels/borrowed-floats';

/**
 * Inverted dropout of whole channels of [B, H, L] (S4D's DropoutNd: one mask per sample and
 * channel, shared along the sequence) as one differentiable op, its B H draws from `rng`.
 * tf.dropout with a [B, H, 1] noise shape drew the mask and then broadcast-multiplied, a
 * [B, H, L] pass each way through the generic binary kernels (HiSS's step: most of what
 * was left of its elementwise time). Backward: the same mask times the gradient.
 */
export function channelDropout(z: tf.Tensor3D, rate: number, rng: Rng): tf.Tensor3D {
  const [B, H, L] = z.shape;
  const keep = 1 - rate;
  const scale = new Float32Array(B * H);
  for (let i = 0; i < scale.length; i++) scale[i] = rng.next() < keep ? 1 / keep : 0;
  const apply = (from: Float32Array): Float32Array => {
    const out = outputFloats(B * H * L);
    for (let r = 0; r < B * H; r++) {
      const s = scale[r];
      const at = r * L;
      for (let l = 0; l < L; l++) out[at + l] = from[at + l] * s;
    }
    return out;
  };
  const op = tf.customGrad((...args: unknown[]) => {
    const zt = args[0] as tf.Tensor;
    const gradFunc = (gIn: tf.Tensor | tf.Tensor[]) => [
      tf.tensor(apply(borrowFloats(Array.isArray(gIn) ? gIn[0] : gIn)), [B, H, L]),
    ];
    return { value: tf.tensor(apply(borrowFloats(zt)), [B, H, L]), gradFunc };
  });
  return op(z) as tf.Tensor3D;
}
