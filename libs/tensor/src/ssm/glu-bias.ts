import * as tf from '@tensorflow/tfjs';
import { borrowFloats, outputFloats } from '../kernels/borrowed-floats';
import { nativeKernels } from '../kernels/native-kernels';
import { scratchPool } from '../kernels/scratch-pool';

/**
 * sigmoid in place over x: the native vector kernel where built (its exp is not trusted below
 * -80, elementwise-unary.ts: those elements redone exactly), else Math.exp.
 */
function sigmoidInPlace(x: Float32Array): void {
  const nk = nativeKernels();
  if (!nk) {
    for (let i = 0; i < x.length; i++) x[i] = 1 / (1 + Math.exp(-x[i]));
    return;
  }
  const low: number[] = [];
  for (let i = 0; i < x.length; i++) if (!(x[i] >= -80)) low.push(i, x[i]);
  nk.sigmoid(x, 0, x.length);
  for (let j = 0; j < low.length; j += 2) x[low[j]] = 1 / (1 + Math.exp(-low[j + 1]));
}

/**
 * The GLU over channels after a position-wise linear map, bias included, as one
 * differentiable op on [B, 2H, L]: out = (a + b_a) sigmoid(g + b_g), a the first H channels,
 * g the last H. In tfjs ops (bias add, split, sigmoid, multiply) it was four [B, 2H, L]
 * passes forward with their allocations and more backward. Backward, with s = sigmoid(g + b_g):
 * da = dout s, dg = dout (a + b_a) s (1 - s), the biases' gradients their sums.
 *
 * The S4D block's tail rides along where given: `scale` [B H] multiplies each (sample,
 * channel) of the GLU's output (channel dropout's kept / 1 - rate or 0) and `residual`
 * [B, H, L] is added after it, so out = residual + scale (a + b_a) s: two more [B, H, L]
 * passes each way saved (dresidual = dout, and dout scale reaches the GLU).
 */
export function gluWithBias(
  y: tf.Tensor3D,
  bias: tf.Tensor1D,
  tail: { scale?: Float32Array; residual?: tf.Tensor3D } = {},
): tf.Tensor3D {
  const [B, H2, L] = y.shape;
  const H = H2 / 2;
  const { scale, residual } = tail;
  const op = tf.customGrad((...args: unknown[]) => {
    const [yt, bt, rt] = args as tf.Tensor[];
    const ys = borrowFloats(yt);
    const bs = borrowFloats(bt);
    // a + b_a and s, kept for the backward pass
    // pooled: handed back after the backward pass (collected if there is none)
    const lin = scratchPool.floats(B * H * L);
    const sig = scratchPool.floats(B * H * L);
    const out = outputFloats(B * H * L);
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const ia = (b * H2 + h) * L;
        const ig = (b * H2 + H + h) * L;
        const io = (b * H + h) * L;
        const ba = bs[h];
        const bg = bs[H + h];
        for (let l = 0; l < L; l++) {
          lin[io + l] = ys[ia + l] + ba;
          sig[io + l] = ys[ig + l] + bg;
        }
      }
    sigmoidInPlace(sig);
    if (!scale && !residual) for (let i = 0; i < out.length; i++) out[i] = lin[i] * sig[i];
    else {
      const rs = residual ? borrowFloats(rt) : null;
      for (let r = 0; r < B * H; r++) {
        const c = scale ? scale[r] : 1;
        for (let i = r * L; i < (r + 1) * L; i++) out[i] = (rs ? rs[i] : 0) + c * lin[i] * sig[i];
      }
    }
    const gradFunc = (dIn: tf.Tensor | tf.Tensor[]) => {
      const dt = Array.isArray(dIn) ? dIn[0] : dIn;
      const d = borrowFloats(dt);
      const dy = outputFloats(B * H2 * L);
      const db = new Float64Array(H2);
      for (let b = 0; b < B; b++)
        for (let h = 0; h < H; h++) {
          const ia = (b * H2 + h) * L;
          const ig = (b * H2 + H + h) * L;
          const io = (b * H + h) * L;
          const c = scale ? scale[b * H + h] : 1;
          let sa = 0;
          let sg = 0;
          for (let l = 0; l < L; l++) {
            const s = sig[io + l];
            const da = c * d[io + l] * s;
            const dg = c * d[io + l] * lin[io + l] * s * (1 - s);
            dy[ia + l] = da;
            dy[ig + l] = dg;
            sa += da;
            sg += dg;
          }
          db[h] += sa;
          db[H + h] += sg;
        }
      scratchPool.release(lin, sig);
      const grads = [tf.tensor(dy, [B, H2, L]), tf.tensor(Float32Array.from(db), [H2])];
      if (residual) grads.push(dt.clone());
      return grads;
    };
    return { value: tf.tensor(out, [B, H, L]), gradFunc };
  });
  return (residual ? op(y, bias, residual) : op(y, bias)) as tf.Tensor3D;
}
