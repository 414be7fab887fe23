import { Unprocessable } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';

/**
 * The zoo is channel-independent: `forward` lays a context [batch, time, channels] out as
 * rows [batch * channels, time], lets the model map rows to [rows, horizon], and lays
 * the result back as [batch, horizon, channels]. The checks mirror checkPredictRequest.
 */
export function forwardByChannel(
  context: tf.Tensor3D,
  horizon: number,
  limits: { kind: string; lookback: number; maxHorizon: number },
  rows: (x: tf.Tensor2D, horizon: number) => tf.Tensor2D,
): tf.Tensor3D {
  if (context.rank !== 3)
    throw new Unprocessable(`forward takes a context [batch, time, channels], got rank ${context.rank}`, [
      { field: 'context', reason: 'must be rank 3' },
    ]);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > limits.maxHorizon)
    throw new Unprocessable(
      `horizon ${horizon} is not within this ${limits.kind} model's limit of ${limits.maxHorizon} steps`,
      [{ field: 'horizon', reason: `a positive integer, at most ${limits.maxHorizon}` }],
    );
  const [B, T, C] = context.shape;
  if (T < limits.lookback)
    throw new Unprocessable(
      `context has ${T} steps; this ${limits.kind} model needs at least ${limits.lookback}`,
      [{ field: 'context', reason: `needs at least ${limits.lookback} steps (lookback), got ${T}` }],
    );
  return tf.tidy(() => {
    const x = tf.reshape(tf.transpose(context, [0, 2, 1]), [B * C, T]) as tf.Tensor2D;
    const y = rows(x, horizon);
    return tf.transpose(tf.reshape(y, [B, C, horizon]), [0, 2, 1]) as tf.Tensor3D;
  });
}

/** The last `length` columns of rows [N, T]. */
export function lastColumns(x: tf.Tensor2D, length: number): tf.Tensor2D {
  const [N, T] = x.shape;
  return T === length ? x : tf.slice(x, [0, T - length], [N, length]);
}
