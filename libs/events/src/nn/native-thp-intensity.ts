import { NativeKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { nativeSampledTerms } from './native-sampled-terms';

/** The thpIntensity pass (fused-thp-intensity.ts): forward and backward as one native call each. */
export function nativeThpIntensity(
  nk: NativeKernels,
  base: tf.Tensor3D,
  denom: tf.Tensor2D,
  dt: tf.Tensor3D,
  alpha: tf.Tensor1D,
  logBeta: tf.Tensor1D,
): tf.Tensor4D {
  const [B, P, K] = base.shape;
  const S = dt.shape[2];
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const [bs, ds, ts, as, lb] = args.slice(0, 5).map((t) => t.dataSync() as Float32Array);
    const pre = new Float32Array(B * P * S * K);
    const lambda = new Float32Array(pre.length);
    nk.thpForward(bs, ds, ts, as, lb, pre, lambda);
    const gradFunc = (dy: tf.Tensor) => {
      const dBase = new Float32Array(B * P * K);
      const dDenom = new Float32Array(B * P);
      const dDt = new Float32Array(B * P * S);
      const dAlpha = new Float32Array(K);
      const dLogBeta = new Float32Array(K);
      nk.thpBackward(dy.dataSync() as Float32Array, ds, ts, as, lb, pre, lambda, dBase, dDenom, dDt, dAlpha, dLogBeta);
      return [tf.tensor3d(dBase, [B, P, K]), tf.tensor2d(dDenom, [B, P]), tf.tensor3d(dDt, [B, P, S]), tf.tensor1d(dAlpha), tf.tensor1d(dLogBeta)];
    };
    return { value: tf.tensor4d(lambda, [B, P, S, K]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(base, denom, dt, alpha, logBeta) as tf.Tensor4D;
}

/** The thpTerms pass (fused-thp-intensity.ts): THP's sampled likelihood terms, one native call each way. */
export function nativeThpTerms(
  nk: NativeKernels,
  base: tf.Tensor3D,
  denom: tf.Tensor2D,
  nextGaps: tf.Tensor2D,
  nextTypes: tf.Tensor2D,
  u: tf.Tensor3D,
  alpha: tf.Tensor1D,
  logBeta: tf.Tensor1D,
): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } | null {
  const [B, P, K] = base.shape;
  return nativeSampledTerms(
    [base, denom, alpha, logBeta],
    nextGaps,
    nextTypes,
    u,
    K,
    ([bs, ds, as, lb], x, out, pre, lambda) => nk.thpTermsForward(bs, ds, x.gaps, x.types, x.u, as, lb, out, pre, lambda),
    (g, [, ds, as, lb], x, pre, lambda) => {
      const dBase = new Float32Array(B * P * K);
      const dDenom = new Float32Array(B * P);
      const dAlpha = new Float32Array(K);
      const dLogBeta = new Float32Array(K);
      nk.thpTermsBackward(g, ds, x.gaps, x.types, x.u, as, lb, pre, lambda, dBase, dDenom, dAlpha, dLogBeta);
      return [tf.tensor3d(dBase, [B, P, K]), tf.tensor2d(dDenom, [B, P]), tf.tensor1d(dAlpha), tf.tensor1d(dLogBeta)];
    },
  );
}
