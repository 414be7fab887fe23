import { NativeKernels, scratchPool } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { DenseParams } from './pass-types';
import { nativeSampledTerms } from './native-sampled-terms';
import { packed, unpacked } from './packed-weights';

/** The sahpIntensity pass (fused-sahp-intensity.ts): forward and backward as one native call each. */
export function nativeSahpIntensity(
  nk: NativeKernels,
  mu: tf.Tensor3D,
  eta: tf.Tensor3D,
  gamma: tf.Tensor3D,
  dt: tf.Tensor3D,
  W: tf.Tensor2D,
  b: tf.Tensor1D,
): tf.Tensor4D {
  const [B, P, d] = mu.shape;
  const S = dt.shape[2];
  const K = W.shape[1];
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const [ms, es, gs, ts, ws, bs] = args.slice(0, 6).map((t) => t.dataSync() as Float32Array);
    const pre = new Float32Array(B * P * S * K);
    const lambda = new Float32Array(pre.length);
    nk.sahpForward(ms, es, gs, ts, ws, bs, S, pre, lambda);
    const gradFunc = (dy: tf.Tensor) => {
      const [dmu, deta, dgamma] = [0, 1, 2].map(() => new Float32Array(B * P * d));
      const ddt = new Float32Array(B * P * S);
      const dW = new Float32Array(d * K);
      const db = new Float32Array(K);
      nk.sahpBackward(dy.dataSync() as Float32Array, ms, es, gs, ts, ws, pre, S, dmu, deta, dgamma, ddt, dW, db);
      return [
        tf.tensor3d(dmu, [B, P, d]),
        tf.tensor3d(deta, [B, P, d]),
        tf.tensor3d(dgamma, [B, P, d]),
        tf.tensor3d(ddt, [B, P, S]),
        tf.tensor2d(dW, [d, K]),
        tf.tensor1d(db),
      ];
    };
    return { value: tf.tensor4d(lambda, [B, P, S, K]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(mu, eta, gamma, dt, W, b) as tf.Tensor4D;
}

/** The sahpHeadsTerms pass (fused-sahp-intensity.ts): SAHP's heads and sampled terms, two native calls each way. */
export function nativeSahpHeadsTerms(
  nk: NativeKernels,
  h: tf.Tensor3D,
  heads: [DenseParams, DenseParams, DenseParams],
  out: DenseParams,
  nextGaps: tf.Tensor2D,
  nextTypes: tf.Tensor2D,
  u: tf.Tensor3D,
): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } | null {
  const [B, P, d] = h.shape;
  const K = out.W.shape[1]!;
  const n = B * P * d;
  const weights = [...heads.map((l) => l.W), ...heads.map((l) => l.b!)];
  return nativeSampledTerms(
    [h, ...weights, out.W, out.b!],
    nextGaps,
    nextTypes,
    u,
    K,
    ([hs, ...rest], x, o, pre, lambda) => {
      const w = packed(rest.slice(0, 6));
      const [mu, eta, gamma] = [0, 1, 2].map(() => scratchPool.floats(n));
      const saved = scratchPool.floats(4 * n);
      nk.sahpHeadsForward(hs, w, d, mu, eta, gamma, saved);
      nk.sahpTermsForward(mu, eta, gamma, x.gaps, x.types, x.u, rest[6], rest[7], o, pre, lambda);
      return { w, mu, eta, gamma, saved };
    },
    (g, [hs, ...rest], x, pre, lambda, kept) => {
      const { w, mu, eta, gamma, saved } = kept;
      const [dmu, deta, dgamma] = [0, 1, 2].map(() => scratchPool.floats(n));
      const dW = new Float32Array(d * K);
      const db = new Float32Array(K);
      nk.sahpTermsBackward(g, mu, eta, gamma, x.gaps, x.types, x.u, rest[6], pre, lambda, dmu, deta, dgamma, dW, db);
      const dh = new Float32Array(n);
      const dw = new Float32Array(w.length);
      nk.sahpHeadsBackward(hs, w, saved, dmu, deta, dgamma, d, dh, dw);
      scratchPool.release(mu, eta, gamma, saved, dmu, deta, dgamma);
      return [tf.tensor3d(dh, [B, P, d]), ...unpacked(dw, weights), tf.tensor2d(dW, [d, K]), tf.tensor1d(db)];
    },
  );
}
