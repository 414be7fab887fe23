import { ValidationFailed } from '@seqcast/core';
import { deriveSeed, Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import type { FlatSizes, SequenceNetwork } from './flat-s4d-network';
import { Dense, ParamTable } from './param-table';

interface EncoderLayer {
  norm1: { gamma: tf.Variable; beta: tf.Variable };
  norm2: { gamma: tf.Variable; beta: tf.Variable };
  /** Q, K, V projections in one [d, 3d] (torch's in_proj) */
  qkv: Dense;
  out: Dense;
  ff1: Dense;
  ff2: Dense;
}

/** Sinusoidal positions (Vaswani et al.): PE[t, 2i] = sin(t / 10000^(2i/d)), PE[t, 2i+1] = cos(same). */
export function positionalEncoding(T: number, d: number): Float32Array {
  const pe = new Float32Array(T * d);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < d; i += 2) {
      const angle = t * Math.exp((-i * Math.log(10000)) / d);
      pe[t * d + i] = Math.sin(angle);
      if (i + 1 < d) pe[t * d + i + 1] = Math.cos(angle);
    }
  return pe;
}

/**
 * The reference's causal TransformerModel: Linear F -> d (weights U(-0.1, 0.1)), sinusoidal
 * positions added, `layers` torch TransformerEncoderLayers with norm_first (prenorm),
 * feed-forward width d, ReLU, dropout on the attention weights, inside the feed-forward and
 * on both residual branches, a causal mask; Linear d -> O. No final LayerNorm (the reference
 * builds nn.TransformerEncoder without one).
 */
export class CausalTransformerNetwork implements SequenceNetwork {
  readonly params = new ParamTable();
  private readonly embed: Dense;
  private readonly layers: EncoderLayer[];
  private readonly decoder: Dense;
  private readonly width: number;
  private readonly heads: number;
  private readonly dropout: number;
  private readonly dropoutRng: Rng;

  constructor(features: number, outputs: number, s: FlatSizes & { heads: number }) {
    if (s.width % s.heads !== 0)
      throw new ValidationFailed('the width must split into the heads', [
        { field: 'config.heads', reason: `must divide width ${s.width}` },
      ]);
    const d = s.width;
    this.width = d;
    this.heads = s.heads;
    this.dropout = s.dropout;
    const rng = new Rng(deriveSeed(s.seed, 0x5452));
    this.embed = this.params.dense('embed', features, d, rng, 0.1);
    const norm = (name: string) => ({
      gamma: this.params.create(`${name}.gamma`, new Float32Array(d).fill(1), [d]),
      beta: this.params.create(`${name}.beta`, new Float32Array(d), [d]),
    });
    this.layers = Array.from({ length: s.layers }, (_, l) => {
      const p = `layers.${l}`;
      const layer: EncoderLayer = {
        norm1: norm(`${p}.norm1`),
        norm2: norm(`${p}.norm2`),
        // torch: in_proj xavier_uniform (bound sqrt(6 / (d + 3d))), out_proj bound 1/sqrt(d); both biases 0
        qkv: this.params.dense(`${p}.qkv`, d, 3 * d, rng, Math.sqrt(6 / (4 * d))),
        out: this.params.dense(`${p}.out`, d, d, rng),
        ff1: this.params.dense(`${p}.ff1`, d, d, rng),
        ff2: this.params.dense(`${p}.ff2`, d, d, rng),
      };
      tf.tidy(() => {
        layer.qkv.b.assign(tf.zeros([3 * d]));
        layer.out.b.assign(tf.zeros([d]));
      });
      return layer;
    });
    this.decoder = this.params.dense('decoder', d, outputs, rng);
    this.dropoutRng = this.params.addStream('dropout', new Rng(deriveSeed(s.seed, 0xd0)));
  }

  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const [, T] = x.shape;
      const d = this.width;
      let h = tf.add(this.embed.apply(x), tf.tensor3d(positionalEncoding(T, d), [1, T, d])) as tf.Tensor3D;
      // -inf above the diagonal: step t attends to steps <= t
      const mask = tf.tensor2d(
        Float32Array.from({ length: T * T }, (_, i) => (i % T > Math.floor(i / T) ? -1e9 : 0)),
        [T, T],
      );
      const drop = (z: tf.Tensor3D) =>
        training && this.dropout > 0
          ? (tf.dropout(z, this.dropout, undefined, this.dropoutRng.fork()) as tf.Tensor3D)
          : z;
      for (const layer of this.layers) {
        const a = this.attention(layerNorm(h, layer.norm1), layer, mask, training);
        h = tf.add(h, drop(a));
        const f = layer.ff2.apply(drop(tf.relu(layer.ff1.apply(layerNorm(h, layer.norm2)))));
        h = tf.add(h, drop(f));
      }
      return this.decoder.apply(h);
    });
  }

  private attention(x: tf.Tensor3D, layer: EncoderLayer, mask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const [B, T, d] = x.shape;
    const nh = this.heads;
    const dh = d / nh;
    const [q, k, v] = tf.split(layer.qkv.apply(x), 3, 2);
    // [B, T, d] -> [B * nh, T, dh]
    const heads = (z: tf.Tensor) =>
      tf.reshape(tf.transpose(tf.reshape(z, [B, T, nh, dh]), [0, 2, 1, 3]), [B * nh, T, dh]);
    const scores = tf.add(tf.div(tf.matMul(heads(q), heads(k), false, true), Math.sqrt(dh)), mask);
    let weights = tf.softmax(scores, -1);
    if (training && this.dropout > 0)
      weights = tf.dropout(weights, this.dropout, undefined, this.dropoutRng.fork());
    const ctx = tf.matMul(weights, heads(v)) as tf.Tensor3D;
    const merged = tf.reshape(tf.transpose(tf.reshape(ctx, [B, nh, T, dh]), [0, 2, 1, 3]), [B, T, d]);
    return layer.out.apply(merged) as tf.Tensor3D;
  }
}

/** LayerNorm over the last axis (torch's eps 1e-5). */
function layerNorm(x: tf.Tensor3D, p: { gamma: tf.Variable; beta: tf.Variable }): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(
    tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), p.gamma),
    p.beta,
  ) as tf.Tensor3D;
}
