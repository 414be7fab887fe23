import * as tf from '@tensorflow/tfjs';
import type { ChannelScale } from './adapter';

/**
 * The frozen forecaster as adapters see it: normalised units in and out. Gradients flow
 * through `forward` to its input (TAFAS/PETSA's input module) and, for a model whose
 * weights are tf variables, to those (OneNet's time branch may train them; adapters that
 * keep the model frozen pass only their own variables to the optimiser).
 */
export interface FrozenForecast {
  readonly lookback: number;
  readonly channels: number;
  readonly maxHorizon: number;
  /** x [batch, lookback, channels] -> [batch, horizon, channels], normalised units. Call inside tf.tidy. */
  forward(x: tf.Tensor3D, horizon: number): tf.Tensor3D;
}

/** A forecaster's forward in data units (Forecaster.forward, or ScaledForecaster.forward with its series key). */
export type DataForward = (context: tf.Tensor3D, horizon: number) => tf.Tensor3D;

/**
 * The frozen view of a forecaster whose forward takes and returns data units: the input is
 * taken back to data units by `scale`, the output normalised by it.
 */
export function frozenForecast(
  forward: DataForward,
  shape: { lookback: number; channels: number; maxHorizon: number },
  scale: ChannelScale,
): FrozenForecast {
  const C = shape.channels;
  if (scale.mean.length !== C || scale.std.length !== C)
    throw new Error(`scale has ${scale.mean.length} means and ${scale.std.length} stds for ${C} channels`);
  return {
    ...shape,
    forward(x, horizon) {
      const mean = tf.tensor3d(scale.mean, [1, 1, C]);
      const std = tf.tensor3d(scale.std, [1, 1, C]);
      const y = forward(tf.add(tf.mul(x, std), mean) as tf.Tensor3D, horizon);
      return tf.div(tf.sub(y, mean), std) as tf.Tensor3D;
    },
  };
}

/** Per-channel mean and population std of a context (std 0 gives 1): the scale of a series the model never saw. */
export function scaleOf(context: ReadonlyArray<ArrayLike<number>>): ChannelScale {
  const mean: number[] = [];
  const std: number[] = [];
  for (const ch of context) {
    let s = 0;
    for (let i = 0; i < ch.length; i++) s += ch[i];
    const m = s / ch.length;
    let v = 0;
    for (let i = 0; i < ch.length; i++) v += (ch[i] - m) ** 2;
    const sd = Math.sqrt(v / ch.length);
    mean.push(m);
    std.push(sd > 0 ? sd : 1);
  }
  return { mean, std };
}
