import { NativeKernels, scratchPool } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { packed, unpacked } from './packed-weights';
import { PrefixLimits } from './prefix-limits';

/**
 * fusedEncoderLayer on the native kernels: the whole layer forward and backward in one
 * native call each (native/src/encoder-layer-impl.h), so none of the JS passes between the
 * products and none of their per-step arrays remain. `inputs` are x [B, T, d] and then the
 * weights in the addon's order (Wq, Wk, Wv, Wo, W1, W2, bq, bk, bv, bo, b1, b2, g1, be1,
 * g2, be2), which is the order fusedEncoderLayer takes them.
 */
export function nativeEncoderLayerOp(nk: NativeKernels, inputs: tf.Tensor[], heads: number, limits: PrefixLimits): tf.Tensor3D {
  const [B, T, d] = inputs[0].shape;
  const F = inputs[5].shape[1]!;
  const N = B * T;
  const op = tf.customGrad(((...args: tf.Tensor[]) => {
    const ts = args.slice(0, inputs.length); // customGrad appends its save function
    const xs = ts[0].dataSync() as Float32Array;
    const weights = ts.slice(1);
    const w = packed(weights.map((t) => t.dataSync() as Float32Array));
    const y = new Float32Array(N * d);
    // what the backward pass reads: borrowed, and handed back once it has run
    const saved = scratchPool.floats(7 * N * d + 3 * N * F);
    const invs = scratchPool.doubles(2 * N);
    nk.encoderForward(xs, w, B, T, d, F, heads, limits, false, y, saved, invs);
    const gradFunc = (dy: tf.Tensor) => {
      const dx = new Float32Array(N * d);
      const dw = new Float32Array(w.length);
      nk.encoderBackward(dy.dataSync() as Float32Array, xs, w, B, T, d, F, heads, limits, false, saved, invs, dx, dw);
      scratchPool.release(saved, invs);
      return [tf.tensor3d(dx, [B, T, d]), ...unpacked(dw, weights)];
    };
    return { value: tf.tensor3d(y, [B, T, d]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(...inputs) as tf.Tensor3D;
}
