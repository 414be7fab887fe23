import { softplus } from '@seqcast/numeric';
import { kernelArena } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { multiply, transpose } from './arena-gemm';
import { pass } from './native-passes';
import { columnSums, rowsOf } from './row-ops';

/**
 * SAHP's intensities as one op with a hand-written backward: for position p's mu, eta,
 * gamma [d] and gaps dt_s,
 *   state_s = mu + (eta - mu) exp(-gamma dt_s),  lambda_s = softplus(state_s W + b) [K].
 * mu, eta, gamma [B, P, d], dt [B, P, S], W [d, K], b [K] -> [B, P, S, K]; gradients for
 * all six inputs.
 *
 * Why: in tfjs ops this is ~10 ops forward and ~25 backward on [B, P, S, d] tensors (the
 * broadcasts of the per-position vectors over S and their gradient sums), most of SAHP's
 * step; here one pass of JS loops, the exp on the kernel arena, two small products on
 * the gemm; where the native kernels are in use, one native call each way. Checked against
 * the tfjs-op formula in fused-heads.spec.ts, on every kernel tier.
 */
export function fusedSahpIntensity(
  mu: tf.Tensor3D,
  eta: tf.Tensor3D,
  gamma: tf.Tensor3D,
  dt: tf.Tensor3D,
  W: tf.Tensor2D,
  b: tf.Tensor1D,
): tf.Tensor4D {
  const [B, P, d] = mu.shape;
  const K = W.shape[1];
  if (dt.shape[0] !== B || dt.shape[1] !== P || W.shape[0] !== d || b.size !== K)
    throw new Error(`fusedSahpIntensity: mu [${mu.shape}], dt [${dt.shape}], W [${W.shape}], b [${b.shape}] do not match`);
  return sahpIntensity(mu, eta, gamma, dt, W, b);
}

/** fusedSahpIntensity on native-sahp-intensity.ts where the native kernels are in use, else in JS loops. */
const sahpIntensity = pass('sahpIntensity', (mu, eta, gamma, dt, W, b) => {
  const [B, P, d] = mu.shape;
  const S = dt.shape[2];
  const K = W.shape[1];
  const R = B * P * S;
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const [ms, es, gs, ts, ws, bs] = args.slice(0, 6).map((t) => t.dataSync() as Float32Array);
    // E = exp(-gamma dt) per (row, unit), on the arena
    const arena = kernelArena(R * d);
    const buf = arena.buf;
    for (let r = 0; r < R; r++) {
      const o = Math.floor(r / S) * d;
      const t = ts[r];
      for (let j = 0; j < d; j++) buf[r * d + j] = -gs[o + j] * t;
    }
    arena.exp(0, R * d);
    const E = buf.slice(0, R * d);
    const state = new Float32Array(R * d);
    for (let r = 0; r < R; r++) {
      const o = Math.floor(r / S) * d;
      for (let j = 0; j < d; j++) state[r * d + j] = ms[o + j] + (es[o + j] - ms[o + j]) * E[r * d + j];
    }
    const pre = rowsOf(bs, R);
    multiply(R, K, d, state, false, ws, pre);
    const lambda = new Float32Array(R * K);
    for (let i = 0; i < R * K; i++) lambda[i] = softplus(pre[i]);

    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const dpre = new Float32Array(R * K);
      for (let i = 0; i < R * K; i++) dpre[i] = g[i] / (1 + Math.exp(-pre[i]));
      const dW = new Float32Array(d * K);
      multiply(d, K, R, state, true, dpre, dW);
      const dstate = new Float32Array(R * d);
      multiply(R, d, K, dpre, false, transpose(ws, d, K), dstate);
      // per-position gradients sum over the S gaps: float64
      const dmu = new Float64Array(B * P * d);
      const deta = new Float64Array(B * P * d);
      const dgamma = new Float64Array(B * P * d);
      const ddt = new Float32Array(R);
      for (let r = 0; r < R; r++) {
        const o = Math.floor(r / S) * d;
        const t = ts[r];
        let sdt = 0;
        for (let j = 0; j < d; j++) {
          const ds = dstate[r * d + j];
          const e = E[r * d + j];
          const de = ds * (es[o + j] - ms[o + j]) * e; // d/d(-gamma dt) of the state
          dmu[o + j] += ds * (1 - e);
          deta[o + j] += ds * e;
          dgamma[o + j] -= de * t;
          sdt -= de * gs[o + j];
        }
        ddt[r] = sdt;
      }
      const f32 = (a: Float64Array) => Float32Array.from(a);
      return [
        tf.tensor3d(f32(dmu), [B, P, d]),
        tf.tensor3d(f32(deta), [B, P, d]),
        tf.tensor3d(f32(dgamma), [B, P, d]),
        tf.tensor3d(ddt, [B, P, S]),
        tf.tensor2d(dW, [d, K]),
        tf.tensor1d(columnSums(dpre, K)),
      ];
    };
    return { value: tf.tensor4d(lambda, [B, P, S, K]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(mu, eta, gamma, dt, W, b) as tf.Tensor4D;
});

/**
 * SAHP's step after the encoder as one op (the native kernels only; null elsewhere, where
 * the model runs its heads in tfjs ops and the generic path of two intensity ops and
 * fusedSampledTerms): from the encoder's output h [B, P, d], the heads
 *   mu = gelu(h Wmu + bmu), eta = softplus(h Weta + beta), gamma = softplus(h Wgamma + bgamma)
 * and the sampled terms of fusedThpTerms's formula on SAHP's intensities (with out's W, b),
 * two native calls each way instead of ~10 tfjs ops and their gradients. Gradients for h
 * and every weight.
 */
export const fusedSahpHeadsTerms = pass('sahpHeadsTerms', () => null);
