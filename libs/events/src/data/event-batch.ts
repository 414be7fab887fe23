import * as tf from '@tensorflow/tfjs';
import { EventSequence } from '../types';

/**
 * Padded [B, T] tensors in EasyTPP's layout. Times are shifted so each sequence starts at
 * 0 and divided by the model's time scale; gaps[b, 0] = 0; padded types hold `numTypes`
 * (an extra embedding row), padded mask is 0. Position j holds the state after event j;
 * it predicts event j + 1.
 */
export interface EventBatch {
  times: tf.Tensor2D;
  gaps: tf.Tensor2D;
  types: tf.Tensor2D;
  mask: tf.Tensor2D;
  /**
   * [B, 1] offsets added to the times the temporal encoding sees (training batches of THP
   * and SAHP: `randomTimeShift`); absent: none.
   */
  timeOffsets?: tf.Tensor2D;
}

export interface BatchShape {
  B: number;
  T: number;
}

export function batchShape(b: EventBatch): BatchShape {
  return { B: b.times.shape[0], T: b.times.shape[1] };
}

export function makeEventBatch(sequences: EventSequence[], numTypes: number, timeScale = 1, padTo?: number): EventBatch {
  const B = sequences.length;
  const T = Math.max(1, padTo ?? 0, ...sequences.map((s) => s.times.length));
  const times = new Float32Array(B * T);
  const gaps = new Float32Array(B * T);
  const types = new Int32Array(B * T).fill(numTypes);
  const mask = new Float32Array(B * T);
  for (let b = 0; b < B; b++) {
    const s = sequences[b];
    const t0 = s.times[0] ?? 0;
    for (let i = 0; i < s.times.length; i++) {
      const o = b * T + i;
      times[o] = (s.times[i] - t0) / timeScale;
      gaps[o] = i === 0 ? 0 : (s.times[i] - s.times[i - 1]) / timeScale;
      types[o] = s.types[i];
      mask[o] = 1;
    }
    // padded positions repeat the last time so temporal encodings stay finite
    for (let i = s.times.length; i < T; i++) times[b * T + i] = s.times.length ? times[b * T + s.times.length - 1] : 0;
  }
  return {
    times: tf.tensor2d(times, [B, T]),
    gaps: tf.tensor2d(gaps, [B, T]),
    types: tf.tensor2d(types, [B, T], 'int32'),
    mask: tf.tensor2d(mask, [B, T]),
  };
}

/** Sequences sorted by length into batches of similar length (less padding). */
export function lengthBuckets(sequences: EventSequence[], batchSize: number): EventSequence[][] {
  const order = sequences.map((s, i) => [s.times.length, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: EventSequence[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize).map(([, j]) => sequences[j]));
  return out;
}
