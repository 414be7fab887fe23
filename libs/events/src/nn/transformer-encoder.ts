import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { EncoderLayerParams, addEncoderLayer } from './attention';
import { causalLimits } from './prefix-limits';
import { fusedEncoderLayer } from './fused-encoder-layer';
import { embed, temporalEncoding } from './layers';
import { ParamStore } from './params';

export interface TransformerEncoder {
  d: number;
  emb: tf.Variable;
  layers: EncoderLayerParams[];
}

export function addTransformerEncoder(
  p: ParamStore,
  name: string,
  numTypes: number,
  d: number,
  layers: number,
  heads: number,
): TransformerEncoder {
  return {
    d,
    emb: p.add(`${name}.emb`, [numTypes + 1, d], { normal: 0.1 }),
    layers: Array.from({ length: layers }, (_, i) =>
      addEncoderLayer(p, `${name}.layer${i}`, d, heads, 2 * d),
    ),
  };
}

/**
 * Causal Transformer over type embedding + temporal encoding of the event times: [B, T, d].
 * The batch's `timeOffsets`, where set, shift each sequence's times before they are encoded.
 */
export function runTransformerEncoder(e: TransformerEncoder, batch: EventBatch): tf.Tensor3D {
  const T = batch.times.shape[1];
  const times = batch.timeOffsets ? tf.add(batch.times, batch.timeOffsets) : batch.times;
  let x = tf.add(embed(e.emb as tf.Tensor2D, batch.types), temporalEncoding(times, e.d));
  const limits = causalLimits(T, batch.mask);
  for (const l of e.layers) x = fusedEncoderLayer({ ...l.attn, ...l }, x as tf.Tensor3D, limits);
  return x as tf.Tensor3D;
}
