import { ValidationFailed } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';

function chunkCount(x: tf.Tensor3D, ratio: number): number {
  const L = x.shape[1];
  if (!Number.isInteger(ratio) || ratio < 1 || L % ratio !== 0)
    throw new ValidationFailed(`a length of ${L} does not split into chunks of ${ratio}`, [
      { field: 'ratio', reason: `must divide the input length ${L}` },
    ]);
  return L / ratio;
}

/**
 * HiSS's chunking: x [B, L, F] is cut into L / ratio chunks of `ratio` consecutive steps,
 * the chunks of every sequence go through `low` as one batch ([B * Lc, ratio, F] -> one
 * feature vector per chunk [B * Lc, E]), and the features come back in order, [B, Lc, E]:
 * output k of sequence b is what `low` made of x[b, k ratio : (k + 1) ratio, :]. A chunk
 * sees nothing of its neighbours: the low level is stateless across chunks, as the reference's.
 */
export function chunkFeatures(
  x: tf.Tensor3D,
  ratio: number,
  low: (chunks: tf.Tensor3D) => tf.Tensor2D,
): tf.Tensor3D {
  const Lc = chunkCount(x, ratio);
  const [B, , F] = x.shape;
  return tf.tidy(() => {
    // row-major [B, L, F] is [B, Lc, ratio, F], so the reshape is exactly the chunking
    const feats = low(tf.reshape(x, [B * Lc, ratio, F]) as tf.Tensor3D);
    return tf.reshape(feats, [B, Lc, feats.shape[1]]) as tf.Tensor3D;
  });
}

/** How a flat baseline meets the output rate (see flat-model.ts). */
export type InputRate = 'mean' | 'last' | 'full';

export const INPUT_RATES: readonly InputRate[] = ['mean', 'last', 'full'];

/**
 * x [B, L, F] -> [B, L / ratio, F] at the output rate: each chunk's mean ('mean') or its last
 * sample ('last': plain subsampling, aligned with the target's time).
 */
export function toOutputRate(x: tf.Tensor3D, ratio: number, how: 'mean' | 'last'): tf.Tensor3D {
  const Lc = chunkCount(x, ratio);
  const [B, , F] = x.shape;
  return tf.tidy(() => {
    const chunks = tf.reshape(x, [B, Lc, ratio, F]);
    if (how === 'mean') return tf.mean(chunks, 2) as tf.Tensor3D;
    return tf.reshape(tf.slice(chunks, [0, 0, ratio - 1, 0], [B, Lc, 1, F]), [B, Lc, F]) as tf.Tensor3D;
  });
}

/** Outputs at the input rate [B, L, O] read at each chunk's last step (the targets' times): [B, L / ratio, O]. */
export function atChunkEnds(y: tf.Tensor3D, ratio: number): tf.Tensor3D {
  return toOutputRate(y, ratio, 'last');
}
