import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
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
 * matMul; the recurrence itself is the only per-step work. `logGapShift` / `logGapScale`
 * standardise log gaps (IntensityFree's input normalisation).
 */
export function runRnnEncoder(e: RnnEncoder, batch: EventBatch, logGap: { shift: number; scale: number } = { shift: 0, scale: 1 }): tf.Tensor3D {
  const [B, T] = batch.gaps.shape;
  const H = e.hidden;
  const x = tf.concat(
    [embed(e.emb as tf.Tensor2D, batch.types), tf.expandDims(batch.gaps, -1), tf.expandDims(tf.div(tf.sub(tf.log(tf.add(batch.gaps, 1e-3)), logGap.shift), logGap.scale), -1)],
    -1,
  );
  const X = tf.add(tf.reshape(tf.matMul(tf.reshape(x, [B * T, -1]), e.W), [B, T, -1]), e.b);
  const steps = tf.unstack(X, 1);
  let h: tf.Tensor2D = tf.zeros([B, H]);
  const outs: tf.Tensor2D[] = [];
  for (let t = 0; t < T; t++) {
    if (e.cell === 'rnn') h = tf.tanh(tf.add(steps[t], tf.matMul(h, e.U))) as tf.Tensor2D;
    else {
      const hu = tf.matMul(h, e.U);
      const [xz, xr, xn] = tf.split(steps[t], 3, 1);
      const [hz, hr, hn] = tf.split(hu, 3, 1);
      const z = tf.sigmoid(tf.add(xz, hz));
      const r = tf.sigmoid(tf.add(xr, hr));
      const nn = tf.tanh(tf.add(xn, tf.mul(r, hn)));
      h = tf.add(tf.mul(tf.sub(1, z), nn), tf.mul(z, h)) as tf.Tensor2D;
    }
    outs.push(h);
  }
  return tf.stack(outs, 1) as tf.Tensor3D;
}
