import * as tf from '@tensorflow/tfjs';
import { borrowFloats, outputFloats } from '../kernels/borrowed-floats';
import { scratchPool } from '../kernels/scratch-pool';
import { geluErfInto } from '../kernels/gelu-erf';
import { nativeKernels, NO_FLOATS } from '../kernels/native-kernels';
import { kernelTier } from '../kernels/wasm-kernels';

/**
 * The exact GELU, x Phi(x) (torch's nn.GELU default, which S4D uses), as one differentiable
 * op: tfjs has no gelu, and composing it from erf would keep several [B, H, L] temporaries on
 * the tape. Value and derivative come from geluErfInto (native kernels where built).
 * With `channelScale` [B H] on a [B, H, L] input, each (sample, channel) of the result is
 * multiplied by its factor (the S4D block's channel dropout after the GELU, without a pass
 * of its own each way).
 */
export function geluOp(x: tf.Tensor, channelScale?: Float32Array): tf.Tensor {
  const rows = channelScale?.length ?? 0;
  // v *= g (when given) and each row's channel factor (when given), in place
  const scaleRows = (v: Float32Array, g?: Float32Array) => {
    if (!channelScale && !g) return;
    const nk = kernelTier() === 'native' ? nativeKernels() : null;
    const r = channelScale ? rows : 1;
    if (nk) return nk.scaleRows(v, g ?? NO_FLOATS, channelScale ?? NO_FLOATS, r, v.length / r);
    if (g) for (let i = 0; i < v.length; i++) v[i] *= g[i];
    if (!channelScale) return;
    const L = v.length / rows;
    for (let q = 0; q < rows; q++) {
      const c = channelScale[q];
      for (let i = q * L; i < (q + 1) * L; i++) v[i] *= c;
    }
  };
  const op = tf.customGrad((...args: unknown[]) => {
    const xt = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([xt]);
    const y = outputFloats(xt.size);
    geluErfInto(borrowFloats(xt), y, null);
    scaleRows(y);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const xs = borrowFloats(saved[0]);
      const g = borrowFloats(Array.isArray(dy) ? dy[0] : dy);
      // the kernel writes the value beside the derivative: a pooled scratch for it
      const value = scratchPool.floats(xs.length);
      const der = outputFloats(xs.length);
      geluErfInto(xs, value, der);
      scratchPool.release(value);
      scaleRows(der, g);
      return [tf.tensor(der, saved[0].shape)];
    };
    return { value: tf.tensor(y, xt.shape), gradFunc };
  });
  if (channelScale && x.size % channelScale.length !== 0)
    throw new Error(`geluOp: ${channelScale.length} channel factors for ${x.size} values`);
  return op(x);
}
