import { NativeKernels } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/** The temporalEncoding pass (layers.ts) on the native kernels: the same values by a vector sine (float64 arguments) in one pass. */
export function nativeTemporalEncoding(nk: NativeKernels, t: tf.Tensor, d: number): tf.Tensor {
  const raw = t.dataSync();
  const ts = raw instanceof Float32Array ? raw : Float32Array.from(raw);
  const out = new Float32Array(ts.length * d);
  nk.temporalEncoding(ts, d, out);
  return tf.tensor(out, [...t.shape, d]);
}
