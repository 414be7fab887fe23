import * as tf from '@tensorflow/tfjs';

/** Several weights' values one after another in one array (a native pass takes them so). */
export function packed(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The gradient of packed weights back as one tensor per weight, shaped like `like`. */
export function unpacked(flat: Float32Array, like: tf.Tensor[]): tf.Tensor[] {
  let at = 0;
  return like.map((t) => tf.tensor(flat.subarray(at, (at += t.size)), t.shape));
}
