import * as tf from '@tensorflow/tfjs';

/**
 * The sampled likelihood terms from a model's intensities, as one op with the backward by
 * hand: per position with next gap g and type k' (K where padded),
 *   logEvent = log(lambda_k'(g) + 1e-9)   (lambda_k' = 0 where k' is padding)
 *   integral = g / G sum_s sum_k lambda_k(u_s g)
 * from atEvent [B, P, K] and grid [B, P, G, K]. Why: in tfjs ops this is a one-hot, a
 * slice, a product, two sums, a log and a mean forward and about twice as many ops
 * backward, on [B, P, G, K] tensors; here one pass each way. The spec checks it against
 * those ops (and their gradients).
 */
export function fusedSampledTerms(
  atEvent: tf.Tensor3D,
  grid: tf.Tensor4D,
  nextGaps: tf.Tensor2D,
  nextTypes: tf.Tensor2D,
): { logEvent: tf.Tensor2D; integral: tf.Tensor2D } {
  const [B, P, K] = atEvent.shape;
  const G = grid.shape[2];
  if (grid.shape[0] !== B || grid.shape[1] !== P || grid.shape[3] !== K || nextGaps.shape[0] !== B || nextGaps.shape[1] !== P)
    throw new Error(`fusedSampledTerms: atEvent [${atEvent.shape}], grid [${grid.shape}], nextGaps [${nextGaps.shape}] do not match`);
  const gaps = nextGaps.dataSync();
  const types = nextTypes.dataSync();
  const N = B * P;
  const op = tf.customGrad(((ev: tf.Tensor, gr: tf.Tensor) => {
    const e = ev.dataSync() as Float32Array;
    const g = gr.dataSync() as Float32Array;
    const out = new Float32Array(2 * N);
    const at = new Float64Array(N); // lambda_k'(g) + 1e-9, for the backward pass
    const GK = G * K;
    for (let p = 0; p < N; p++) {
      const k = types[p];
      at[p] = (k >= 0 && k < K ? e[p * K + k] : 0) + 1e-9;
      out[p] = Math.log(at[p]);
      let sum = 0;
      for (let i = p * GK; i < (p + 1) * GK; i++) sum += g[i];
      out[N + p] = (sum / G) * gaps[p];
    }
    const gradFunc = (dy: tf.Tensor) => {
      const d = dy.dataSync();
      const dEv = new Float32Array(N * K);
      const dGr = new Float32Array(N * GK);
      for (let p = 0; p < N; p++) {
        const k = types[p];
        if (k >= 0 && k < K) dEv[p * K + k] = d[p] / at[p];
        dGr.fill((d[N + p] * gaps[p]) / G, p * GK, (p + 1) * GK);
      }
      return [tf.tensor3d(dEv, [B, P, K]), tf.tensor4d(dGr, [B, P, G, K])];
    };
    return { value: tf.tensor3d(out, [2, B, P]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  const [logEvent, integral] = tf.unstack(op(atEvent, grid) as tf.Tensor3D) as tf.Tensor2D[];
  return { logEvent, integral };
}
