import { erf } from '@seqcast/numeric';
import { Rng } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { EventBatch } from '../data/event-batch';
import { fusedDense } from '../nn/fused-dense';
import { intensityFreeTerms } from '../nn/fused-intensity-free';
import { addDense } from '../nn/layers';
import { RnnCell, RnnEncoder, addRnnEncoder, runRnnEncoder } from '../nn/rnn-encoder';
import { EventSequence } from '../types';
import { Context, ExactTerms, NeuralEventModel } from './neural-event-model';
import { positionIndex } from './positions';
import { NeuralTrainingConfig } from './training-config';

export interface IntensityFreeConfig extends NeuralTrainingConfig {
  embDim: number;
  cell: RnnCell;
  /** Log-normal mixture components. */
  components: number;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** E[min(tau, D)] for log tau ~ N(a, s^2): the log-normal mean truncated like every sampled gap is. */
export function truncatedLogNormalMean(a: number, s: number, D: number): number {
  const lnD = Math.log(D);
  return Math.exp(a + 0.5 * s * s) * normalCdf((lnD - a - s * s) / s) + D * (1 - normalCdf((lnD - a) / s));
}

/**
 * A mixture of M normals fitted to the density exp(x - e^x) of log E, E ~ Exp(1), by EM on
 * a grid weighted by that density (started from equal weights at its quantile midpoints):
 * a log-normal mixture with these parts is within a small KL divergence of an exponential
 * gap (which one log-normal cannot be: KL 0.10), so IntensityFree can start at the Poisson fit.
 */
export function exponentialLogGapMixture(M: number): ExponentialLogGapMixture {
  let fit = mixtureCache.get(M);
  if (!fit) mixtureCache.set(M, (fit = fitExponentialLogGapMixture(M)));
  return fit;
}

interface ExponentialLogGapMixture {
  logWeights: number[];
  means: number[];
  scales: number[];
}
const mixtureCache = new Map<number, ExponentialLogGapMixture>();

function fitExponentialLogGapMixture(M: number): ExponentialLogGapMixture {
  const dx = 0.04;
  const xs: number[] = [];
  const ps: number[] = [];
  for (let x = -16; x <= 3; x += dx) {
    xs.push(x);
    ps.push(Math.exp(x - Math.exp(x)) * dx);
  }
  const w = new Array(M).fill(1 / M);
  const means = Array.from({ length: M }, (_, m) => Math.log(-Math.log(1 - (m + 0.5) / M)));
  const scales = new Array(M).fill(1.3 / Math.sqrt(M));
  const resp = new Float64Array(M);
  // EM converges slowly in the tails (300 iterations leave log-density errors of 0.02 at
  // gaps of e^-5 mean gaps, where a burst's gaps lie; 2000 leave 0.008)
  for (let iter = 0; iter < 2000; iter++) {
    const n0 = new Float64Array(M);
    const n1 = new Float64Array(M);
    const n2 = new Float64Array(M);
    for (let n = 0; n < xs.length; n++) {
      let total = 0;
      for (let m = 0; m < M; m++) {
        const z = (xs[n] - means[m]) / scales[m];
        total += resp[m] = (w[m] / scales[m]) * Math.exp(-0.5 * z * z);
      }
      if (!(total > 0)) continue;
      for (let m = 0; m < M; m++) {
        const r = (ps[n] * resp[m]) / total;
        n0[m] += r;
        n1[m] += r * xs[n];
        n2[m] += r * xs[n] * xs[n];
      }
    }
    for (let m = 0; m < M; m++) {
      if (!(n0[m] > 1e-12)) continue;
      w[m] = n0[m];
      means[m] = n1[m] / n0[m];
      // a floor on the scale: a component on one grid cell would fit the grid, not the density
      scales[m] = Math.sqrt(Math.max(n2[m] / n0[m] - means[m] ** 2, (4 * dx) ** 2));
    }
  }
  const sum = w.reduce((a, b) => a + b, 0);
  return { logWeights: w.map((v) => Math.log(Math.max(v / sum, 1e-30))), means, scales };
}

/**
 * IntensityFree (Shchur, Bilos and Guennemann 2020): the next gap tau given the history is a
 * log-normal mixture, log tau standardised by the training log-gaps' mean and std; marks
 * from a categorical on h, independent of tau given h. Exact likelihood, exact sampling,
 * exact conditional mean sum_m w_m exp(mu_m + s_m^2 / 2).
 *
 * `joint` is the time-mark inter-dependent variant (Panos et al.'s joint_tpp layout):
 * f(tau, k) = p(k | h) f_k(tau | h) with one mixture per mark. Intensity when asked for:
 * lambda_k(tau) = p_k f_k(tau) / sum_j p_j S_j(tau).
 */
export class IntensityFreeModel extends NeuralEventModel<IntensityFreeConfig> {
  private enc: RnnEncoder;
  private mix: { W: tf.Tensor; b?: tf.Tensor };
  private marks: { W: tf.Tensor; b?: tf.Tensor };
  private readonly mixtures: number;

  constructor(
    numTypes: number,
    config: IntensityFreeConfig,
    readonly joint = false,
  ) {
    super(joint ? 'intensity_free_joint' : 'intensity_free', numTypes, config);
    this.mixtures = joint ? numTypes : 1;
    this.state.logGapMean = 0;
    this.state.logGapStd = 1;
    this.enc = addRnnEncoder(this.params, 'enc', numTypes, config.embDim, config.hidden, config.cell);
    this.mix = addDense(this.params, 'mix', config.hidden, 3 * this.mixtures * config.components);
    this.marks = addDense(this.params, 'marks', config.hidden, numTypes);
  }

  protected prepareData(train: EventSequence[]): void {
    const logs: number[] = [];
    for (const s of train)
      for (let i = 1; i < s.times.length; i++)
        logs.push(Math.log(Math.max((s.times[i] - s.times[i - 1]) / this.state.timeScale, 1e-8)));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const std = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length) || 1;
    this.state.logGapMean = mean;
    this.state.logGapStd = std;
  }

  /**
   * The Poisson fit: every mixture (one, or one per mark) is exponentialLogGapMixture moved
   * to the total rate and standardised like the log gaps, with the history's weights on it
   * at zero; the marks start at the type frequencies. p(k) f(tau) is then rate_k
   * exp(-rate tau) to within the mixture's approximation.
   */
  protected initAtBaseline(rates: number[]): void {
    const M = this.config.components;
    const J = this.mixtures;
    const total = rates.reduce((a, r) => a + r, 0);
    const { logWeights, means, scales } = exponentialLogGapMixture(M);
    const { logGapMean: mean, logGapStd: std } = this.state;
    const bias = new Float32Array(J * 3 * M);
    for (let j = 0; j < J; j++)
      for (let m = 0; m < M; m++) {
        bias[j * 3 * M + m] = logWeights[m];
        bias[j * 3 * M + M + m] = (means[m] - Math.log(total) - mean) / std;
        bias[j * 3 * M + 2 * M + m] = Math.log(scales[m] / std);
      }
    this.params.assign(this.mix.W, 0);
    this.params.assign(this.mix.b!, bias);
    this.params.assign(this.marks.W, 0);
    this.params.assign(
      this.marks.b!,
      rates.map((r) => Math.log(r / total)),
    );
  }

  /** perPos: the mixture head's raw outputs [B, T, J 3 M] and the mark logits [B, T, K] (`parts` derives the mixture from them). */
  protected encode(batch: EventBatch): Context {
    const h = runRnnEncoder(this.enc, batch, { shift: this.state.logGapMean, scale: this.state.logGapStd });
    const [B, T] = batch.gaps.shape;
    const raw = fusedDense(h, this.mix.W as tf.Tensor2D, this.mix.b as tf.Tensor1D);
    const logits = fusedDense(h, this.marks.W as tf.Tensor2D, this.marks.b as tf.Tensor1D);
    return { perPos: [raw, logits], perSeq: [], pos: positionIndex(B, T) };
  }

  /** The mixture's log weights, means and log scales [B, P, J, M] and the marks' log probabilities [B, P, K]. */
  private parts(ctx: Context): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
    const [raw, logits] = ctx.perPos;
    const [B, P] = ctx.pos.shape;
    const J = this.mixtures;
    const M = this.config.components;
    const r = tf.reshape(raw, [B, P, J, 3, M]);
    const part = (i: number) => tf.squeeze(tf.slice(r, [0, 0, 0, i, 0], [B, P, J, 1, M]), [3]); // [B, P, J, M]
    return [tf.logSoftmax(part(0)), part(1), tf.clipByValue(part(2), -5, 1), tf.logSoftmax(logits)];
  }

  /** log f_j(tau) and log S_j(tau) per mixture j: [B, P, S, J]; dt scaled. */
  private logDensitySurvival(ctx: Context, dt: tf.Tensor3D): { logF: tf.Tensor; logS: tf.Tensor } {
    const [logW, mu, logSigma] = this.parts(ctx)
      .slice(0, 3)
      .map((t) => tf.expandDims(t, 2)); // [B, P, 1, J, M]
    const logTau = tf.log(tf.maximum(dt, 1e-8));
    const y = tf.expandDims(
      tf.expandDims(tf.div(tf.sub(logTau, this.state.logGapMean), this.state.logGapStd), -1),
      -1,
    ); // [B, P, S, 1, 1]
    const sigma = tf.exp(logSigma);
    const z = tf.div(tf.sub(y, mu), sigma);
    const logN = tf.sub(tf.sub(tf.mul(tf.square(z), -0.5), logSigma), HALF_LOG_2PI);
    const logF = tf.sub(
      tf.sub(tf.logSumExp(tf.add(logW, logN), -1), Math.log(this.state.logGapStd)),
      tf.expandDims(logTau, -1),
    );
    const tail = tf.maximum(tf.mul(tf.sub(1, tf.erf(tf.div(z, Math.SQRT2))), 0.5), 1e-30);
    const logS = tf.logSumExp(tf.add(logW, tf.log(tail)), -1);
    return { logF, logS };
  }

  protected intensities(ctx: Context, dt: tf.Tensor3D): tf.Tensor4D {
    const logP = tf.expandDims(this.parts(ctx)[3], 2); // [B, P, 1, K]
    const { logF, logS } = this.logDensitySurvival(ctx, dt);
    if (!this.joint) return tf.exp(tf.add(logP, tf.sub(logF, logS))) as tf.Tensor4D; // J = 1 broadcasts over K
    const logSTotal = tf.logSumExp(tf.add(logP, logS), -1, true);
    return tf.exp(tf.sub(tf.add(logP, logF), logSTotal)) as tf.Tensor4D;
  }

  protected exactTerms(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    // one fused op (exactTermsReference is the same maths in tfjs ops); positions without a next event hold 0
    const spec = {
      J: this.mixtures,
      M: this.config.components,
      mean: this.state.logGapMean,
      std: this.state.logGapStd,
    };
    const [logEvent, integral] = tf.unstack(
      intensityFreeTerms(
        ctx.perPos[0] as tf.Tensor3D,
        ctx.perPos[1] as tf.Tensor3D,
        nextGaps,
        nextTypes,
        spec,
      ),
      0,
    ) as tf.Tensor2D[];
    return { logEvent, integral };
  }

  /** The tfjs-op version of `exactTerms` (tests compare the fused op against it). */
  exactTermsReference(ctx: Context, nextGaps: tf.Tensor2D, nextTypes: tf.Tensor2D): ExactTerms {
    const [B, P] = nextGaps.shape;
    const K = this.numTypes;
    const { logF, logS } = this.logDensitySurvival(ctx, tf.expandDims(nextGaps, -1) as tf.Tensor3D);
    const logP = this.parts(ctx)[3];
    const onehot = tf.oneHot(nextTypes, K + 1).slice([0, 0, 0], [B, P, K]);
    const pick = (x: tf.Tensor) => tf.sum(tf.mul(x, onehot), -1);
    const f = tf.squeeze(logF, [2]); // [B, P, J]
    const s = tf.squeeze(logS, [2]);
    // LL = log p_k + log f_k(tau), split as log lambda_k(tau) - Lambda(tau) with Lambda = -log S
    if (!this.joint) {
      const logSurv = tf.squeeze(s, [2]);
      return {
        logEvent: tf.sub(tf.add(pick(logP), tf.squeeze(f, [2])), logSurv) as tf.Tensor2D,
        integral: tf.neg(logSurv) as tf.Tensor2D,
      };
    }
    const logSTotal = tf.logSumExp(tf.add(logP, s), -1);
    return {
      logEvent: tf.sub(tf.add(pick(logP), pick(f)), logSTotal) as tf.Tensor2D,
      integral: tf.neg(logSTotal) as tf.Tensor2D,
    };
  }

  private readContexts(ctx: Context): {
    logW: Float32Array;
    mu: Float32Array;
    logSigma: Float32Array;
    logP: Float32Array;
    n: number;
  } {
    // read outside the tidy: a tidy walks what it returns, typed arrays element by element
    const parts = tf.tidy(() => this.parts(ctx));
    const [logW, mu, logSigma, logP] = parts.map((t) => t.dataSync() as Float32Array);
    tf.dispose(parts);
    return { logW, mu, logSigma, logP, n: ctx.pos.shape[0] };
  }

  protected sampleExact(
    ctx: Context,
    n: number,
    samples: number,
    rng: Rng,
  ): { gaps: Float64Array; types: Int32Array; typeProbs: Float64Array } {
    const { logW, mu, logSigma, logP } = this.readContexts(ctx);
    const K = this.numTypes;
    const J = this.mixtures;
    const M = this.config.components;
    const gaps = new Float64Array(n * samples);
    const types = new Int32Array(n * samples);
    const typeProbs = new Float64Array(n * samples * K);
    const pick = (logits: ArrayLike<number>, off: number, len: number) => {
      let u = rng.next();
      for (let i = 0; i < len - 1; i++) {
        u -= Math.exp(logits[off + i]);
        if (u < 0) return i;
      }
      return len - 1;
    };
    const { logGapMean: m, logGapStd: sd } = this.state;
    const D = this.state.dtimeMax / this.state.timeScale;
    for (let c = 0; c < n; c++) {
      for (let s = 0; s < samples; s++) {
        const r = c * samples + s;
        const k = pick(logP, c * K, K);
        const j = this.joint ? k : 0;
        const off = (c * J + j) * M;
        const comp = pick(logW, off, M);
        const y = mu[off + comp] + Math.exp(logSigma[off + comp]) * rng.normal();
        gaps[r] = Math.min(Math.exp(m + sd * y), D);
        types[r] = k;
        if (!this.joint) for (let q = 0; q < K; q++) typeProbs[r * K + q] = Math.exp(logP[c * K + q]);
      }
    }
    if (this.joint) {
      // P(k | tau) for the drawn taus, from the per-mark densities
      const ids = Int32Array.from({ length: n * samples }, (_, r) => Math.floor(r / samples));
      const lam = this.evaluatorFor(ctx).evaluate(ids, gaps);
      for (let r = 0; r < n * samples; r++) {
        let tot = 0;
        for (let q = 0; q < K; q++) tot += lam[r * K + q];
        for (let q = 0; q < K; q++) typeProbs[r * K + q] = tot > 0 ? lam[r * K + q] / tot : 1 / K;
      }
    }
    return { gaps, types, typeProbs };
  }

  protected exactMean(ctx: Context): Float64Array {
    const { logW, mu, logSigma, logP, n } = this.readContexts(ctx);
    const K = this.numTypes;
    const J = this.mixtures;
    const M = this.config.components;
    const { logGapMean: m, logGapStd: sd } = this.state;
    const out = new Float64Array(n);
    // Mixture tails can be heavy enough that the untruncated mean is dominated by gaps
    // never seen in training; truncating at dtimeMax matches what the samplers do.
    const D = this.state.dtimeMax / this.state.timeScale;
    for (let c = 0; c < n; c++) {
      for (let j = 0; j < J; j++) {
        let e = 0;
        for (let q = 0; q < M; q++) {
          const o = (c * J + j) * M + q;
          const s = sd * Math.exp(logSigma[o]);
          e += Math.exp(logW[o]) * truncatedLogNormalMean(m + sd * mu[o], s, D);
        }
        out[c] += (this.joint ? Math.exp(logP[c * K + j]) : 1) * e;
      }
    }
    return out;
  }
}
