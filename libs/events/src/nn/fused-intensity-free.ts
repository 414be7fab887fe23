import { erf } from '@seqcast/numeric';
import { fastExp } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { pass } from './native-passes';
import type { MixtureSpec } from './pass-types';

// local binding: calls through an imported binding go through the module's export getter
const exp = fastExp;

/**
 * IntensityFree's exact likelihood terms (Shchur et al. 2020) as one op with the backward
 * pass by hand. Written in tfjs (IntensityFreeModel.exactTermsReference) it is ~30 small
 * ops per direction on [B, P, J, M] tensors, each costing more in per-op overhead than
 * its arithmetic; here it is one pass over the positions that have a next event.
 *
 * Per position, from the mixture head's raw outputs [J, 3, M] (weight logits, means, log
 * scales) and the mark logits [K], with the next gap tau and type k':
 *   y = (log max(tau, 1e-8) - mean) / std
 *   logW = logSoftmax(raw[j, 0]), mu = raw[j, 1], s = clip(raw[j, 2], -5, 1), z = (y - mu) / e^s
 *   log f_j = logsumexp(logW - z^2 / 2 - s - log(2 pi) / 2) - log std - log tau
 *   log S_j = logsumexp(logW + log max((1 - erf(z / sqrt 2)) / 2, 1e-30))
 *   logP = logSoftmax(logits)
 * one mixture (J = 1): logEvent = logP_k' + log f_0 - log S_0, integral = -log S_0;
 * one per mark (joint, J = K): log S = logsumexp_j(logP_j + log S_j),
 *   logEvent = logP_k' + log f_k' - log S, integral = -log S.
 * erf is tfjs's own approximation (Abramowitz and Stegun 7.1.26) with tfjs's gradient
 * (the exact erf'), so values and gradients match the tfjs ops. Where the native kernels
 * are in use the same arithmetic runs there (native/src/intensity-free-impl.h).
 */
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const FLOOR = Math.fround(1e-30); // the survival floor as the float32 tfjs compares against
const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * (1 - erf(z / sqrt 2)) / 2 rounded to float32 after each step as the tfjs ops do: in the
 * far tail (z > ~5.4) float32 makes it exactly 0 and the 1e-30 floor takes over, where
 * doubles would keep a tiny value whose log differs by tens; matching the floor keeps
 * the likelihood of outlying gaps the same.
 */
function survival(z: number): number {
  const f = Math.fround;
  return f(0.5 * f(1 - f(erf(f(f(z) / Math.SQRT2)))));
}

/** log sum_i exp(a[off + i]) for i < n, and a's softmax into w[0..n). */
function logSumExp(a: Float64Array, off: number, n: number, w: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) m = Math.max(m, a[off + i]);
  let s = 0;
  for (let i = 0; i < n; i++) s += w[i] = exp(a[off + i] - m);
  for (let i = 0; i < n; i++) w[i] /= s;
  return m + Math.log(s);
}

/** One mixture's intermediates at one position, per component (scratch reused across positions). */
class MixtureScratch {
  readonly logW: Float64Array;
  readonly w0: Float64Array; // softmax of the weight logits
  readonly z: Float64Array;
  readonly sigma: Float64Array;
  readonly tail: Float64Array; // (1 - erf(z / sqrt 2)) / 2 before the floor
  readonly a: Float64Array; // logW + log N
  readonly b: Float64Array; // logW + log tail
  readonly wa: Float64Array; // softmaxes of a and b
  readonly wb: Float64Array;
  logF = 0;
  logS = 0;

  /** w0, z, sigma, tail, wa, wb side by side: what the backward pass reads (save / restore). */
  private readonly kept: Float64Array;

  constructor(M: number) {
    this.kept = new Float64Array(6 * M);
    [this.w0, this.z, this.sigma, this.tail, this.wa, this.wb] = Array.from({ length: 6 }, (_, q) =>
      this.kept.subarray(q * M, (q + 1) * M),
    );
    [this.logW, this.a, this.b] = Array.from({ length: 3 }, () => new Float64Array(M));
  }

  /** Evaluates mixture j of the position whose raw outputs start at off, at standardised log gap y. */
  evaluate(raw: Float32Array, off: number, M: number, y: number, logTau: number, logStd: number): void {
    const tmp = this.a;
    for (let m = 0; m < M; m++) tmp[m] = raw[off + m];
    const lse0 = logSumExp(tmp, 0, M, this.w0);
    for (let m = 0; m < M; m++) {
      const logW = raw[off + m] - lse0;
      const s = Math.min(Math.max(raw[off + 2 * M + m], -5), 1);
      const sigma = exp(s);
      const z = (y - raw[off + M + m]) / sigma;
      const tail = survival(z);
      this.logW[m] = logW;
      this.sigma[m] = sigma;
      this.z[m] = z;
      this.tail[m] = tail;
      this.a[m] = logW - 0.5 * z * z - s - HALF_LOG_2PI;
      this.b[m] = logW + Math.log(Math.max(tail, FLOOR));
    }
    this.logF = logSumExp(this.a, 0, M, this.wa) - logStd - logTau;
    this.logS = logSumExp(this.b, 0, M, this.wb);
  }

  /** The per-component values the backward pass reads, saved at `at` in `store` (6 M floats; loops: no allocation). */
  save(store: Float64Array, at: number): void {
    const kept = this.kept;
    for (let i = 0; i < kept.length; i++) store[at + i] = kept[i];
  }

  /** Back from `save`. */
  restore(store: Float64Array, at: number): void {
    const kept = this.kept;
    for (let i = 0; i < kept.length; i++) kept[i] = store[at + i];
  }

  /** Adds dL/draw for this mixture (at off) given dL/dlog f and dL/dlog S. */
  backward(raw: Float32Array, off: number, M: number, gF: number, gS: number, dRaw: Float32Array): void {
    let sumW = 0;
    for (let m = 0; m < M; m++) {
      const da = gF * this.wa[m];
      const db = gS * this.wb[m];
      const z = this.z[m];
      // log N = -z^2 / 2 - s; log tail through the floor (tf.maximum passes the gradient when tail >= 1e-30)
      const dTail = this.tail[m] >= FLOOR ? db / this.tail[m] : 0;
      const dz = -z * da - 0.5 * dTail * TWO_OVER_SQRT_PI * exp(-0.5 * z * z) * Math.SQRT1_2;
      const ds = -da - dz * z; // z = (y - mu) / e^s
      const s = raw[off + 2 * M + m];
      dRaw[off + M + m] += -dz / this.sigma[m];
      if (s >= -5 && s <= 1) dRaw[off + 2 * M + m] += ds; // clipByValue passes the gradient inside the range
      dRaw[off + m] += da + db; // through logW, before the softmax's normalisation below
      sumW += da + db;
    }
    for (let m = 0; m < M; m++) dRaw[off + m] -= this.w0[m] * sumW;
  }
}

/** The per-position quantities both passes need. */
interface PositionState {
  mixtures: MixtureScratch[];
  logP: Float64Array;
  pSoft: Float64Array; // softmax of the mark logits
  wJoint: Float64Array; // joint: softmax_j(logP_j + log S_j)
  joint: Float64Array; // joint: logP_j + log S_j
  logSTotal: number;
}

function evaluatePosition(
  st: PositionState,
  raw: Float32Array,
  logits: Float32Array,
  p: number,
  K: number,
  spec: MixtureSpec,
  tau: number,
): void {
  const { J, M } = spec;
  const logTau = Math.log(Math.max(tau, 1e-8));
  const y = (logTau - spec.mean) / spec.std;
  for (let k = 0; k < K; k++) st.logP[k] = logits[p * K + k];
  const lseP = logSumExp(st.logP, 0, K, st.pSoft);
  for (let k = 0; k < K; k++) st.logP[k] -= lseP;
  for (let j = 0; j < J; j++)
    st.mixtures[j].evaluate(raw, (p * J + j) * 3 * M, M, y, logTau, Math.log(spec.std));
  if (J > 1) {
    for (let j = 0; j < J; j++) st.joint[j] = st.logP[j] + st.mixtures[j].logS;
    st.logSTotal = logSumExp(st.joint, 0, J, st.wJoint);
  } else st.logSTotal = st.mixtures[0].logS;
}

/** [2, B, P]: logEvent and integral; 0 where the next type is padding (>= K). */
export function intensityFreeTerms(
  raw: tf.Tensor3D,
  logits: tf.Tensor3D,
  nextGaps: tf.Tensor2D,
  nextTypes: tf.Tensor2D,
  spec: MixtureSpec,
): tf.Tensor3D {
  const K = logits.shape[2];
  const { J, M } = spec;
  if (raw.shape[2] !== J * 3 * M || (J !== 1 && J !== K))
    throw new Error(`intensityFreeTerms: raw [${raw.shape}] does not hold ${J} mixtures of ${M} components`);
  return ifTerms(raw, logits, nextGaps.dataSync() as Float32Array, nextTypes.dataSync() as Int32Array, spec);
}

/** intensityFreeTerms on native-intensity-free.ts where the native kernels are in use, else in JS loops. */
const ifTerms = pass('intensityFreeTerms', (raw, logits, gaps, types, spec) => {
  const [B, P] = [raw.shape[0], raw.shape[1]];
  const K = logits.shape[2];
  const { J, M } = spec;
  const newState = (): PositionState => ({
    mixtures: Array.from({ length: J }, () => new MixtureScratch(M)),
    logP: new Float64Array(K),
    pSoft: new Float64Array(K),
    wJoint: new Float64Array(J),
    joint: new Float64Array(J),
    logSTotal: 0,
  });
  const op = tf.customGrad(((rawT: tf.Tensor, logitsT: tf.Tensor) => {
    const rs = rawT.dataSync() as Float32Array;
    const ls = logitsT.dataSync() as Float32Array;
    const st = newState();
    const out = new Float32Array(2 * B * P);
    // what the backward pass reads, per scored position (kept: recomputing the mixtures'
    // exp / log / erf took longer than the rest of the backward pass)
    let scored = 0;
    for (let p = 0; p < B * P; p++) if (types[p] >= 0 && types[p] < K) scored++;
    const width = J * 6 * M + K + J;
    const store = new Float64Array(scored * width); // scored positions in order
    for (let p = 0, n = 0; p < B * P; p++) {
      const k = types[p];
      if (!(k >= 0 && k < K)) continue;
      evaluatePosition(st, rs, ls, p, K, spec, gaps[p]);
      out[p] = st.logP[k] + st.mixtures[J > 1 ? k : 0].logF - st.logSTotal;
      out[B * P + p] = -st.logSTotal;
      const at = n++ * width;
      for (let j = 0; j < J; j++) st.mixtures[j].save(store, at + j * 6 * M);
      for (let q = 0; q < K; q++) store[at + J * 6 * M + q] = st.pSoft[q];
      for (let j = 0; j < J; j++) store[at + J * 6 * M + K + j] = st.wJoint[j];
    }
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const dRaw = new Float32Array(rs.length);
      const dLogits = new Float32Array(ls.length);
      const dLogP = new Float64Array(K);
      for (let p = 0, n = 0; p < B * P; p++) {
        const k = types[p];
        if (!(k >= 0 && k < K)) continue;
        const at = n++ * width; // the same order as the forward pass
        if (g[p] === 0 && g[B * P + p] === 0) continue;
        for (let j = 0; j < J; j++) st.mixtures[j].restore(store, at + j * 6 * M);
        for (let q = 0; q < K; q++) st.pSoft[q] = store[at + J * 6 * M + q];
        for (let j = 0; j < J; j++) st.wJoint[j] = store[at + J * 6 * M + K + j];
        const gTotal = -g[p] - g[B * P + p]; // dL/dlog S (total)
        dLogP.fill(0);
        dLogP[k] = g[p];
        for (let j = 0; j < J; j++) {
          const gS = J > 1 ? gTotal * st.wJoint[j] : gTotal;
          if (J > 1) dLogP[j] += gS; // log S = logsumexp_j(logP_j + log S_j)
          st.mixtures[j].backward(rs, (p * J + j) * 3 * M, M, j === (J > 1 ? k : 0) ? g[p] : 0, gS, dRaw);
        }
        let sum = 0;
        for (let q = 0; q < K; q++) sum += dLogP[q];
        for (let q = 0; q < K; q++) dLogits[p * K + q] += dLogP[q] - st.pSoft[q] * sum;
      }
      return [tf.tensor3d(dRaw, raw.shape), tf.tensor3d(dLogits, logits.shape)];
    };
    return { value: tf.tensor3d(out, [2, B, P]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(raw, logits) as tf.Tensor3D;
});
