import { NativeKernels, scratchPool } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { MixtureSpec } from './pass-types';

/** The intensityFreeTerms pass (fused-intensity-free.ts): IntensityFree's exact terms, one native call each way. */
export function nativeIntensityFreeTerms(
  nk: NativeKernels,
  raw: tf.Tensor3D,
  logits: tf.Tensor3D,
  gaps: Float32Array,
  types: Int32Array,
  spec: MixtureSpec,
): tf.Tensor3D {
  const [B, P] = [raw.shape[0], raw.shape[1]];
  const K = logits.shape[2];
  const { J, M } = spec;
  let scored = 0;
  for (let p = 0; p < B * P; p++) if (types[p] >= 0 && types[p] < K) scored++;
  const op = tf.customGrad(((rawT: tf.Tensor, logitsT: tf.Tensor) => {
    const rs = rawT.dataSync() as Float32Array;
    const out = new Float32Array(2 * B * P);
    const store = scratchPool.floats(scored * (J * 6 * M + K + J)); // read by the backward pass, then handed back
    nk.ifForward(rs, logitsT.dataSync() as Float32Array, gaps, types, J, M, spec.mean, spec.std, out, store);
    const gradFunc = (dy: tf.Tensor) => {
      const dRaw = new Float32Array(rs.length);
      const dLogits = new Float32Array(B * P * K);
      nk.ifBackward(dy.dataSync() as Float32Array, rs, types, J, M, store, dRaw, dLogits);
      scratchPool.release(store);
      return [tf.tensor3d(dRaw, raw.shape), tf.tensor3d(dLogits, logits.shape)];
    };
    return { value: tf.tensor3d(out, [2, B, P]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(raw, logits) as tf.Tensor3D;
}
