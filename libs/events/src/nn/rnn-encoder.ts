import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { fusedRnn } from './fused-recurrences';
import { embed } from './layers';
import { ParamStore } from './params';

export type RnnCell = 'rnn' | 'gru';

export interface RnnEncoder {
  cell: RnnCell;
  hidden: number;
  emb: tf.Variable;
  W: tf.Variable;
  U: tf.Variable;
  b: tf.Variable;
}

/** Event features: type embedding, gap, log gap (the time inputs of RMTPP and IntensityFree). */
export const RNN_TIME_FEATURES = 2;

export function addRnnEncoder(p: ParamStore, name: string, numTypes: number, embDim: number, hidden: number, cell: RnnCell): RnnEncoder {
  const gates = cell === 'gru' ? 3 : 1;
  return {
    cell,
    hidden,
    emb: p.add(`${name}.emb`, [numTypes + 1, embDim], { normal: 0.1 }),
    W: p.add(`${name}.W`, [embDim + RNN_TIME_FEATURES, gates * hidden]),
    U: p.add(`${name}.U`, [hidden, gates * hidden], { normal: 1 / Math.sqrt(hidden) }),
    b: p.add(`${name}.b`, [gates * hidden], 'zeros'),
  };
}

/**
 * h_j after feeding events 0..j: [B, T, H]. The input projection of all steps is one
 * matMul; the recurrence is one fused op. `logGapShift` / `logGapScale`
 * standardise log gaps (IntensityFree's input normalisation).
 */
export function runRnnEncoder(e: RnnEncoder, batch: EventBatch, logGap: { shift: number; scale: number } = { shift: 0, scale: 1 }): tf.Tensor3D {
  const [B, T] = batch.gaps.shape;
  const x = tf.concat(
    [embed(e.emb as tf.Tensor2D, batch.types), tf.expandDims(batch.gaps, -1), tf.expandDims(tf.div(tf.sub(tf.log(tf.add(batch.gaps, 1e-3)), logGap.shift), logGap.scale), -1)],
    -1,
  );
  const X = tf.add(tf.reshape(tf.matMul(tf.reshape(x, [B * T, -1]), e.W), [B, T, -1]), e.b) as tf.Tensor3D;
  // the recurrence as one op (forward and BPTT in plain JS): tfjs's per-op overhead made
  // the step-by-step version (rnnReference, same maths) 10x slower
  return fusedRnn(X, e.U as tf.Tensor2D, e.cell);
}
