import * as tf from '@tensorflow/tfjs';

/**
 * Adaptation losses on pred and truth [B, T, V] (normalised units), each a scalar. Call
 * inside tf.tidy. T may be shorter than the horizon: the partial-label step passes the
 * observed head of a horizon (a contiguous prefix, so no mask is needed).
 */

export function mseLoss(pred: tf.Tensor3D, truth: tf.Tensor3D): tf.Scalar {
  return tf.mean(tf.squaredDifference(pred, truth));
}

/** Mean Huber loss (torch's huber_loss): 0.5 d^2 for |d| <= delta, delta (|d| - delta / 2) beyond. */
export function huberLoss(pred: tf.Tensor3D, truth: tf.Tensor3D, delta: number): tf.Scalar {
  const a = tf.abs(tf.sub(pred, truth));
  const q = tf.minimum(a, delta);
  return tf.mean(tf.add(tf.mul(tf.square(q), 0.5), tf.mul(tf.sub(a, q), delta)));
}

// cos/sin tables of the real DFT by length: tf.spectral.rfft has no gradient in tfjs, and a
// T x (T/2 + 1) matmul is cheap at T <= 720. Kept (not tidied) for the process's life.
const dftTables = new Map<number, { cos: tf.Tensor2D; sin: tf.Tensor2D }>();

function dftTable(T: number): { cos: tf.Tensor2D; sin: tf.Tensor2D } {
  let t = dftTables.get(T);
  if (!t) {
    const F = Math.floor(T / 2) + 1;
    const c = new Float32Array(T * F);
    const s = new Float32Array(T * F);
    for (let n = 0; n < T; n++)
      for (let f = 0; f < F; f++) {
        // (n f) mod T keeps the angle small, so float32 tables stay accurate at long T
        const ang = (2 * Math.PI * ((n * f) % T)) / T;
        c[n * F + f] = Math.cos(ang);
        s[n * F + f] = -Math.sin(ang);
      }
    t = tf.tidy(() => ({ cos: tf.keep(tf.tensor2d(c, [T, F])), sin: tf.keep(tf.tensor2d(s, [T, F])) }));
    dftTables.set(T, t);
  }
  return t;
}

/**
 * mean |rfft(pred) - rfft(truth)| over bins, windows and variables, rfft along time,
 * unnormalised (torch.fft.rfft's default), as PETSA's frequency term. The DFT is linear, so
 * it is taken of the difference. A 1e-12 under the square root keeps the gradient finite
 * where a bin matches exactly.
 */
export function spectralL1(pred: tf.Tensor3D, truth: tf.Tensor3D): tf.Scalar {
  const [B, T, V] = pred.shape;
  const { cos, sin } = dftTable(T);
  const d = tf.transpose(tf.sub(pred, truth), [0, 2, 1]).reshape([B * V, T]);
  const re = tf.matMul(d, cos);
  const im = tf.matMul(d, sin);
  return tf.mean(tf.sqrt(tf.add(tf.add(tf.square(re), tf.square(im)), 1e-12)));
}

/** Pearson correlation along `axis` (eps-guarded), keepDims false. */
function correlation(x: tf.Tensor, y: tf.Tensor, axis: number): tf.Tensor {
  const xc = tf.sub(x, tf.mean(x, axis, true));
  const yc = tf.sub(y, tf.mean(y, axis, true));
  const cov = tf.sum(tf.mul(xc, yc), axis);
  const den = tf.sqrt(tf.add(tf.mul(tf.sum(tf.square(xc), axis), tf.sum(tf.square(yc), axis)), 1e-12));
  return tf.div(cov, den);
}

/**
 * KL(softmax(truth - mean) || softmax(pred - mean)) along `axis`, per position (not summed):
 * the variance term of the structural losses (the softmax of a de-meaned series is
 * sharper the larger its spread).
 */
function softmaxKlTerms(pred: tf.Tensor, truth: tf.Tensor, axis: number): tf.Tensor {
  const lp = tf.logSoftmax(tf.sub(pred, tf.mean(pred, axis, true)), axis);
  const lt = tf.logSoftmax(tf.sub(truth, tf.mean(truth, axis, true)), axis);
  return tf.mul(tf.exp(lt), tf.sub(lt, lp));
}

function moveTimeLast(x: tf.Tensor3D): tf.Tensor3D {
  return tf.transpose(x, [0, 2, 1]);
}

export interface PetsaLossWeights {
  huberDelta: number;
  /** weight of the frequency term (the reference's 0.1) */
  freqWeight: number;
  /** weight of the structural term (paper variant) */
  structWeight: number;
  /** patch length of the paper's structural term (clipped to [2, T]) */
  patchLength: number;
}

/**
 * The paper's structural term (patch-wise structural loss, Kudrat et al. 2025, which PETSA
 * adopts): the horizon cut into patches of length p with stride floor(p / 2) (the last
 * patch ends at T), per patch and variable (1 - correlation) + KL of the softmaxed
 * de-meaned patches + |mean difference|, each averaged over patches, windows, variables,
 * and summed with equal weights (the PS loss's gradient-based dynamic weighting is left out).
 */
export function patchStructuralLoss(pred: tf.Tensor3D, truth: tf.Tensor3D, patchLength: number): tf.Scalar {
  const [B, T, V] = pred.shape;
  if (T < 2) return tf.scalar(0);
  const { select, patches, p } = patchTable(T, Math.max(2, Math.min(patchLength, T)));
  const cut = (x: tf.Tensor3D) =>
    tf.matMul(moveTimeLast(x).reshape([B * V, T]), select).reshape([B, V, patches, p]);
  const xp = cut(pred);
  const yp = cut(truth);
  const corr = tf.mean(tf.sub(1, correlation(xp, yp, 3)));
  const kl = tf.mean(tf.sum(softmaxKlTerms(xp, yp, 3), 3));
  const meanGap = tf.mean(tf.abs(tf.sub(tf.mean(xp, 3), tf.mean(yp, 3))));
  return tf.addN([corr, kl, meanGap]) as tf.Scalar;
}

// Patch cutting as a 0/1 matmul [T, patches * p]: tf.gather's gradient on the cpu backend
// cost ~100 ms a step at T = 96; the matmul's costs well under 1 ms. Kept per (T, p).
const patchTables = new Map<string, { select: tf.Tensor2D; patches: number; p: number }>();

function patchTable(T: number, p: number): { select: tf.Tensor2D; patches: number; p: number } {
  const key = `${T}:${p}`;
  let t = patchTables.get(key);
  if (!t) {
    const stride = Math.max(1, Math.floor(p / 2));
    const starts: number[] = [];
    for (let s = 0; s + p <= T; s += stride) starts.push(s);
    if (starts[starts.length - 1] + p < T) starts.push(T - p);
    const cols = starts.length * p;
    const m = new Float32Array(T * cols);
    starts.forEach((s, k) => {
      for (let i = 0; i < p; i++) m[(s + i) * cols + k * p + i] = 1;
    });
    t = { select: tf.keep(tf.tensor2d(m, [T, cols])), patches: starts.length, p };
    patchTables.set(key, t);
  }
  return t;
}

/** PETSA as the paper writes it: Huber + beta |FFT diff|_1 + gamma structural(patches). */
export function petsaPaperLoss(pred: tf.Tensor3D, truth: tf.Tensor3D, w: PetsaLossWeights): tf.Scalar {
  const terms = [huberLoss(pred, truth, w.huberDelta), tf.mul(spectralL1(pred, truth), w.freqWeight)];
  if (w.structWeight > 0) terms.push(tf.mul(patchStructuralLoss(pred, truth, w.patchLength), w.structWeight));
  return tf.addN(terms) as tf.Scalar;
}

/**
 * PETSA as BorealisAI/PETSA's code computes it: Huber + 0.1 mean|rfft diff| - Pearson(all
 * values flattened) + KL(softmaxed de-meaned series) + mean over windows of |mean diff|.
 * Two repairs, both to the KL term: the code calls softmax without an axis (torch then takes
 * the batch axis for [B, T, V] and the variable axis for the partial step's [T, V]), we take
 * time, as the de-meaning does; and it gives kl_div probabilities where log-probabilities
 * are expected, we give log-probabilities. kl_div's 'mean' reduction (over every element) is kept.
 */
export function petsaReferenceLoss(pred: tf.Tensor3D, truth: tf.Tensor3D, w: PetsaLossWeights): tf.Scalar {
  const huber = huberLoss(pred, truth, w.huberDelta);
  const freq = tf.mul(spectralL1(pred, truth), w.freqWeight);
  const negCorr = tf.neg(correlation(pred.reshape([-1]), truth.reshape([-1]), 0));
  const kl = tf.mean(softmaxKlTerms(moveTimeLast(pred), moveTimeLast(truth), 2));
  const meanGap = tf.mean(tf.abs(tf.sub(tf.mean(pred, 1), tf.mean(truth, 1))));
  return tf.addN([huber, freq, negCorr, kl, meanGap]) as tf.Scalar;
}
