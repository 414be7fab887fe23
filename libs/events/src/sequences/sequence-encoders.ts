import * as tf from '@tensorflow/tfjs';
import { addEncoderLayer } from '../nn/attention';
import { fusedEncoderLayer } from '../nn/fused-encoder-layer';
import { fusedRnn } from '../nn/fused-recurrences';
import { addDense, applyDense } from '../nn/layers';
import { ParamStore } from '../nn/params';
import type { SequenceBatch } from './input-encoding';

/** Turns a padded batch into one vector per sequence [B, width]. */
export interface SequenceEncoderNet {
  readonly width: number;
  encode(batch: SequenceBatch, training: boolean): tf.Tensor2D;
}

export interface EncoderSizes {
  /** Per-event input width. */
  inputs: number;
  hidden: number;
  layers: number;
  heads: number;
  /** mTAND: reference points. */
  referencePoints: number;
  /** mTAND and the Transformer: time-embedding width. */
  timeEmbedding: number;
}

/** [B, T, 1]: 1 at each sequence's last event. */
function lastEventSelector(lengths: Int32Array, T: number): tf.Tensor3D {
  const sel = new Float32Array(lengths.length * T);
  lengths.forEach((L, b) => (sel[b * T + L - 1] = 1));
  return tf.tensor3d(sel, [lengths.length, T, 1]);
}

/** Mean over each sequence's events: h [B, T, H], mask [B, T] -> [B, H]. */
export function maskedMean(h: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
  const m = tf.expandDims(mask, 2);
  return tf.div(tf.sum(tf.mul(h, m), 1), tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor2D;
}

/**
 * A GRU over the events; the sequence's vector is the state after its last event (EBES's
 * GRU). One layer: the fused recurrence (forward and BPTT in one op) passes no gradient to
 * its data inputs, so a second fused layer could not train the first.
 */
export function gruEncoder(p: ParamStore, s: EncoderSizes, name = 'gru'): SequenceEncoderNet {
  const H = s.hidden;
  const W = p.add(`${name}.W`, [s.inputs, 3 * H]);
  const U = p.add(`${name}.U`, [H, 3 * H], { normal: 1 / Math.sqrt(H) });
  const b = p.add(`${name}.b`, [1, 3 * H], 'zeros');
  return {
    width: H,
    encode(batch) {
      const [B, T] = batch.mask.shape;
      const ids = tf.zeros([B, T], 'int32') as tf.Tensor2D;
      const h = fusedRnn(
        { table: b as tf.Tensor2D, ids, features: batch.x, featureW: W as tf.Tensor2D },
        U as tf.Tensor2D,
        'gru',
        batch.lengths,
      );
      return tf.sum(tf.mul(h, lastEventSelector(batch.lengths, T)), 1) as tf.Tensor2D;
    },
  };
}

/**
 * Learned time embedding (mTAND's): one linear unit w0 t + a0 and sin(w_i t + a_i) for the
 * rest, so the model picks its own frequencies for irregular times.
 */
function timeEmbedding(p: ParamStore, name: string, width: number) {
  const lin = addDense(p, `${name}.linear`, 1, 1);
  const per = addDense(p, `${name}.periodic`, 1, width - 1);
  return (t: tf.Tensor): tf.Tensor => {
    const x = tf.expandDims(t, -1);
    return tf.concat([applyDense(x, lin), tf.sin(applyDense(x, per))], -1);
  };
}

/**
 * A bidirectional Transformer encoder (post-norm layers, the events' fused layer) over
 * projected event inputs plus a learned time embedding; the vector is the mean over events.
 */
export function transformerEncoder(p: ParamStore, s: EncoderSizes): SequenceEncoderNet {
  const d = s.hidden;
  const input = addDense(p, 'transformer.in', s.inputs, d);
  const time = timeEmbedding(p, 'transformer.time', d);
  const layers = Array.from({ length: s.layers }, (_, i) =>
    addEncoderLayer(p, `transformer.layer${i}`, d, s.heads, 2 * d),
  );
  return {
    width: d,
    encode(batch) {
      const [B, T] = batch.mask.shape;
      let x = tf.add(applyDense(batch.x, input), time(batch.times)) as tf.Tensor3D;
      // every real event sees every real event of its sequence; padding sees nothing
      const limits = new Int32Array(B * T);
      batch.lengths.forEach((L, b) => limits.fill(L - 1, b * T, b * T + L).fill(-1, b * T + L, (b + 1) * T));
      for (const l of layers) x = fusedEncoderLayer({ ...l.attn, ...l }, x, limits);
      return maskedMean(x, batch.mask);
    },
  };
}

/** Baseline: a ReLU layer per event, the mean over events, one more ReLU layer. */
export function meanPoolEncoder(p: ParamStore, s: EncoderSizes): SequenceEncoderNet {
  const first = addDense(p, 'meanpool.event', s.inputs, s.hidden);
  const second = addDense(p, 'meanpool.sequence', s.hidden, s.hidden);
  return {
    width: s.hidden,
    encode(batch) {
      const h = tf.relu(applyDense(batch.x, first)) as tf.Tensor3D;
      return tf.relu(applyDense(maskedMean(h, batch.mask), second)) as tf.Tensor2D;
    },
  };
}

/**
 * mTAND-Enc (Shukla and Marlin, 2021): multi-time attention re-reads the irregular events at
 * R fixed reference times (queries: the time embedding of the reference points, keys: that
 * of the event times, values: the event inputs), then a GRU runs over the R interpolated
 * vectors and its last state is the sequence's vector. Reference points span [0, 1.5] in
 * the scaled time (1 = the mean training duration). Every feature of an event is observed
 * at once here, so the per-feature observation masks of the paper reduce to the event mask.
 */
export function mtandEncoder(p: ParamStore, s: EncoderSizes): SequenceEncoderNet {
  const { hidden: H, heads, referencePoints: R, timeEmbedding: E } = s;
  const dk = Math.max(1, Math.floor(E / heads));
  const time = timeEmbedding(p, 'mtand.time', E);
  const q = addDense(p, 'mtand.q', E, heads * dk);
  const k = addDense(p, 'mtand.k', E, heads * dk);
  const out = addDense(p, 'mtand.out', heads * s.inputs, H);
  const Wg = p.add('mtand.gru.W', [H, 3 * H]);
  const Ug = p.add('mtand.gru.U', [H, 3 * H], { normal: 1 / Math.sqrt(H) });
  const bg = p.add('mtand.gru.b', [3 * H], 'zeros');
  return {
    width: H,
    encode(batch) {
      const [B, T] = batch.mask.shape;
      const D = s.inputs;
      const ref = tf.linspace(0, 1.5, R);
      const qs = tf.reshape(applyDense(time(ref), q), [1, R, heads, dk]).transpose([0, 2, 1, 3]);
      const ks = tf.reshape(applyDense(time(batch.times), k), [B, T, heads, dk]).transpose([0, 2, 1, 3]);
      // scores [B heads, R, T] (batched products; tfjs's einsum has no gradient), padded events at -1e9
      const scores = tf.div(
        tf.matMul(
          tf.tile(qs, [B, 1, 1, 1]).reshape([B * heads, R, dk]) as tf.Tensor3D,
          ks.reshape([B * heads, T, dk]) as tf.Tensor3D,
          false,
          true,
        ),
        Math.sqrt(dk),
      );
      const pad = tf
        .tile(tf.mul(tf.sub(1, batch.mask), -1e9).reshape([B, 1, 1, T]), [1, heads, 1, 1])
        .reshape([B * heads, 1, T]);
      const att = tf.softmax(tf.add(scores, pad), -1) as tf.Tensor3D;
      const xs3 = tf
        .tile(tf.expandDims(batch.x, 1), [1, heads, 1, 1])
        .reshape([B * heads, T, D]) as tf.Tensor3D;
      const values = tf
        .matMul(att, xs3)
        .reshape([B, heads, R, D])
        .transpose([0, 2, 1, 3])
        .reshape([B, R, heads * D]);
      const z = tf.relu(applyDense(values, out)) as tf.Tensor3D;
      // the GRU over the reference points in tfjs ops (its inputs need gradients, which the fused op does not give)
      const xs = tf.unstack(tf.add(applyDense(z, { W: Wg }), bg), 1);
      let h = tf.zeros([B, H]) as tf.Tensor2D;
      for (const xt of xs) {
        const hu = tf.matMul(h, Ug as tf.Tensor2D);
        const [xz, xr, xn] = tf.split(xt, 3, 1);
        const [hz, hr, hn] = tf.split(hu, 3, 1);
        const zt = tf.sigmoid(tf.add(xz, hz));
        const rt = tf.sigmoid(tf.add(xr, hr));
        const nt = tf.tanh(tf.add(xn, tf.mul(rt, hn)));
        h = tf.add(tf.mul(tf.sub(1, zt), nt), tf.mul(zt, h)) as tf.Tensor2D;
      }
      return h;
    },
  };
}
