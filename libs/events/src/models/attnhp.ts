import { inverseSoftplus, softplus } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { AttentionParams, addAttention, multiHeadAttention } from '../nn/attention';
import { PrefixLimits, causalLimits, maskedLimits } from '../nn/prefix-limits';
import { embed, layerNorm, scaledSoftplus, temporalEncoding } from '../nn/layers';
import { IntensityEvaluator } from '../sampling/thinning';
import { Context, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export interface AttNhpConfig extends NeuralTrainingConfig {
  layers: number;
  heads: number;
  /** The paper's normaliser 1 + sum exp (true) or a plain softmax (false). */
  nullKey: boolean;
  /** One query per type at each time, as the paper (true), or one type-free query (false, K times cheaper). */
  typedQueries: boolean;
}

interface AttLayer {
  attn: AttentionParams;
  ln: [tf.Variable, tf.Variable];
}

/**
 * Attentive neural Hawkes process (Yang, Mei and Eisner 2022): the intensity at time t is
 * read from a representation computed at t itself, by attention over the events before t.
 * Layer l: r_l(t) = LN(r_{l-1}(t) + tanh(attn(r_{l-1}(t) -> events' r_{l-1}))), with
 * r_0(t) = query embedding + temporal encoding of t; events are embedded the same way with
 * their type. lambda_k(t) = softplus_{beta_k}(w_k . r_L(t)).
 * Attention weights are exp(score) / (1 + sum exp(score)) as in the paper (`nullKey`): the
 * weights of a few strong keys need not sum to 1, so r(t) can grow with the number of
 * recent events as a Hawkes intensity does; a softmax can only average them.
 * With `typedQueries` (the paper's design) type k's intensity reads its own representation
 * r_k(t), queried with type k's embedding, lambda_k(t) = softplus_{beta_k}(w_k . r_k(t) + b_k).
 * The default is one type-free query for all types (lambda = softplus_beta(W r(t) + b)):
 * K times cheaper, and on the Hawkes benchmark the typed queries did no better (gap 0.041
 * and 0.151 on two seeds against 0.019 and 0.040; docs/benchmarks.md).
 * Also differs from the paper: a layer norm after each layer (as EasyTPP's code has).
 */
export class AttNhpModel extends NeuralEventModel<AttNhpConfig> {
  private emb: tf.Variable;
  private query?: tf.Variable;
  private layers: AttLayer[];
  private out: tf.Variable;
  private bias: tf.Variable;
  private logBeta: tf.Variable;

  constructor(numTypes: number, config: AttNhpConfig) {
    super('attnhp', numTypes, config);
    const d = config.hidden;
    this.emb = this.params.add('emb', [numTypes + 1, d], { normal: 0.1 });
    if (!config.typedQueries) this.query = this.params.add('query', [d], { normal: 0.1 });
    this.layers = Array.from({ length: config.layers }, (_, i) => ({
      attn: addAttention(this.params, `layer${i}.attn`, d, config.heads),
      ln: [
        this.params.add(`layer${i}.ln.g`, [d], 'ones'),
        this.params.add(`layer${i}.ln.b`, [d], 'zeros'),
      ] as [tf.Variable, tf.Variable],
    }));
    this.out = this.params.add('out', [d, numTypes]);
    this.bias = this.params.add('bias', [numTypes], 'zeros');
    this.logBeta = this.params.add('logBeta', [numTypes], 'zeros');
  }

  /** lambda_k = softplus(bias_k) = rate_k: the output weights and log beta at zero. */
  protected initAtBaseline(rates: number[]): void {
    this.params.assign(this.out, 0);
    this.params.assign(this.bias, rates.map(inverseSoftplus));
    this.params.assign(this.logBeta, 0);
  }

  private step(l: AttLayer, x: tf.Tensor, keys: tf.Tensor, limits: PrefixLimits): tf.Tensor {
    return layerNorm(tf.add(x, tf.tanh(multiHeadAttention(l.attn, x, keys, limits, this.config.nullKey))), l.ln[0], l.ln[1]);
  }

  protected encode(batch: EventBatch): Context {
    const [B, T] = batch.gaps.shape;
    const d = this.config.hidden;
    let e = tf.add(embed(this.emb as tf.Tensor2D, batch.types), temporalEncoding(batch.times, d));
    const reps: tf.Tensor[] = [];
    const limits = causalLimits(T, batch.mask);
    for (const l of this.layers) {
      reps.push(e);
      e = this.step(l, e, e, limits);
    }
    // perPos[1], the mask, lets intensities skip the queries after padded positions
    return { perPos: [batch.times, batch.mask], perSeq: reps, pos: positionIndex(B, T) };
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const [B, P, S] = dt.shape;
    const d = this.config.hidden;
    const K = this.numTypes;
    const t = tf.add(tf.expandDims(ctx.perPos[0], -1), dt); // [B, P, S]
    const te = temporalEncoding(t, d);
    // queries in (position, time, type) order: each position's S (or S K) queries see events 0..j
    const perTime = this.query ? 1 : K;
    let q = this.query
      ? tf.reshape(tf.add(te, this.query), [B, P * S, d])
      : tf.reshape(tf.add(tf.expandDims(te, 3), tf.slice(this.emb, [0, 0], [K, d])), [B, P * S * K, d]);
    const limits = maskedLimits(ctx.pos.dataSync() as Int32Array, ctx.perPos[1], S * perTime);
    this.layers.forEach((l, i) => {
      q = this.step(l, q, ctx.perSeq[i], limits);
    });
    const pre = this.query
      ? tf.reshape(tf.matMul(tf.reshape(q, [B * P * S, d]), this.out), [B, P, S, K])
      : tf.sum(tf.mul(tf.reshape(q, [B, P, S, K, d]), tf.transpose(this.out)), -1); // w_k . r_k
    return scaledSoftplus(tf.add(pre, this.bias), tf.exp(this.logBeta)) as tf.Tensor4D;
  }

  /**
   * Thinning's pointwise evaluator in plain JS (no gradients needed there). The tfjs path
   * gathered every context's whole history per point and re-projected its keys and values
   * (two [n, T, d] x [d, d] matMuls per layer per batch of points), too slow to finish an
   * evaluation. Here the history's keys and values are projected once per context (tfjs,
   * one matMul per layer) and each point costs O(layers (d^2 + j d)) with only the j + 1
   * allowed keys visited. Same maths as `intensities` (tested against it).
   */
  protected evaluatorFor(ctx: Context): IntensityEvaluator {
    const K = this.numTypes;
    const d = this.config.hidden;
    const nh = this.config.heads;
    const dh = d / nh;
    const n = ctx.pos.shape[0];
    const T = ctx.perSeq[0].shape[1]!;
    const read = (t: tf.Tensor) => t.dataSync() as Float32Array;
    const kv = this.layers.map((l, i) =>
      tf.tidy(() =>
        [l.attn.k, l.attn.v].map((p) =>
          read(tf.add(tf.matMul(tf.reshape(ctx.perSeq[i], [n * T, d]), p.W as tf.Tensor2D), p.b ?? 0)),
        ),
      ),
    );
    const lw = this.layers.map((l) => ({
      qW: read(l.attn.q.W),
      qb: read(l.attn.q.b!),
      oW: read(l.attn.o.W),
      ob: read(l.attn.o.b!),
      g: read(l.ln[0]),
      b: read(l.ln[1]),
    }));
    const times = read(ctx.perPos[0]); // [n, 1]: time of the context's last event
    const pos = ctx.pos.dataSync() as Int32Array;
    const query = this.query ? read(this.query) : null;
    const emb = read(this.emb);
    const out = read(this.out);
    const bias = read(this.bias);
    const beta = Float32Array.from(read(this.logBeta), Math.exp);
    const freqs = new Float64Array(d);
    for (let i = 0; i < d; i++) freqs[i] = 1 / Math.pow(10000, (2 * Math.floor(i / 2)) / d);
    const x = new Float64Array(d);
    const te = new Float64Array(d);
    const q = new Float64Array(d);
    const att = new Float64Array(d);
    const o = new Float64Array(d);
    const sc = new Float64Array(T);
    const nullKey = this.config.nullKey;
    /** x := r_L(t) for context c from x = r_0(t) (the query embedding plus time encoding). */
    const runLayers = (c: number, J: number) => {
      this.layers.forEach((_, li) => {
        const w = lw[li];
        const [kp, vp] = kv[li];
        for (let j = 0; j < d; j++) q[j] = w.qb[j];
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) q[j] += x[i] * w.qW[i * d + j];
        for (let h = 0; h < nh; h++) {
          let mx = nullKey ? 0 : -Infinity;
          for (let s = 0; s <= J; s++) {
            const ko = (c * T + s) * d + h * dh;
            let a = 0;
            for (let e = 0; e < dh; e++) a += q[h * dh + e] * kp[ko + e];
            sc[s] = a / Math.sqrt(dh);
            if (sc[s] > mx) mx = sc[s];
          }
          let z = nullKey ? Math.exp(-mx) : 0;
          for (let s = 0; s <= J; s++) z += sc[s] = Math.exp(sc[s] - mx);
          for (let e = 0; e < dh; e++) att[h * dh + e] = 0;
          for (let s = 0; s <= J; s++) {
            const vo = (c * T + s) * d + h * dh;
            const a = sc[s] / z;
            for (let e = 0; e < dh; e++) att[h * dh + e] += a * vp[vo + e];
          }
        }
        for (let j = 0; j < d; j++) o[j] = w.ob[j];
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) o[j] += att[i] * w.oW[i * d + j];
        // x = LN(x + tanh(attn)) with the population variance, eps 1e-5 (layerNorm)
        let mean = 0;
        for (let i = 0; i < d; i++) mean += x[i] = x[i] + Math.tanh(o[i]);
        mean /= d;
        let v = 0;
        for (let i = 0; i < d; i++) v += (x[i] - mean) ** 2;
        const inv = 1 / Math.sqrt(v / d + 1e-5);
        for (let i = 0; i < d; i++) x[i] = (x[i] - mean) * inv * w.g[i] + w.b[i];
      });
    };
    /** lambda_k from x = r_L(t). */
    const intensityOf = (k: number) => {
      let a = bias[k];
      for (let i = 0; i < d; i++) a += x[i] * out[i * K + k];
      return softplus(beta[k] * a) / beta[k];
    };
    const evaluate = (ids: Int32Array, dt: Float64Array): Float64Array => {
      const res = new Float64Array(ids.length * K);
      for (let r = 0; r < ids.length; r++) {
        const c = ids[r];
        const t = times[c] + dt[r];
        const J = pos[c]; // keys 0..J are allowed
        for (let i = 0; i < d; i++) te[i] = Math.sin(t * freqs[i] + (i % 2 ? Math.PI / 2 : 0));
        if (query) {
          for (let i = 0; i < d; i++) x[i] = te[i] + query[i];
          runLayers(c, J);
          for (let k = 0; k < K; k++) res[r * K + k] = intensityOf(k);
        } else {
          for (let k = 0; k < K; k++) {
            for (let i = 0; i < d; i++) x[i] = te[i] + emb[k * d + i];
            runLayers(c, J);
            res[r * K + k] = intensityOf(k);
          }
        }
      }
      return res;
    };
    return { numTypes: K, evaluate };
  }
}
