import * as tf from '@tensorflow/tfjs';
import type { ChannelScale } from '../../adapter';
import { frozenForecast, type FrozenForecast } from '../../frozen-forecast';

/**
 * A fixed linear forecaster in data units, y[h][v] = sum_i A[i][h] x[i][v] over the window's
 * L values (shared by the channels), with its plain-JS twin for the expected values of tests.
 */
export function linearFrozen(lookback: number, horizon: number, channels: number, scale: ChannelScale) {
  const A = new Float32Array(lookback * horizon);
  for (let i = 0; i < lookback; i++)
    for (let h = 0; h < horizon; h++)
      A[i * horizon + h] = ((i + 1) / lookback) * (0.2 + 0.05 * h) * (i % 2 ? -0.5 : 1);
  const frozen: FrozenForecast = frozenForecast(
    (x, h) =>
      tf.tidy(() => {
        const [B, L, V] = x.shape;
        const rows = tf.reshape(tf.transpose(x, [0, 2, 1]), [B * V, L]);
        const out = tf.matMul(rows, tf.slice(tf.tensor2d(A, [L, horizon]), [0, 0], [L, h]));
        return tf.transpose(tf.reshape(out, [B, V, h]), [0, 2, 1]) as tf.Tensor3D;
      }),
    { lookback, channels, maxHorizon: horizon },
    scale,
  );
  /** The forecast of the last `lookback` values of `series` (one array per channel), data units. */
  const expected = (series: ArrayLike<number>[]): number[][] =>
    series.map((ch) => {
      const x = Array.from(ch).slice(-lookback);
      return Array.from({ length: horizon }, (_, h) =>
        x.reduce((s, xi, i) => s + A[i * horizon + h] * xi, 0),
      );
    });
  return { frozen, expected };
}

/** A reproducible multichannel test stream: sines of different periods plus a little deterministic noise. */
export function testStream(channels: number, length: number, offset = 0): number[][] {
  return Array.from({ length: channels }, (_, c) =>
    Array.from({ length }, (_, k) => {
      const t = k + offset;
      return 10 * c + 3 * Math.sin((2 * Math.PI * t) / (7 + 3 * c)) + 0.3 * Math.sin(t * 12.9898 + c);
    }),
  );
}
