import * as tf from '@tensorflow/tfjs';
import { borrowFloats, outputFloats } from '../kernels/borrowed-floats';
import { nativeKernels, NO_FLOATS } from '../kernels/native-kernels';
import { kernelTier } from '../kernels/wasm-kernels';
import { scratchPool } from '../kernels/scratch-pool';

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
 * passes each way saved (dresidual = dout, and dout scale reaches the GLU). The native
 * kernels run the same passes where built (native/src/channel-ops-impl.h).
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
    const rs = residual ? borrowFloats(rt) : null;
    const nk = kernelTier() === 'native' ? nativeKernels() : null;
    if (nk) nk.gluForward(ys, bs, scale ?? NO_FLOATS, rs ?? NO_FLOATS, B, H, L, lin, sig, out);
    else gluForwardJs(ys, bs, scale, rs, [B, H, L], lin, sig, out);
    const gradFunc = (dIn: tf.Tensor | tf.Tensor[]) => {
      const dt = Array.isArray(dIn) ? dIn[0] : dIn;
      const d = borrowFloats(dt);
      const dy = outputFloats(B * H2 * L);
      const db = new Float64Array(H2);
      if (nk) nk.gluBackward(d, lin, sig, scale ?? NO_FLOATS, B, H, L, dy, db);
      else gluBackwardJs(d, lin, sig, scale, [B, H, L], dy, db);
      scratchPool.release(lin, sig);
      const grads = [tf.tensor(dy, [B, H2, L]), tf.tensor(Float32Array.from(db), [H2])];
      if (residual) grads.push(dt.clone());
      return grads;
    };
    return { value: tf.tensor(out, [B, H, L]), gradFunc };
  });
  return (residual ? op(y, bias, residual) : op(y, bias)) as tf.Tensor3D;
}

/** The forward pass in JS (no native kernels; their sigmoid is the native vector kernel's). */
function gluForwardJs(
  ys: Float32Array,
  bs: Float32Array,
  scale: Float32Array | undefined,
  rs: Float32Array | null,
  [B, H, L]: number[],
  lin: Float32Array,
  sig: Float32Array,
  out: Float32Array,
): void {
  const H2 = 2 * H;
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
  for (let i = 0; i < sig.length; i++) sig[i] = 1 / (1 + Math.exp(-sig[i]));
  if (!scale && !rs) for (let i = 0; i < out.length; i++) out[i] = lin[i] * sig[i];
  else
    for (let r = 0; r < B * H; r++) {
      const c = scale ? scale[r] : 1;
      for (let i = r * L; i < (r + 1) * L; i++) out[i] = (rs ? rs[i] : 0) + c * lin[i] * sig[i];
    }
}

/** The backward pass in JS: dy written, db accumulated. */
function gluBackwardJs(
  d: Float32Array,
  lin: Float32Array,
  sig: Float32Array,
  scale: Float32Array | undefined,
  [B, H, L]: number[],
  dy: Float32Array,
  db: Float64Array,
): void {
  const H2 = 2 * H;
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
}
