import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { fusedRnn } from './fused-recurrences';
import { ParamStore } from './params';
import { lengthsFromMask } from './step-plan';

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

export function addRnnEncoder(
  p: ParamStore,
  name: string,
  numTypes: number,
  embDim: number,
  hidden: number,
  cell: RnnCell,
): RnnEncoder {
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
 * h_j after feeding events 0..j: [B, T, H]. An event's input [emb(type), gap, log gap]
 * W + b is split as a per-type table emb W_emb + b (V rows, one small matMul) plus the two
 * time features times their rows of W, which the fused recurrence reads step by step
 * (same maths as the [B T, E + 2] x [E + 2, G H] product, without it). `logGap`
 * standardises log gaps (IntensityFree's input normalisation).
 */
export function runRnnEncoder(
  e: RnnEncoder,
  batch: EventBatch,
  logGap: { shift: number; scale: number } = { shift: 0, scale: 1 },
): tf.Tensor3D {
  const [B, T] = batch.gaps.shape;
  const [E, GH] = [e.emb.shape[1]!, e.W.shape[1]!];
  const table = tf.add(
    tf.matMul(e.emb as tf.Tensor2D, tf.slice(e.W as tf.Tensor2D, [0, 0], [E, GH])),
    e.b,
  ) as tf.Tensor2D;
  const featureW = tf.slice(e.W as tf.Tensor2D, [E, 0], [RNN_TIME_FEATURES, GH]);
  const inputs = { table, ids: batch.types, features: timeFeatures(batch.gaps, logGap), featureW };
  // the recurrence as one op (forward and BPTT in plain JS): tfjs's per-op overhead made
  // the step-by-step version (rnnReference, same maths) 10x slower. h is 0 past each
  // sequence's end (those positions are masked out of every loss).
  return fusedRnn(
    inputs,
    e.U as tf.Tensor2D,
    e.cell,
    lengthsFromMask(batch.mask.dataSync() as Float32Array, B, T),
  );
}

/** [B, T, 2]: the gap and its standardised log, log(gap + 1e-3) shifted and scaled (no gradient: data). */
function timeFeatures(gaps: tf.Tensor2D, logGap: { shift: number; scale: number }): tf.Tensor3D {
  const g = gaps.dataSync() as Float32Array;
  const out = new Float32Array(2 * g.length);
  for (let i = 0; i < g.length; i++) {
    out[2 * i] = g[i];
    out[2 * i + 1] = (Math.log(g[i] + 1e-3) - logGap.shift) / logGap.scale;
  }
  return tf.tensor3d(out, [...gaps.shape, 2]);
}
