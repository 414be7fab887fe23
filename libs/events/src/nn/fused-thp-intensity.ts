import { softplus } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import { pass } from './native-passes';

/**
 * THP's intensities as one op with a hand-written backward: for position p's head output
 * base [K] and elapsed-time scale denom, at gaps dt_s,
 *   lambda_{s,k} = softplus(beta_k (base_k + alpha_k dt_s / denom)) / beta_k,  beta = e^logBeta.
 * base [B, P, K], denom [B, P], dt [B, P, S], alpha and logBeta [K] -> [B, P, S, K];
 * gradients for all five inputs.
 *
 * Why: as tfjs ops this is ~9 ops forward and ~20 backward on [B, P, S, K] tensors (the
 * broadcasts and their gradient sums), each with tfjs-cpu's per-op overhead, called twice
 * per step (at the events and on the integral's grid). Where the native kernels are in
 * use, one native call each way (vector softplus and logistic). Checked against the tfjs-op
 * formula in fused-heads.spec.ts, on every kernel tier.
 */
export function fusedThpIntensity(
  base: tf.Tensor3D,
  denom: tf.Tensor2D,
  dt: tf.Tensor3D,
  alpha: tf.Tensor1D,
  logBeta: tf.Tensor1D,
): tf.Tensor4D {
  const [B, P, K] = base.shape;
  if (denom.shape[0] !== B || denom.shape[1] !== P || dt.shape[0] !== B || dt.shape[1] !== P || alpha.size !== K || logBeta.size !== K)
    throw new Error(`fusedThpIntensity: base [${base.shape}], denom [${denom.shape}], dt [${dt.shape}], alpha [${alpha.shape}], logBeta [${logBeta.shape}] do not match`);
  return thpIntensity(base, denom, dt, alpha, logBeta);
}

/** fusedThpIntensity on native-thp-intensity.ts where the native kernels are in use, else in JS loops. */
const thpIntensity = pass('thpIntensity', (base, denom, dt, alpha, logBeta) => {
  const [B, P, K] = base.shape;
  const S = dt.shape[2];
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const [bs, ds, ts, as, lb] = args.slice(0, 5).map((t) => t.dataSync() as Float32Array);
    const beta = Float64Array.from(lb, Math.exp);
    const R = B * P * S;
    const pre = new Float64Array(R * K); // beta (base + alpha x)
    const lambda = new Float32Array(R * K);
    for (let r = 0; r < R; r++) {
      const p = Math.floor(r / S);
      const x = ts[r] / ds[p];
      for (let k = 0; k < K; k++) {
        const z = beta[k] * (bs[p * K + k] + as[k] * x);
        pre[r * K + k] = z;
        lambda[r * K + k] = softplus(z) / beta[k];
      }
    }
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const dBase = new Float64Array(B * P * K);
      const dDenom = new Float64Array(B * P);
      const dDt = new Float32Array(R);
      const dAlpha = new Float64Array(K);
      const dLogBeta = new Float64Array(K);
      for (let r = 0; r < R; r++) {
        const p = Math.floor(r / S);
        const x = ts[r] / ds[p];
        let dx = 0;
        for (let k = 0; k < K; k++) {
          const i = r * K + k;
          const z = pre[i];
          const sig = 1 / (1 + Math.exp(-z));
          const dInner = g[i] * sig; // d lambda / d(base + alpha x)
          dBase[p * K + k] += dInner;
          dAlpha[k] += dInner * x;
          dx += dInner * as[k];
          // lambda = softplus(z) / beta with z = beta u: d/dlog beta = sig z / beta - lambda
          dLogBeta[k] += g[i] * (sig * z / beta[k] - lambda[i]);
        }
        dDt[r] = dx / ds[p];
        dDenom[p] -= (dx * x) / ds[p];
      }
      const f32 = (a: Float64Array) => Float32Array.from(a);
      return [
        tf.tensor3d(f32(dBase), [B, P, K]),
        tf.tensor2d(f32(dDenom), [B, P]),
        tf.tensor3d(dDt, [B, P, S]),
        tf.tensor1d(f32(dAlpha)),
        tf.tensor1d(f32(dLogBeta)),
      ];
    };
    return { value: tf.tensor4d(lambda, [B, P, S, K]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(base, denom, dt, alpha, logBeta) as tf.Tensor4D;
});

/**
 * THP's sampled likelihood terms as one op (the native kernels only; null elsewhere, where
 * the model takes the generic path of intensities and tfjs reductions): for each position's
 * next gap g and type k' (K where padded), with the stratified uniforms u [B, P, G],
 *   logEvent = log(lambda_k'(g) + 1e-9),  integral = g / G sum_s sum_k lambda_k(u_s g),
 * the values the generic path computes, in one pass each way instead of two intensity ops
 * and ~20 tfjs ops on [B, P, G, K] tensors. Gradients for base, denom, alpha and logBeta.
 */
export const fusedThpTerms = pass('thpTerms', () => null);
