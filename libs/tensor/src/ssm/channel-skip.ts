import * as tf from '@tensorflow/tfjs';
import { borrowFloats, outputFloats } from '../kernels/borrowed-floats';
import { nativeKernels } from '../kernels/native-kernels';
import { kernelTier } from '../kernels/wasm-kernels';

/**
 * y + D u with one D per channel on [B, H, L] (S4D's skip term) as one differentiable op:
 * as tf.add(y, tf.mul(u, D)) it was two [B, H, L] passes forward and, backward, two more plus
 * a broadcast reduction for dD. Backward: dy = g, du = g D, dD_h = sum over samples and steps of g u.
 * Native kernels where built (native/src/channel-ops-impl.h).
 */
export function channelSkip(y: tf.Tensor3D, u: tf.Tensor3D, d: tf.Tensor1D): tf.Tensor3D {
  const [B, H, L] = y.shape;
  const op = tf.customGrad((...args: unknown[]) => {
    const [yt, ut, dt] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    save([ut, dt]);
    const ys = borrowFloats(yt);
    const us = borrowFloats(ut);
    const ds = borrowFloats(dt);
    const out = outputFloats(B * H * L);
    const nk = kernelTier() === 'native' ? nativeKernels() : null;
    if (nk) nk.channelSkipForward(ys, us, ds, B, H, L, out);
    else
      for (let b = 0; b < B; b++)
        for (let h = 0; h < H; h++) {
          const row = (b * H + h) * L;
          const dh = ds[h];
          for (let l = 0; l < L; l++) out[row + l] = ys[row + l] + dh * us[row + l];
        }
    const gradFunc = (gIn: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const gt = Array.isArray(gIn) ? gIn[0] : gIn;
      const g = borrowFloats(gt);
      const u = borrowFloats(saved[0]);
      const dv = borrowFloats(saved[1]);
      const du = outputFloats(B * H * L);
      const dd = new Float64Array(H);
      if (nk) nk.channelSkipBackward(g, u, dv, B, H, L, du, dd);
      else
        for (let b = 0; b < B; b++)
          for (let h = 0; h < H; h++) {
            const row = (b * H + h) * L;
            const dh = dv[h];
            let s = 0;
            for (let l = 0; l < L; l++) {
              du[row + l] = g[row + l] * dh;
              s += g[row + l] * u[row + l];
            }
            dd[h] += s;
          }
      return [gt.clone(), tf.tensor(du, [B, H, L]), tf.tensor(Float32Array.from(dd), [H])];
    };
    return { value: tf.tensor(out, [B, H, L]), gradFunc };
  });
  return op(y, u, d) as tf.Tensor3D;
}
