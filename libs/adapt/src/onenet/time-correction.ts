import * as tf from '@tensorflow/tfjs';
import type { ParamSet } from './param-set';

/**
 * OneNet's branch across time, as a correction of the frozen forecast: each variable's own
 * normalised window [L] -> a correction of its forecast [H], one linear map (W [L, H],
 * b [H]) shared by every variable. Shared because OneNet's time encoder is: it treats each
 * variable as a sample of one univariate model, so every step gives V examples to learn
 * from and the size does not grow with V. Zero at start, so g_T = f before any update.
 *
 * Simplified from the paper, whose branch is an FSNet/TCN encoder trained end to end: here
 * only a linear head beside the frozen model learns (for a linear frozen model, f + W x + b
 * is exactly online fine-tuning of its weights).
 */
export class TimeCorrection {
  private readonly weight: tf.Variable;
  private readonly bias: tf.Variable;

  constructor(
    params: ParamSet,
    readonly lookback: number,
    readonly horizon: number,
  ) {
    this.weight = params.add('time.weight', tf.zeros([lookback, horizon]));
    this.bias = params.add('time.bias', tf.zeros([horizon]));
  }

  /** x [B, L, V] -> correction [B, H, V]. */
  apply(x: tf.Tensor3D): tf.Tensor3D {
    const [B, L, V] = x.shape;
    const rows = tf.reshape(tf.transpose(x, [0, 2, 1]), [B * V, L]);
    const out = tf.add(tf.matMul(rows, this.weight), this.bias);
    return tf.transpose(tf.reshape(out, [B, V, this.horizon]), [0, 2, 1]);
  }
}
