import * as tf from '@tensorflow/tfjs';
import type { FrozenForecast } from '../../frozen-forecast';

/**
 * A frozen forecaster that is one fixed linear map per channel, normalised units:
 * y[j] = sum_i x[i] M[i, j]. Differentiable, cheap and exactly known.
 */
export function linearFrozen(
  M: Float32Array,
  lookback: number,
  horizon: number,
  channels: number,
): FrozenForecast {
  const m = tf.keep(tf.tensor2d(M, [lookback, horizon]));
  return {
    lookback,
    channels,
    maxHorizon: horizon,
    forward(x, h) {
      const [B, L, V] = x.shape;
      const flat = tf.transpose(x, [0, 2, 1]).reshape([B * V, L]);
      const y = tf.matMul(flat, m).reshape([B, V, horizon]);
      const out = tf.transpose(y, [0, 2, 1]) as tf.Tensor3D;
      return h === horizon ? out : (tf.slice(out, [0, 0, 0], [B, h, V]) as tf.Tensor3D);
    },
  };
}

/**
 * Seasonal naive around the window's own mean, minus that mean: y[j] = x[L - P + (j mod P)]
 * - mean(x). It repeats the last season's shape but always forecasts a zero level, so a
 * level shift in the stream costs it the shift squared per step: the error an output
 * module's bias can learn away. (A last-value-normalised model such as NLinear would follow
 * the shift by itself, which is why it is not the frozen model of the shift test.)
 */
export function zeroLevelSeasonalNaive(lookback: number, horizon: number, period: number): Float32Array {
  const M = new Float32Array(lookback * horizon);
  for (let j = 0; j < horizon; j++) {
    M[(lookback - period + (j % period)) * horizon + j] += 1;
    for (let i = 0; i < lookback; i++) M[i * horizon + j] -= 1 / lookback;
  }
  return M;
}

/** A random linear map (small weights), for tests that only need some model. */
export function randomMap(lookback: number, horizon: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const M = new Float32Array(lookback * horizon);
  for (let i = 0; i < M.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    M[i] = (s / 4294967296 - 0.5) * (2 / lookback);
  }
  return M;
}

/** Sine of period `period` + seeded Gaussian-ish noise + `shift` from time `shiftAt` on, per channel (phase-shifted). */
export function seasonalSeries(
  n: number,
  channels: number,
  period: number,
  noise: number,
  shift = 0,
  shiftAt = Infinity,
  seed = 1,
): number[][] {
  let s = seed >>> 0;
  const u = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  return Array.from({ length: channels }, (_, c) =>
    Array.from({ length: n }, (_, t) => {
      const e = (u() + u() + u() - 1.5) * 2 * noise;
      return Math.sin((2 * Math.PI * t) / period + c) + e + (t >= shiftAt ? shift : 0);
    }),
  );
}

/** Central finite-difference gradient of f at entry j of a variable (float32: h of 1e-2 keeps rounding small). */
export function finiteDifference(v: tf.Variable, j: number, f: () => number, h = 1e-2): number {
  const base = Float32Array.from(v.dataSync() as Float32Array);
  const at = (delta: number) => {
    const w = base.slice();
    w[j] += delta;
    tf.tidy(() => v.assign(tf.tensor(w, v.shape, 'float32')));
    return f();
  };
  const up = at(h);
  const down = at(-h);
  tf.tidy(() => v.assign(tf.tensor(base, v.shape, 'float32')));
  return (up - down) / (2 * h);
}
