import type { TrainDataset } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/** One mini-batch, zero-padded to its longest sequence; `mask` is 1 on real output steps. */
export interface Seq2SeqBatch {
  /** [B, L, F] scaled input features */
  x: tf.Tensor3D;
  /** [B, T, O] scaled targets */
  y: tf.Tensor3D;
  /** [B, T, 1] */
  mask: tf.Tensor3D;
}

/**
 * Scaled sequences (time-major input features and targets) handed out as padded batches, as
 * the reference's pad_sequence does. Padding sits after a sequence's end, so causal models
 * compute the real steps exactly as unpadded; the masked loss ignores the rest. `lengthOf`
 * lets the Trainer batch sequences of like length together.
 */
export class PaddedSequences implements TrainDataset<Seq2SeqBatch> {
  constructor(
    readonly inputs: Float32Array[],
    readonly targets: Float32Array[],
    readonly features: number,
    readonly outputs: number,
    readonly ratio: number,
  ) {}

  get size(): number {
    return this.inputs.length;
  }

  /** Output steps of a sequence. */
  lengthOf(row: number): number {
    return this.targets[row].length / this.outputs;
  }

  batch(rows: number[]): Seq2SeqBatch {
    const T = Math.max(...rows.map((r) => this.lengthOf(r)));
    const L = T * this.ratio;
    const B = rows.length;
    const F = this.features;
    const O = this.outputs;
    const x = new Float32Array(B * L * F);
    const y = new Float32Array(B * T * O);
    const mask = new Float32Array(B * T);
    rows.forEach((r, b) => {
      x.set(this.inputs[r], b * L * F);
      y.set(this.targets[r], b * T * O);
      mask.fill(1, b * T, b * T + this.lengthOf(r));
    });
    return { x: tf.tensor3d(x, [B, L, F]), y: tf.tensor3d(y, [B, T, O]), mask: tf.tensor3d(mask, [B, T, 1]) };
  }
}

/**
 * The reference's masked MSE (MaskedLoss with a summed MSELoss, divided by the output
 * channels times the real steps): the mean squared error over the real (step, channel) pairs.
 */
export function maskedMse(pred: tf.Tensor3D, y: tf.Tensor3D, mask: tf.Tensor3D): tf.Scalar {
  return tf.tidy(() => {
    const sse = tf.sum(tf.mul(tf.square(tf.sub(pred, y)), mask));
    return tf.div(sse, tf.mul(tf.sum(mask), y.shape[2])) as tf.Scalar;
  });
}
