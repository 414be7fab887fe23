import * as tf from '@tensorflow/tfjs';

/**
 * RMTPP's exact likelihood terms (Du et al. 2016) as one op with the backward pass by
 * hand; in tfjs (RmtppModel.exactTermsReference) they are ~20 small ops per direction.
 * Per position with history term a [K] (v_k . h + b_k), the next gap tau and type k':
 *   logEvent = a_k' + min(w_k' tau, 30)
 *   integral = sum_k e^{a_k} (e^{min(w_k tau, 30)} - 1) / w_k,
 * with tau (1 + w_k tau / 2) for |w_k| < 1e-4 (the series, where the quotient loses its
 * digits). Gradients follow the tfjs ops': min passes the gradient where w tau <= 30, and
 * the branch taken is the branch differentiated. [2, B, P]; 0 where the next type is
 * padding (>= K).
 */
export function rmtppTerms(
  a: tf.Tensor3D,
  w: tf.Tensor1D,
  nextGaps: tf.Tensor2D,
  nextTypes: tf.Tensor2D,
): tf.Tensor3D {
  const [B, P] = nextGaps.shape;
  const K = a.shape[2];
  const gaps = nextGaps.dataSync() as Float32Array;
  const types = nextTypes.dataSync() as Int32Array;
  const op = tf.customGrad(((aT: tf.Tensor, wT: tf.Tensor) => {
    const as = aT.dataSync() as Float32Array;
    const ws = wT.dataSync() as Float32Array;
    const out = new Float32Array(2 * B * P);
    for (let p = 0; p < B * P; p++) {
      const k = types[p];
      if (!(k >= 0 && k < K)) continue;
      const tau = gaps[p];
      out[p] = as[p * K + k] + Math.min(ws[k] * tau, 30);
      let integral = 0;
      for (let q = 0; q < K; q++) integral += Math.exp(as[p * K + q]) * compensatorFactor(ws[q], tau).c;
      out[B * P + p] = integral;
    }
    const gradFunc = (dy: tf.Tensor) => {
      const g = dy.dataSync() as Float32Array;
      const da = new Float32Array(B * P * K);
      const dw = new Float64Array(K);
      for (let p = 0; p < B * P; p++) {
        const k = types[p];
        if (!(k >= 0 && k < K)) continue;
        const tau = gaps[p];
        const gE = g[p];
        const gI = g[B * P + p];
        da[p * K + k] += gE;
        if (ws[k] * tau <= 30) dw[k] += gE * tau;
        for (let q = 0; q < K; q++) {
          const e = Math.exp(as[p * K + q]);
          const { c, dc } = compensatorFactor(ws[q], tau);
          da[p * K + q] += gI * e * c;
          dw[q] += gI * e * dc;
        }
      }
      return [tf.tensor3d(da, a.shape), tf.tensor1d(Float32Array.from(dw))];
    };
    return { value: tf.tensor3d(out, [2, B, P]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(a, w) as tf.Tensor3D;
}

/** (e^{min(w tau, 30)} - 1) / w (or its series near w = 0) and its derivative in w. */
function compensatorFactor(w: number, tau: number): { c: number; dc: number } {
  if (Math.abs(w) < 1e-4) return { c: tau * (1 + 0.5 * w * tau), dc: 0.5 * tau * tau };
  const x = w * tau;
  const ex = Math.exp(Math.min(x, 30));
  return { c: (ex - 1) / w, dc: (x <= 30 ? ex * tau : 0) / w - (ex - 1) / (w * w) };
}
